"""Disclosure requests (依申请公开) models (being built)."""

__all__: list[str] = []
