"""Admin screens of the mailbox part (loaded by interaction/wagtail_hooks.py)."""
