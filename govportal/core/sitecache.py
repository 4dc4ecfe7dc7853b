"""Per-process memo of what every public request needs and almost never changes.

Each public page needs the Wagtail site for its host (`Site.find_for_request`: one query), the
site's home page to start routing from (one query), the site's identity for the header and
footer (one query) and the top columns for the navigation (one query). They change when the
operator edits a site or its identity, or an editor publishes, renames, moves or deletes a
site's home page or a top column: a few times a day, against thousands of page views. So each
process keeps them in a memo and every request first asks whether its memo is still current.

Correct across processes
------------------------
A memo belongs to a *generation*, a random token that every change replaces (`site_changed`,
connected in `connect_signals` to the saves and deletes of sites, site identities and the
image an identity shows, and to the saves (publishing and withdrawing save the page), moves and
deletions of pages at the top of a site). A request reads the token once, at its start (`memo_for_request`), and builds a new memo
lazily when the token differs from its memo's. Where the token lives decides which processes see
a change; it must be shared by exactly the processes that share the database, so it lives in the
"shared" cache alias (settings.CACHES), the one place for such state:

* Redis in the scaled deployment (several gunicorn processes on several machines): one cache GET
  per request, and every process sees a change on its next request;
* without Redis (`make run`: two gunicorn workers beside a task worker and the scheduler, which
  publishes scheduled pages, each with its own local memory) a file cache in VAR_DIR, one folder
  per database: an open and a read per request, no query, shared by every process of the machine.
  A token in the local-memory default cache would only reach the process that made the change;
* the tests: local memory, the same store as the default cache (settings_test.py).

So an editor who publishes a new top column sees it in the navigation on the next request,
whichever process answers it. A change replaces the token at once (this process, and a test that
never commits, see it) and again when the transaction commits: a process that rebuilt its memo
between the two, from the data as it was before the commit, rebuilds once more. A memo built
inside a transaction that is then rolled back lives until the next change or MAX_AGE.

Safety net: a memo lives at most MAX_AGE seconds whatever the token says, for changes no signal
reports (bulk queryset updates, raw SQL, a restored backup, several machines without Redis, each
with its own file cache). A token missing from the cache (evicted, or `clear()`) is a new one.

Never another site's data: the site is looked up by the request's host and port with Wagtail's
own rule (`get_site_for_hostname`), and everything else is kept per site id.

Shared objects: the memo's model instances are never handed out. Each request gets shallow
copies, so whatever a request caches on its objects (the home page's body, `specific`, a parent)
stays in that request; the identity's image is shared and only read; the navigation entries are
immutable.
"""

from __future__ import annotations

import copy
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from govportal.core.models import ColumnPage, SiteIdentity

logger = logging.getLogger(__name__)

GENERATION_KEY = "core:sitecache:generation"
# Upper bound on a memo's life when no signal reports a change (see the module docstring).
MAX_AGE = 60.0
# Host headers are whatever the client sends (Wagtail matches the raw host, before
# ALLOWED_HOSTS): remember this many distinct (host, port) pairs, look the others up each time.
MAX_HOSTS = 64
# Pages at these depths are site roots (HomePage, only ever under Wagtail's root: page-tree
# rules in core/tests/test_page_tree.py) and their children, the top columns.
TOP_DEPTH = 3
REQUEST_ATTR = "_govportal_site_memo"


@dataclass(frozen=True)
class NavColumn:
    """A top column as the navigation shows it."""

    pk: int
    title: str
    path: str  # the tree path, for marking the current section
    url: str


class SiteMemo:
    """What one generation knows: sites by host, each site's home page, identity, top columns."""

    def __init__(self, generation: str | None) -> None:
        self.generation = generation
        self.built_at = time.monotonic()
        self._site_ids: dict[tuple[str, str], int | None] = {}
        self._sites: dict[int, Site] = {}
        self._identities: dict[int, SiteIdentity] = {}
        self._columns: dict[int, tuple[NavColumn, ...]] = {}

    def site(self, hostname: str, port: str) -> Site | None:
        """The site for this host and port, as `Site.find_for_request` finds it, or None."""
        key = (hostname, port)
        if key in self._site_ids:
            site_id = self._site_ids[key]
            return None if site_id is None else _site_copy(self._sites[site_id])
        try:
            found: Site | None = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            found = None
        if found is not None:
            # The root as its specific class without a further query: routing starts from it,
            # and only the home page itself loads its own fields (the body).
            found.root_page = found.root_page.specific_deferred
            self._sites.setdefault(found.pk, found)
        if len(self._site_ids) < MAX_HOSTS:
            self._site_ids[key] = None if found is None else found.pk
        return None if found is None else _site_copy(found)

    def identity(self, site: Site | None) -> SiteIdentity:
        """The site's identity with its 党政机关网站标识 image; the defaults when not saved yet."""
        if site is None:
            return SiteIdentity()
        identity = self._identities.get(site.pk)
        if identity is None:
            found = SiteIdentity.objects.select_related("party_mark").filter(site=site).first()
            identity = found if found is not None else SiteIdentity(site_id=site.pk)
            self._identities[site.pk] = identity
        return copy.copy(identity)

    def top_columns(self, site: Site | None) -> tuple[NavColumn, ...]:
        """The site's live top columns that show in the navigation, in tree order."""
        if site is None:
            return ()
        columns = self._columns.get(site.pk)
        if columns is None:
            pages = (
                ColumnPage.objects.child_of(site.root_page)
                .live()
                .filter(nav_visible=True)
                .only("id", "title", "slug", "url_path", "path", "depth")
            )
            columns = tuple(
                NavColumn(
                    pk=page.pk,
                    title=page.title,
                    path=page.path,
                    url=page.get_url(current_site=site) or "",
                )
                for page in pages
            )
            self._columns[site.pk] = columns
        return columns


