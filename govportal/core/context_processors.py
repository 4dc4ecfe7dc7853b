"""Context shared by every public page: site identity, top columns for the navigation, 长者模式.

Both come from the per-process site memo (`core.sitecache`): a public page pays no query for
them unless the site, its identity or its top columns changed since the process last looked.
Both are lazy: admin screens and feeds that never show the public header do not ask for them
(the site itself is looked up for every request, by `sitecache.SiteCacheMiddleware`).
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from govportal.core import sitecache
from govportal.core.models import SiteIdentity

ELDER_COOKIE = "elder"


def site_identity(request: HttpRequest) -> SiteIdentity:
    """The site's identity with its 党政机关网站标识 image.

    Stored where Wagtail's settings look first, so `settings.core.SiteIdentity` in any template
    reuses it. A site that has not saved its identity yet shows the defaults instead of failing.
    """
    cache_attr = SiteIdentity.get_cache_attr_name()
    cached = getattr(request, cache_attr, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    site = sitecache.site_for_request(request)
    identity = sitecache.memo_for_request(request).identity(site)
    setattr(request, cache_attr, identity)
    return identity


def top_columns(request: HttpRequest) -> tuple[sitecache.NavColumn, ...]:
    site = sitecache.site_for_request(request)
    return sitecache.memo_for_request(request).top_columns(site)


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "identity": SimpleLazyObject(lambda: site_identity(request)),
        "top_columns": SimpleLazyObject(lambda: top_columns(request)),
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        # Not request.get_host(): a 400 for a forged Host header must still render.
        "site_domain": urlsplit(settings.SITE_URL).netloc,
    }
