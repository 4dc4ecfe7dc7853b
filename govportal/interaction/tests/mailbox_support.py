"""Helpers the mailbox tests share."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """That day at that hour, in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
