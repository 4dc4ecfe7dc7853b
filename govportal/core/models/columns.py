"""Column kinds, the column tree (栏目) and the archive state shared by pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.db import models
from django.http import Http404, HttpRequest
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from govportal.core.freshness import FREQUENCY_CHOICES, UpdateFrequency
from govportal.core.models.units import Unit


class ColumnKind(models.Model):
    """A kind of column and its freshness class from the national indicators.

    The classes are data (seeded by migration 0002, editable in the admin), so that a new edition
    of 国办秘函〔2019〕19号 is a data change, not a code change.
    """

    class FreshnessUnit(models.TextChoices):
        DAY = "day", "天"
        MONTH = "month", "月"

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("栏目类型", max_length=50, unique=True)
    freshness_amount = models.PositiveIntegerField(
        "更新时限",
        null=True,
        blank=True,
        help_text="超过该时限未更新即视为不更新栏目；留空表示不考核。",
    )
    freshness_unit = models.CharField(
        "时限单位", max_length=10, choices=FreshnessUnit.choices, default=FreshnessUnit.DAY
    )
    source = models.CharField("依据", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("freshness_amount"), FieldPanel("freshness_unit")]),
        FieldPanel("source"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "栏目类型"
        verbose_name_plural = "栏目类型"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def freshness_label(self) -> str:
        if self.freshness_amount is None:
            return "不考核"
        if self.freshness_unit == self.FreshnessUnit.DAY and self.freshness_amount % 7 == 0:
            return f"{self.freshness_amount // 7} 周"
        if self.freshness_unit == self.FreshnessUnit.MONTH and self.freshness_amount % 12 == 0:
            return f"{self.freshness_amount // 12} 年"
        return f"{self.freshness_amount} {self.get_freshness_unit_display()}"


class ArchivableMixin(models.Model):
    """第十五条: an archived page stays reachable, marked 已归档 with the archive date.

    The archive state is set by `govportal.content.services.page_archive`, not by editing, and it
    survives publishing a later revision (see `with_content_json`).
    """

    archived = models.BooleanField("已归档", default=False, editable=False)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def with_content_json(self, content: dict[str, Any]) -> Any:
        obj = super().with_content_json(content)  # type: ignore[misc]
        obj.archived = self.archived
        obj.archived_at = self.archived_at
        return obj

    def archived_in(self) -> ArchivableMixin | None:
        """This page if archived, else the nearest archived ancestor column, else None."""
        if self.archived:
            return self
        return (
            ColumnPage.objects.ancestor_of(cast(Page, self))
            .filter(archived=True)
            .order_by("-depth")
            .first()
        )


# Page types that carry a publish time (`pub_date`) and a `summary` and make up a column's
# content: its lists, its feed and its freshness (第十四条). Apps add their types when they load
# (AppConfig.ready).
COLUMN_CONTENT_MODELS: list[str] = ["content.ArticlePage"]


def register_column_content(label: str) -> None:
    if label not in COLUMN_CONTENT_MODELS:
        COLUMN_CONTENT_MODELS.append(label)


def column_content_models() -> list[type[Page]]:
    from django.apps import apps

    return [apps.get_model(label) for label in COLUMN_CONTENT_MODELS]


def archived_among(chain: list[Any]) -> Any:
    """The innermost archived page of a root-to-page chain, or None (第十五条)."""
    for item in reversed(chain):
        if item.archived:
            return item
    return None


PAGES_ON_PATH_ATTR = "_govportal_pages_on_path"


class PagesOnPath:
    """Every page a request path names, each as its specific page, in one query on the
    `url_path` Wagtail stores (the site root's url_path, the slugs, "/"): the base rows with the
    tables of the column and of each column content type joined. Wagtail's own lookup costs two
    queries per level (the base page, then the specific one).

    Only a lookup source for `child_for_route`: the routing itself still walks level by level, so
    feed/ and other sub-routes, unpublished pages, 404s and the parents stay as they were.
    """

    def __init__(self, root: Page, path_components: list[str]) -> None:
        self.url_paths = {
            root.url_path + "/".join(path_components[: n + 1]) + "/"
            for n in range(len(path_components))
        }
        models: list[type[Page]] = [ColumnPage, *column_content_models()]
        joined = {model: model._meta.model_name for model in models}
        # The slug narrows the query to its index (url_path has none).
        rows = Page.objects.filter(
            url_path__in=self.url_paths, slug__in=set(path_components)
        ).select_related(*joined.values())
        self.pages: dict[str, tuple[Page, Page | None]] = {}
        for row in rows:
            accessor = joined.get(row.specific_class)
            # A type the query does not join (a catalogue page) is left to Wagtail's lookup.
            self.pages[row.url_path] = (row, getattr(row, accessor) if accessor else None)

    def child(self, parent: Page, slug: str) -> tuple[bool, Page | None]:
        """(known, page): whether this lookup answers for `parent`'s child `slug`, and the child
        as its specific page, or None when there is no such child or its type is not joined.
        Unknown when the path was not fetched, or when the stored url_path does not agree with
        the tree: then the caller asks the tree."""
        url_path = parent.url_path + slug + "/"
        if url_path not in self.url_paths:
            return False, None
        if url_path not in self.pages:
            return True, None
        row, specific = self.pages[url_path]
        if row.depth == parent.depth + 1 and row.path.startswith(parent.path):
            return True, specific
        return False, None

    @classmethod
    def attach(cls, request: Any, root: Page, path_components: list[str]) -> None:
        if request is not None:
            setattr(request, PAGES_ON_PATH_ATTR, cls(root, path_components))


def child_for_route(
    parent: Page, slug: str, candidates: list[type[Page]], request: Any = None
) -> Page | None:
    """The child of `parent` with `slug`, already as its specific page: from the request's
    `PagesOnPath` when it holds the path, otherwise when its type is one of `candidates`, one
    query per candidate. None sends the caller back to Wagtail's general lookup, which finds
    any other child (and answers a 404 when there is none)."""
    on_path: PagesOnPath | None = getattr(request, PAGES_ON_PATH_ATTR, None)
    if on_path is not None:
        known, child = on_path.child(parent, slug)
        if known:
            if child is not None:
                # As Page.route does: the parent is known, so get_parent() costs nothing later.
                child._cached_parent_obj = parent
            return child
    for model in candidates:
        child = model.objects.child_of(parent).filter(slug=slug).first()
        if child is not None:
            child._cached_parent_obj = parent
            return child
    return None


class ColumnPage(RoutablePageMixin, ArchivableMixin, Page):  # type: ignore[misc]
    """A 栏目: a section of the site tree fed by one or more responsible units."""

    kind = models.ForeignKey(
        ColumnKind, on_delete=models.PROTECT, related_name="columns", verbose_name="栏目类型"
    )
    responsible_units = ParentalManyToManyField(
        Unit, blank=True, related_name="columns", verbose_name="责任单位"
    )
    update_frequency = models.CharField(
        "更新频率", max_length=20, choices=FREQUENCY_CHOICES, default=UpdateFrequency.AS_NEEDED
    )
    description = models.TextField("栏目描述", blank=True, max_length=500)
    keywords = models.CharField("栏目关键词", max_length=200, blank=True)
    body = RichTextField("栏目正文", blank=True, help_text="概况类栏目直接展示的内容，可留空。")
    nav_visible = models.BooleanField("在导航中显示", default=True)

    parent_page_types = ["content.HomePage", "core.ColumnPage"]
    subpage_types = [
        "core.ColumnPage",
        "content.ArticlePage",
        "disclosure.PolicyDocumentPage",
        "disclosure.InterpretationPage",
        "disclosure.CataloguePage",
    ]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("update_frequency")]),
                FieldPanel("responsible_units"),
            ],
            heading="栏目责任",
        ),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldPanel("body"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("nav_visible")]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # The responsibility table decides who may edit under this column: keep the page
        # permissions of the unit groups in step whenever the column changes.
        from govportal.core.services import column_permissions_sync

        column_permissions_sync(column=self)

    def items(self) -> models.QuerySet[Any]:
        """Live content of every registered type anywhere under this column, newest first.

        One query: plain pages annotated with the `pub_date` and `summary` that every content
        type has, which is all a list, a feed or a home-page block shows.
        """
        from django.db.models.functions import Coalesce

        content_models = column_content_models()
        names = [m._meta.model_name for m in content_models]
        return (
            Page.objects.live()
            .descendant_of(self)
            .type(*content_models)
            .annotate(
                pub_date=Coalesce(
                    *[f"{n}__pub_date" for n in names], output_field=models.DateTimeField()
                ),
                summary=Coalesce(
                    *[f"{n}__summary" for n in names], output_field=models.TextField()
                ),
            )
            .order_by("-pub_date", "-pk")
        )

    def articles(self) -> models.QuerySet[Any]:
        """Live articles (news, notices, general content) anywhere under this column, newest first."""
        from django.apps import apps

        article_model = apps.get_model("content", "ArticlePage")
        return (
            article_model.objects.live()
            .descendant_of(self)
            .order_by("-pub_date", "-pk")
            .select_related("locale")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.items(), 20)
        # get_page turns ?page=abc into page 1 and ?page=99999 into the last page.
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        context["subcolumns"] = list(
            ColumnPage.objects.child_of(self).live().filter(nav_visible=True)
        )
        # One query for the column's ancestors serves the breadcrumbs, the side navigation of
        # its top column and the archive banner.
        ancestors = list(ColumnPage.objects.ancestor_of(self).order_by("depth"))
        section = ancestors[0] if ancestors else self
        context["ancestors"] = ancestors
        context["section"] = section
        context["section_columns"] = (
            list(ColumnPage.objects.child_of(section).live().filter(nav_visible=True))
            if ancestors
            else []
        )
        context["archived_in"] = archived_among([*ancestors, self])
        return context

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if path_components and self.live and not self._is_subpage_path(path_components):
            from django.apps import apps

            article_model = apps.get_model("content", "ArticlePage")
            # Only a column has children, so a child with more path after it is a column.
            candidates: list[type[Page]] = (
                [article_model, ColumnPage] if len(path_components) == 1 else [ColumnPage]
            )
            child = child_for_route(self, path_components[0], candidates, request)
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _is_subpage_path(self, path_components: list[str]) -> bool:
        # The column's own routes (feed/) come before its children, as in RoutablePageMixin.
        try:
            self.resolve_subpage("/" + "/".join(path_components) + "/")
        except Http404:
            return False
        return True

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> Any:
        from govportal.content.feeds import ColumnFeed

        return ColumnFeed()(request, column=self)


def responsible_unit_ids(column_ids: Iterable[int]) -> dict[int, list[int]]:
    """The units responsible for each column (栏目责任明细表), by column id, in one query; a
    column with none is missing from the result."""
    pairs = ColumnPage.responsible_units.through.objects.filter(columnpage_id__in=set(column_ids))
    units: dict[int, list[int]] = {}
    for column_id, unit_id in pairs.values_list("columnpage_id", "unit_id"):
        units.setdefault(column_id, []).append(unit_id)
    return units
