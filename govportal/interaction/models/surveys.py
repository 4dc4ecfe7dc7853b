"""Models of the surveys part (being built)."""

__all__: list[str] = []
