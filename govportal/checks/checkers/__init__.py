"""The built-in content checks. Importing this package registers them, in this order."""

from govportal.checks.checkers import classified, flagged_words, links, personal_data

__all__ = ["classified", "flagged_words", "links", "personal_data"]
