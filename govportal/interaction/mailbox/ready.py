"""Loaded by InteractionConfig.ready(): the mailbox's monitoring rule kinds.

Importing rules registers them over monitoring's "未测" placeholders (a key registered later wins).
"""

from govportal.interaction.mailbox import rules  # noqa: F401
