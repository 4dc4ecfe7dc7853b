"""The 法定主动公开内容 catalogue: filters, the list and the machine-readable export.

第十二条 of the 条例: each entry shows 索引、名称、内容概述、生成日期. 第二十四条: the platform
offers 检索、查阅、下载.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import Q
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from govportal.core.models import Unit
from govportal.disclosure.models import CatalogueItem, Genre, PolicyDocumentPage, Topic
from govportal.disclosure.rules import Validity

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
    unit = forms.ModelChoiceField(
        Unit.objects.filter(policy_documents__isnull=False).distinct(),
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
        qs = qs.filter(Q(title__contains=word) | Q(document_number__contains=word))
    return qs.order_by("-pub_date", "-pk")


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
