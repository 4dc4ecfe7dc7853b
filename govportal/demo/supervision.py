"""Demo data for supervision: work orders, duty log, circulars. Called from builder._build."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld


def load(world: DemoWorld) -> None:
    """Nothing yet."""
