import pytest

from govportal.testing import Portal, build_portal


@pytest.fixture
def portal(db: None) -> Portal:
    return build_portal()