def _site_copy(site: Site) -> Site:
    mine = copy.copy(site)
    mine.root_page = copy.copy(site.root_page)
    return mine


# --- The generation token ----------------------------------------------------------------------

_memo: SiteMemo | None = None


def read_generation() -> str | None:
    """The current token, or None when it cannot be read (the request then goes without memo)."""
    try:
        shared = caches["shared"]
        token = shared.get(GENERATION_KEY)
        if token is None:  # evicted or cleared: a new generation, the same for every process
            shared.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            token = shared.get(GENERATION_KEY)
        return None if token is None else str(token)
    except Exception:  # a cache or disk failure must not take the public pages down with it
        logger.warning("site cache: cannot read the generation token", exc_info=True)
        return None


def _replace_generation() -> None:
    global _memo
    _memo = None
    try:
        caches["shared"].set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # Other processes then see the change only after MAX_AGE: say so loudly.
        logger.error("site cache: cannot replace the generation token", exc_info=True)


def site_changed() -> None:
    """Make every process rebuild its memo: now, and again when the transaction commits.

    Bulk queryset updates and raw SQL bypass the signals: call it after them.
    """
    _replace_generation()
    if connection.in_atomic_block:  # outside a transaction on_commit would only repeat it now
        transaction.on_commit(_replace_generation)


def reset() -> None:
    """Forget this process's memo (tests: a rolled-back test leaves the token untouched)."""
    _replace_generation()


def current_memo() -> SiteMemo:
    """The memo for the current generation, built empty when the generation changed."""
    global _memo
    generation = read_generation()
    if generation is None:
        return SiteMemo(None)  # used by one request only
    memo = _memo
    if memo is None or memo.generation != generation or time.monotonic() - memo.built_at > MAX_AGE:
        memo = SiteMemo(generation)
        _memo = memo
    return memo


def memo_for_request(request: HttpRequest) -> SiteMemo:
    """The memo this request uses throughout: the generation is read once per request."""
    memo: SiteMemo | None = getattr(request, REQUEST_ATTR, None)
    if memo is None:
        memo = current_memo()
        setattr(request, REQUEST_ATTR, memo)
    return memo


def site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request` from the memo: stored where Wagtail looks first, so Wagtail's own
    lookups (routing, settings, redirects) reuse it."""
    if not hasattr(request, "_wagtail_site"):
        # Wagtail's own choice: the raw host (no ALLOWED_HOSTS check) and the request's port.
        hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]
        port = request.get_port()
        request._wagtail_site = memo_for_request(request).site(hostname, port)  # type: ignore[attr-defined]
    return request._wagtail_site  # type: ignore[attr-defined,no-any-return]


class SiteCacheMiddleware:
    """Looks up the request's site in the memo before Wagtail would query for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site_for_request(request)
        return self.get_response(request)


# --- What replaces the token -------------------------------------------------------------------


def _changed(**_kwargs: Any) -> None:
    site_changed()


def _page_changed(instance: Page, **_kwargs: Any) -> None:
    # Articles and deeper columns are published all day and appear in no memo.
    depth = instance.__dict__.get("depth")
    if depth is None or depth <= TOP_DEPTH:
        site_changed()


def _image_changed(instance: Any, **_kwargs: Any) -> None:
    # Only the image an identity shows as its 党政机关网站标识 is in a memo; editors upload others
    # all day. Checked before a deletion, while the identity still points at it.
    if SiteIdentity.objects.filter(party_mark_id=instance.pk).exists():
        site_changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.images import get_image_model
    from wagtail.models import get_page_models
    from wagtail.signals import post_page_move

    for model in (Site, SiteIdentity):
        post_save.connect(_changed, sender=model, dispatch_uid="sitecache")
        post_delete.connect(_changed, sender=model, dispatch_uid="sitecache")
    post_save.connect(_image_changed, sender=get_image_model(), dispatch_uid="sitecache")
    pre_delete.connect(_image_changed, sender=get_image_model(), dispatch_uid="sitecache")
    # Publishing and withdrawing save the page (Wagtail's publish and unpublish actions), so
    # post_save sees them too.
    for page_model in {Page, *get_page_models()}:
        post_save.connect(_page_changed, sender=page_model, dispatch_uid="sitecache")
        post_delete.connect(_page_changed, sender=page_model, dispatch_uid="sitecache")
    # A move may bring a column up to the top, or take one down.
    post_page_move.connect(_changed, dispatch_uid="sitecache")
