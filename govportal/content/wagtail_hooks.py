from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse, reverse_lazy
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page

from govportal.content import admin_views


@hooks.register("register_admin_urls")
def archive_urls() -> list[Any]:
    urls = [
        path("<int:page_id>/archive/", admin_views.ArchivePageView.as_view(), name="archive"),
        path("<int:page_id>/restore/", admin_views.RestorePageView.as_view(), name="restore"),
        path("log/", admin_views.ArchiveLogView.as_view(), name="log"),
        path(
            "log/results/",
            admin_views.ArchiveLogView.as_view(results_only=True),
            name="log_results",
        ),
    ]
    return [path("archive/", include((urls, "content_archive")))]


def _archive_button(page: Page, user: Any, next_url: str | None, priority: int) -> Iterator[Button]:
    target = admin_views.archivable(page)
    if target is None or not admin_views.user_can_archive(user, page):
        return
    name = "restore" if target.archived else "archive"
    url = reverse(f"content_archive:{name}", args=[page.pk])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    yield Button(
        "取消归档" if target.archived else "归档",
        url,
        icon_name="folder-open-inverse" if target.archived else "folder-inverse",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def archive_listing_button(page: Page, user: Any, next_url: str | None = None) -> Iterator[Button]:
    yield from _archive_button(page, user, next_url, priority=45)


@hooks.register("register_page_header_buttons")
def archive_header_button(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    yield from _archive_button(page, user, next_url, priority=55)


class ArchiveLogMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("content.view_archivelog"))


@hooks.register("register_reports_menu_item")
def archive_log_menu_item() -> MenuItem:
    return ArchiveLogMenuItem(
        "归档记录",
        reverse_lazy("content_archive:log"),
        name="archive-log",
        icon_name="folder-inverse",
        order=900,
    )
