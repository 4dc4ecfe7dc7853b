"""Admin screens of the knowledge part (loaded by interaction/wagtail_hooks.py)."""
