import pytest

from govportal.checks.engine import CheckContext
from govportal.checks.tests.helpers import context


@pytest.fixture
def starter() -> CheckContext:
    """The starter lexicon, without the database."""
    return context()
