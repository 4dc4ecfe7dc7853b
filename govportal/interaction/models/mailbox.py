"""Models of the mailbox part (being built)."""

__all__: list[str] = []
