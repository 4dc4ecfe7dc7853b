"""Admin screens of the surveys part (loaded by interaction/wagtail_hooks.py)."""
