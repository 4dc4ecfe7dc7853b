"""Wagtail loads only <app>/wagtail_hooks.py: this pulls in each part's admin hooks."""

from govportal.interaction.interviews import hooks as interviews_hooks  # noqa: F401
from govportal.interaction.knowledge import hooks as knowledge_hooks  # noqa: F401
from govportal.interaction.mailbox import hooks as mailbox_hooks  # noqa: F401
from govportal.interaction.surveys import hooks as surveys_hooks  # noqa: F401
