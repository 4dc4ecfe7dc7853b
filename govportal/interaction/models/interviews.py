"""Models of the interviews part (being built)."""

__all__: list[str] = []
