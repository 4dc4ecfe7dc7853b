"""WSGI entry point (gunicorn govportal.wsgi). Refuses to start on invalid configuration."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings")
application = get_wsgi_application()

from govportal.core.checks import config_error_messages  # noqa: E402

if _errors := config_error_messages():
    sys.stderr.write("配置错误，拒绝启动:\n" + "\n".join(f"  - {e}" for e in _errors) + "\n")
    raise SystemExit(3)
