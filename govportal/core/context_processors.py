"""Context shared by every public page: top columns for the navigation, 长者模式."""

from typing import Any

from django.http import HttpRequest
from wagtail.models import Site

from govportal.core.models import ColumnPage

ELDER_COOKIE = "elder"


def portal(request: HttpRequest) -> dict[str, Any]:
    site = Site.find_for_request(request)
    top_columns: list[ColumnPage] = []
    if site is not None and not request.path.startswith(("/admin/", "/django-admin/")):
        top_columns = list(
            ColumnPage.objects.child_of(site.root_page)
            .live()
            .filter(nav_visible=True)
            .only("id", "title", "slug", "url_path", "path", "depth")
        )
    return {
        "top_columns": top_columns,
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "portal_site": site,
    }
