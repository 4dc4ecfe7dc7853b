"""Interaction models, one module per part."""

from govportal.interaction.models.interviews import *  # noqa: F403
from govportal.interaction.models.knowledge import *  # noqa: F403
from govportal.interaction.models.mailbox import *  # noqa: F403
from govportal.interaction.models.surveys import *  # noqa: F403
