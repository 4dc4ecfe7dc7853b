"""Archive and restore (第十五条)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from govportal.content.models import ArchiveLog
from govportal.core.models import ArchivableMixin, ColumnPage


def _archivable(page: Page) -> ArchivableMixin:
    specific = page.specific
    if not isinstance(specific, ArchivableMixin):
        raise ValueError("只有栏目和文章可以归档。")
    return specific


@transaction.atomic
def page_archive(*, page: Page, user: Any, reason: str = "") -> ArchiveLog:
    """Archive a page or a whole column: it stays online, marked 已归档, outside freshness counts."""
    target = _archivable(page)
    if target.archived:
        raise ValueError("该页面已归档。")
    now = timezone.now()
    type(target)._default_manager.filter(pk=target.pk).update(archived=True, archived_at=now)
    return ArchiveLog.objects.create(
        page=page,
        page_title=page.title,
        page_url=page.url_path,
        action=ArchiveLog.Action.ARCHIVE,
        is_column=isinstance(target, ColumnPage),
        reason=reason,
        user=user,
        at=now,
    )


@transaction.atomic
def page_restore(*, page: Page, user: Any, reason: str = "") -> ArchiveLog:
    target = _archivable(page)
    if not target.archived:
        raise ValueError("该页面未归档。")
    type(target)._default_manager.filter(pk=target.pk).update(archived=False, archived_at=None)
    return ArchiveLog.objects.create(
        page=page,
        page_title=page.title,
        page_url=page.url_path,
        action=ArchiveLog.Action.RESTORE,
        is_column=isinstance(target, ColumnPage),
        reason=reason,
        user=user,
    )
