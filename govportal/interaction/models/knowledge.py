"""Models of the knowledge part (being built)."""

__all__: list[str] = []
