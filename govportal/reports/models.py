"""The annual disclosure report (政府信息公开工作年度报告), one per publisher and year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from govportal.core.models import Unit
from govportal.reports import tables
from govportal.reports.rules import PublisherKind, report_deadline

DISTRICT_NAME = "渭滨区人民政府"


def _zeros_proactive() -> dict[str, Any]:
    return tables.zeros()["proactive"]


def _zeros_requests() -> dict[str, Any]:
    return tables.zeros()["requests"]


def _zeros_appeals() -> dict[str, Any]:
    return tables.zeros()["appeals"]


class DisclosureReportQuerySet(models.QuerySet["DisclosureReport"]):
    def published(self) -> DisclosureReportQuerySet:
        return self.filter(status=DisclosureReport.Status.PUBLISHED)


class DisclosureReport(models.Model):
    """政府信息公开工作年度报告 (条例第四十九条、第五十条; 2021 format).

    Sections 一、五、六 are text; tables 二、三、四 are stored as "row.column" → number
    (see tables.py for the cells and the checks that they add up).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    year = models.PositiveSmallIntegerField("报告年度")
    publisher_kind = models.CharField(
        "发布主体", max_length=20, choices=PublisherKind.choices, default=PublisherKind.DISTRICT
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_reports",
        verbose_name="部门或单位",
    )
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    # 信息处理费 (国办函〔2020〕109号), reported under 六 in yuan.
    fees_collected = models.DecimalField(
        "本年收取信息处理费（元）", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    proactive = models.JSONField("表二 主动公开政府信息情况", default=_zeros_proactive)
    requests = models.JSONField("表三 收到和处理政府信息公开申请情况", default=_zeros_requests)
    appeals = models.JSONField("表四 行政复议、行政诉讼情况", default=_zeros_appeals)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )
    filled_at = models.DateTimeField("最近按平台数据填充", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="修改人",
    )

    objects = DisclosureReportQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "publisher_kind", "unit__sort_order", "pk"]
        constraints = [
            # One district report a year, and one per unit a year.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(publisher_kind=PublisherKind.DISTRICT),
                name="report_one_district_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "unit"],
                condition=Q(publisher_kind=PublisherKind.UNIT),
                name="report_one_per_unit_year",
            ),
            models.CheckConstraint(
                condition=(Q(publisher_kind=PublisherKind.DISTRICT) & Q(unit__isnull=True))
                | (Q(publisher_kind=PublisherKind.UNIT) & Q(unit__isnull=False)),
                name="report_unit_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:disclosure_detail", args=[self.year, self.slug])

    @property
    def publisher_name(self) -> str:
        if self.publisher_kind == PublisherKind.UNIT and self.unit is not None:
            return self.unit.name
        return DISTRICT_NAME

    @property
    def title(self) -> str:
        return f"{self.publisher_name}{self.year}年政府信息公开工作年度报告"

    @property
    def deadline(self) -> Any:
        return report_deadline(self.year, self.publisher_kind)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def slug(self) -> str:
        """The publisher part of the public URL: “district” or “unit-<id>”."""
        if self.publisher_kind == PublisherKind.UNIT:
            return f"unit-{self.unit_id}"
        return "district"

    def tables_dict(self) -> dict[str, dict[str, Any]]:
        return {"proactive": self.proactive, "requests": self.requests, "appeals": self.appeals}
