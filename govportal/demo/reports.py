"""Demo data for 政府信息公开工作年度报告. Called once from builder._build (see builder.DemoWorld)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld


def load(world: DemoWorld) -> None:
    """Nothing yet."""
