"""Admin screens of the interviews part (loaded by interaction/wagtail_hooks.py)."""
