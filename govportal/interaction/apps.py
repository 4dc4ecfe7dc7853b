from __future__ import annotations

import importlib
from typing import Any

from django.apps import AppConfig

PARTS = ("mailbox", "surveys", "interviews", "knowledge")


class InteractionConfig(AppConfig):
    name = "govportal.interaction"
    label = "interaction"
    verbose_name = "互动交流"

    @property
    def role_permissions(self) -> dict[str, list[tuple[str, str]]]:
        """Merged from each part's `ROLE_PERMISSIONS` (in <part>/__init__.py), if it has one."""
        merged: dict[str, list[tuple[str, str]]] = {}
        for part in PARTS:
            module: Any = importlib.import_module(f"govportal.interaction.{part}")
            for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
                merged.setdefault(role, []).extend(perms)
        return merged

    def ready(self) -> None:
        # Each part may have a `ready` module: signal handlers, monitoring rule kinds.
        for part in PARTS:
            try:
                importlib.import_module(f"govportal.interaction.{part}.ready")
            except ModuleNotFoundError as exc:
                if exc.name != f"govportal.interaction.{part}.ready":
                    raise
