"""The 法定主动公开内容 catalogue: filters, the list and the machine-readable export.

第十二条 of the 条例: each entry shows 索引、名称、内容概述、生成日期. 第二十四条: the platform
offers 检索、查阅、下载.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.cache import cache, caches
from django.db.models import Q
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from govportal.core.models import Unit
from govportal.disclosure import rules
from govportal.disclosure.models import (
    CatalogueItem,
    Genre,
    PolicyDocumentPage,
    PolicyTitleGram,
    Topic,
)
from govportal.disclosure.rules import Validity

# --- Cached catalogue data --------------------------------------------------------------------
# The filter's choice lists and the totals per filter set change only when a document, a unit
# or a vocabulary changes: they are kept in the cache under a generation token that every such
# change replaces (catalogue_changed, called from the signal handlers in models/documents.py).
# The token lives in the "shared" cache alias, which every process sees (Redis, or a file cache
# in VAR_DIR on one machine): a change made in one process retires the lists and totals that
# every process cached under the old token, even in a per-process default cache (local memory).
# The timeouts bound staleness only for changes no signal reports.
CACHE_PREFIX = "disclosure:catalogue"
VOCABULARY_SECONDS = 600
COUNT_SECONDS = 300
PAGE_SIZE = 20


def _generation() -> str:
    shared = caches["shared"]
    key = f"{CACHE_PREFIX}:generation"
    token = shared.get(key)
    if token is None:
        # add: two processes starting a generation at once agree on one token.
        shared.add(key, secrets.token_hex(6), None)
        token = shared.get(key) or secrets.token_hex(6)
    return str(token)


def catalogue_changed() -> None:
    """Forget the cached choice lists and totals (a document, unit or vocabulary changed)."""
    caches["shared"].set(f"{CACHE_PREFIX}:generation", secrets.token_hex(6), None)


def catalogue_vocabulary() -> dict[str, list[Any]]:
    """The catalogue items, topics, genres and the units that issued documents."""
    key = f"{CACHE_PREFIX}:{_generation()}:vocabulary"
    data: dict[str, list[Any]] | None = cache.get(key)
    if data is None:
        through: Any = PolicyDocumentPage.issuing_units.through
        issuing = through.objects.values("unit_id").distinct()
        data = {
            "items": list(CatalogueItem.objects.all()),
            "topics": list(Topic.objects.all()),
            "genres": list(Genre.objects.all()),
            "units": list(Unit.objects.filter(pk__in=issuing).values_list("pk", "name")),
        }
        cache.set(key, data, VOCABULARY_SECONDS)
    return data


def catalogue_count(qs: Any, data: dict[str, Any], *, today: dt.date) -> int:
    """The number of entries of a filter set, counted once per generation and day."""
    parts = [today.isoformat()]
    for name in sorted(data):
        value = data[name]
        if value in (None, ""):
            continue
        value = getattr(value, "pk", value)
        parts.append(f"{name}={value}")
    digest = hashlib.sha256("&".join(parts).encode()).hexdigest()[:32]
    key = f"{CACHE_PREFIX}:{_generation()}:count:{digest}"
    count: int | None = cache.get(key)
    if count is None:
        count = int(qs.count())
        cache.set(key, count, COUNT_SECONDS)
    return count


EXPORT_FIELDS = [
    ("index_number", "索引号"),
    ("title", "名称"),
    ("summary", "内容概述"),
    ("generated_date", "生成日期"),
    ("document_number", "发文字号"),
    ("organs", "发文机关"),
    ("catalogue_item", "目录类别"),
    ("topic", "主题分类"),
    ("genre", "体裁"),
    ("validity", "有效性"),
    ("pub_date", "发布日期"),
    ("url", "网址"),
]


class CatalogueFilterForm(forms.Form):
    item = forms.ModelChoiceField(
        CatalogueItem.objects.all(),
        to_field_name="code",
        required=False,
        label="目录类别",
        empty_label="全部类别",
    )
    topic = forms.ModelChoiceField(
        Topic.objects.all(),
        to_field_name="code",
        required=False,
        label="主题分类",
        empty_label="全部主题",
    )
    genre = forms.ModelChoiceField(
        Genre.objects.all(),
        to_field_name="code",
        required=False,
        label="体裁",
        empty_label="全部体裁",
    )
    # Any unit validates (one primary-key query); the list offers those that issued documents.
    unit = forms.ModelChoiceField(
        Unit.objects.all(),
        required=False,
        label="发文机关",
        empty_label="全部机关",
    )
    year = forms.IntegerField(required=False, label="成文年份", min_value=1949, max_value=2100)
    validity = forms.ChoiceField(
        choices=[("", "全部"), *Validity.choices], required=False, label="有效性"
    )
    source = forms.ChoiceField(
        choices=[("", "全部"), ("own", "本区文件"), ("reprint", "转载上级文件")],
        required=False,
        label="来源",
    )
    q = forms.CharField(required=False, max_length=50, label="标题关键词", strip=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("item", "topic", "genre", "unit"):
            field = self.fields[name]
            field.error_messages["invalid_choice"] = f"所选{field.label}不存在，请重新选择。"
        self.fields["year"].error_messages.update(
            {
                "invalid": "成文年份须为四位数字。",
                "min_value": "成文年份不能早于 1949 年。",
                "max_value": "成文年份不合理。",
            }
        )
        self.fields["q"].error_messages["max_length"] = "标题关键词不能超过 50 个字。"
        # The choices come from the cache: rendering the form runs no query.
        vocabulary = catalogue_vocabulary()
        for name, key, empty in (
            ("item", "items", "全部类别"),
            ("topic", "topics", "全部主题"),
            ("genre", "genres", "全部体裁"),
        ):
            widget: Any = self.fields[name].widget
            widget.choices = [("", empty)] + [(t.code, t.name) for t in vocabulary[key]]
        unit_widget: Any = self.fields["unit"].widget
        unit_widget.choices = [("", "全部机关"), *vocabulary["units"]]

    def controls(self) -> list[dict[str, Any]]:
        """The fields as plain data for the page template, which writes the few lines of markup
        itself: Django's widget templates, one per option, cost more than the list's queries."""
        controls = []
        for bound in self:
            field = bound.field
            value = str(self.data.get(bound.name, "") or "") if self.is_bound else ""
            control: dict[str, Any] = {
                "name": bound.name,
                "id": bound.id_for_label,
                "label": field.label,
                "errors": list(bound.errors),
                "value": value,
                "options": None,
                "attrs": field.widget_attrs(field.widget),
                "type": "number" if isinstance(field, forms.IntegerField) else "text",
            }
            widget: Any = field.widget
            if isinstance(widget, forms.Select):
                control["options"] = [
                    (str(key), label, str(key) == value) for key, label in widget.choices
                ]
            controls.append(control)
        return controls

    def query_string(self, exclude: str = "") -> str:
        from django.utils.http import urlencode

        data = {k: v for k, v in self.data.items() if k in self.fields and k != exclude and v}
        return urlencode(data)


def catalogue_queryset(data: dict[str, Any], *, today: dt.date) -> Any:
    """Live catalogue entries matching the cleaned filter `data`, newest first."""
    qs = PolicyDocumentPage.objects.live()
    if data.get("item"):
        qs = qs.filter(catalogue_item=data["item"])
    if data.get("topic"):
        qs = qs.filter(topic=data["topic"])
    if data.get("genre"):
        qs = qs.filter(genre=data["genre"])
    if data.get("unit"):
        qs = qs.filter(issuing_units=data["unit"])
    if data.get("year"):
        year = data["year"]
        qs = qs.filter(
            written_date__gte=dt.date(year, 1, 1), written_date__lt=dt.date(year + 1, 1, 1)
        )
    if data.get("validity"):
        qs = qs.with_validity(data["validity"], today=today)
    if data.get("source") == "reprint":
        qs = qs.filter(is_reprint=True)
    elif data.get("source") == "own":
        qs = qs.filter(is_reprint=False)
    for word in (data.get("q") or "").split()[:5]:
        # The word's character pairs narrow the search through the indexed gram table; the
        # contains-match then keeps the exact meaning (a word inside the title or 发文字号).
        for gram in rules.title_grams_of_word(word):
            qs = qs.filter(pk__in=PolicyTitleGram.objects.filter(gram=gram).values("document_id"))
        qs = qs.filter(Q(title__contains=word) | Q(document_number__contains=word))
    return qs.order_by("-pub_date", "-pk")


# What the list shows of each entry (and what its URL and validity need): nothing else is read.
LIST_FIELDS = [
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "live",
    "locale",
    "content_type",
    "index_number",
    "document_number",
    "summary",
    "written_date",
    "pub_date",
    "valid_until",
    "repealed_on",
]


def catalogue_page_of_entries(
    qs: Any, data: dict[str, Any], number: Any, *, today: dt.date
) -> dict[str, Any]:
    """One page of the list: its entries, the total and the page links to show.

    The total comes from catalogue_count (cached per filter set); the page links are a window
    around the current page, so a list of thousands of pages costs no more than one of two.
    """
    total = catalogue_count(qs, data, today=today)
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        current = int(number)
    except (TypeError, ValueError):
        current = 1
    current = min(max(current, 1), pages)
    start = (current - 1) * PAGE_SIZE
    # Two steps: the filter and the sort run over the narrow (key, date) rows only, then the
    # page's twenty entries are read whole by primary key.
    keys = list(qs.values_list("pk", flat=True)[start : start + PAGE_SIZE])
    found = PolicyDocumentPage.objects.filter(pk__in=keys).only(*LIST_FIELDS).in_bulk()
    entries = [found[pk] for pk in keys if pk in found]
    links: list[int | None] = []
    for n in sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)}):
        if links and links[-1] is not None and n - links[-1] > 1:
            links.append(None)  # a gap
        links.append(n)
    return {
        "entries": entries,
        "total": total,
        "number": current,
        "pages": pages,
        "links": links,
        "previous": current - 1 if current > 1 else None,
        "next": current + 1 if current < pages else None,
    }


def entry_row(
    doc: PolicyDocumentPage, request: HttpRequest | None, today: dt.date
) -> dict[str, str]:
    return {
        "index_number": doc.index_number,
        "title": doc.title,
        "summary": doc.summary,
        "generated_date": doc.written_date.isoformat(),
        "document_number": doc.document_number,
        "organs": doc.organ_names,
        "catalogue_item": doc.catalogue_item.name,
        "topic": doc.topic.name,
        "genre": doc.genre.name,
        "validity": doc.validity(today).label,
        "pub_date": timezone.localtime(doc.pub_date).strftime("%Y-%m-%d %H:%M"),
        "url": doc.get_full_url(request) or "",
    }


def _rows(qs: Any, request: HttpRequest | None, today: dt.date) -> Iterator[dict[str, str]]:
    qs = qs.select_related("topic", "genre", "catalogue_item")
    for doc in qs.iterator(chunk_size=2000):
        yield entry_row(doc, request, today)


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(qs: Any, request: HttpRequest, today: dt.date) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
        yield writer.writerow([label for _, label in EXPORT_FIELDS])
        for row in _rows(qs, request, today):
            yield writer.writerow([row[key] for key, _ in EXPORT_FIELDS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="catalogue.csv"'
    return response


def export_json(qs: Any, request: HttpRequest, today: dt.date) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        yield '{"fields": ' + json.dumps(dict(EXPORT_FIELDS), ensure_ascii=False)
        yield ', "items": ['
        for n, row in enumerate(_rows(qs, request, today)):
            yield ("," if n else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
