"""Context shared by every public page: site identity, top columns for the navigation, 长者模式.

Both lookups are lazy: admin screens and feeds that never show the public header do not pay for
them, and a public page pays one query each.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from govportal.core.models import ColumnPage, SiteIdentity

ELDER_COOKIE = "elder"


def site_identity(request: HttpRequest) -> SiteIdentity:
    """The site's identity with its 党政机关网站标识 image, in one query.

    Stored where Wagtail's settings look first, so `settings.core.SiteIdentity` in any template
    reuses it. A site that has not saved its identity yet shows the defaults instead of failing.
    """
    cache_attr = SiteIdentity.get_cache_attr_name()
    cached = getattr(request, cache_attr, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    site = Site.find_for_request(request)
    identity = None
    if site is not None:
        identity = SiteIdentity.objects.select_related("party_mark").filter(site=site).first()
    if identity is None:
        identity = SiteIdentity(site=site)
    setattr(request, cache_attr, identity)
    return identity


def top_columns(request: HttpRequest) -> list[ColumnPage]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(
        ColumnPage.objects.child_of(site.root_page)
        .live()
        .filter(nav_visible=True)
        .only("id", "title", "slug", "url_path", "path", "depth")
    )


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "identity": SimpleLazyObject(lambda: site_identity(request)),
        "top_columns": SimpleLazyObject(lambda: top_columns(request)),
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        # Not request.get_host(): a 400 for a forged Host header must still render.
        "site_domain": urlsplit(settings.SITE_URL).netloc,
    }
