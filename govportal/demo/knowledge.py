"""Demo data for 知识库与智能问答. Called once from builder._build (see builder.DemoWorld)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld


def load(world: DemoWorld) -> None:
    """Nothing yet."""
