from collections.abc import Iterator

import pytest

from govportal.core.models.calendar import workday_calendar_reset
from govportal.testing import Portal, build_portal


@pytest.fixture(autouse=True)
def _fresh_workday_calendar() -> Iterator[None]:
    # The calendar is cached per process; a test's rolled-back rows must not leak into the next.
    workday_calendar_reset()
    yield
    workday_calendar_reset()


@pytest.fixture
def portal(db: None) -> Portal:
    return build_portal()
