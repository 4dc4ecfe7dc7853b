"""WAGTAIL_FINISH_WORKFLOW_ACTION target.

Wagtail imports this setting while `wagtail.models` is still loading, so this module must not
import models at import time; it hands over to `content.review.workflow_finished` when called.
"""

from typing import Any


def workflow_finished(workflow_state: Any, user: Any = None) -> None:
    from govportal.content.review import workflow_finished as finish

    finish(workflow_state, user)
