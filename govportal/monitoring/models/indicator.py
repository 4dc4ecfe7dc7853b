"""The inspection indicator table (国办秘函〔2019〕19号) as data."""

from __future__ import annotations

from django.db import models
from wagtail.models import RevisionMixin


class Indicator(RevisionMixin, models.Model):
    """One item of the national inspection indicators (国办秘函〔2019〕19号) as data.

    The table is seeded by a migration and edited by the operator in the admin, so that a new
    edition of the indicators is a data change, not a code change. `rule_kind` names the plug-in
    check in `monitoring.rules` that measures it; `thresholds` are that check's parameters.

    Versioned two ways: a new edition of the national indicators is a new set of rows (`edition`),
    and every edit of a row is a stored revision (Wagtail's RevisionMixin: the admin's history
    shows who changed which threshold when, and can compare and restore). Each daily measurement
    also keeps the thresholds it was judged with, so past verdicts do not move.
    """

    class Level(models.TextChoices):
        VETO = "veto", "单项否决"
        DEDUCTION = "deduction", "扣分"
        BONUS = "bonus", "加分"

    code = models.SlugField("代码", max_length=60)
    name = models.CharField("指标项目", max_length=200)
    category = models.CharField("一级指标", max_length=100, blank=True)
    level = models.CharField("类别", max_length=20, choices=Level.choices)
    rule_kind = models.CharField(
        "检查规则", max_length=60, help_text="监测程序中的检查规则代码，见开发文档。"
    )
    thresholds = models.JSONField("阈值", default=dict, blank=True)
    points = models.DecimalField(
        "分值", max_digits=6, decimal_places=2, default=0, help_text="扣分或加分项每处的分值。"
    )
    cap = models.DecimalField(
        "分值上限",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="本指标最多扣（加）的分数；留空表示只扣（加）一次分值。",
    )
    edition = models.CharField("版本", max_length=100, default="国办秘函〔2019〕19号")
    active = models.BooleanField("启用", default=True)
    note = models.TextField("说明", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "检查指标"
        verbose_name_plural = "检查指标"
        ordering = ["edition", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="indicator_code_per_edition")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.name}"
