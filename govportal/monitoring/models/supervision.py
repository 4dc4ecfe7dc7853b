"""Supervision records (第二十二条: 日监测读网、月单独提醒、季发文通报、年绩效考核; 第二十三、二十四条).

- `CheckRun`: one daily check (日监测读网) for one date, which is also that day's duty log
  (值班读网记录); its `Measurement` rows keep each indicator's result, so the verdict for any date
  is judged from what was measured that day, not from today's data.
- `WorkOrder`: one problem (工单) for the units responsible for it, with its `WorkOrderEvent`
  history (open → fixed by the unit → verified by the next check, or reopened).
- `UnitReminder`: the monthly reminder (月单独提醒) sent to one unit for one month.
- `AccountabilityMeasure`: 约谈, 书面检查, 通报批评 recorded against a unit (第二十四条).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

__all__ = [
    "AccountabilityMeasure",
    "CheckRun",
    "Measurement",
    "UnitReminder",
    "WorkOrder",
    "WorkOrderEvent",
]


class CheckRun(models.Model):
    """The daily check of one date (日监测读网) and its duty log (值班读网记录)."""

    date = models.DateField("监测日期")
    edition = models.CharField("指标版本", max_length=100)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    passed = models.BooleanField("是否合格", null=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    summary = models.JSONField("评估结果", default=dict, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="值班人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="留空表示由定时任务执行。",
    )
    note = models.TextField("值班备注", blank=True)

    class Meta:
        verbose_name = "值班读网记录"
        verbose_name_plural = "值班读网记录"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "edition"], name="checkrun_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} 日监测读网"

    @property
    def verdict_label(self) -> str:
        if self.passed is None:
            return "未完成"
        return "合格" if self.passed else "不合格"


class Measurement(models.Model):
    """One indicator's result on one daily check: the stored CheckResult and the indicator as it
    stood that day (so a later edit of the table does not rewrite the past)."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField("监测日期", db_index=True)
    indicator_code = models.CharField("指标代码", max_length=60)
    indicator_name = models.CharField("指标项目", max_length=200)
    level = models.CharField("类别", max_length=20)
    rule_kind = models.CharField("检查规则", max_length=60)
    thresholds = models.JSONField("阈值", default=dict, blank=True)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2, default=0)
    cap = models.DecimalField("分值上限", max_digits=6, decimal_places=2, null=True, blank=True)
    measured = models.FloatField("测得值", null=True, blank=True)
    breached = models.BooleanField("达到阈值", default=False)
    count = models.PositiveIntegerField("计分次数", default=0)
    untested_reason = models.TextField("未测原因", blank=True)
    findings = models.JSONField("发现的问题", default=list, blank=True)

    class Meta:
        verbose_name = "监测结果"
        verbose_name_plural = "监测结果"
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "indicator_code"], name="measurement_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.indicator_name}"


class WorkOrder(models.Model):
    """A problem the monitor found, for the units responsible for it (工单).

    The same finding on later checks is the same order: `fingerprint` names the finding
    (indicator, column, address, the rule's own key) and is unique among orders not yet verified.
    """

    class State(models.TextChoices):
        OPEN = "open", "待整改"
        FIXED = "fixed", "已整改待核验"
        VERIFIED = "verified", "已核验"

    fingerprint = models.CharField("问题指纹", max_length=64, db_index=True)
    indicator_code = models.CharField("指标代码", max_length=60)
    indicator_name = models.CharField("指标项目", max_length=200)
    level = models.CharField("类别", max_length=20)
    message = models.TextField("问题描述")
    url = models.CharField("页面地址", max_length=2000, blank=True)
    column = models.ForeignKey(
        "core.ColumnPage",
        verbose_name="栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    units = models.ManyToManyField(
        "core.Unit", verbose_name="责任单位", blank=True, related_name="work_orders"
    )
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    opened_on = models.DateField("发现日期")
    due_on = models.DateField("整改期限")
    last_seen_on = models.DateField("最近发现日期")
    fixed_at = models.DateTimeField("整改时间", null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fix_note = models.TextField("整改说明", blank=True)
    verified_on = models.DateField("核验日期", null=True, blank=True)
    reopen_count = models.PositiveIntegerField("重新打开次数", default=0)

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = "工单"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~models.Q(state="verified"),
                name="workorder_one_active_per_finding",
            )
        ]

    def __str__(self) -> str:
        return f"工单 {self.pk}：{self.message[:40]}"

    def overdue_on(self, day: dt.date) -> bool:
        """Still not fixed after its deadline (第二十三条: 问题整改不积极不到位)."""
        return self.state == self.State.OPEN and self.due_on < day


class WorkOrderEvent(models.Model):
    class Kind(models.TextChoices):
        OPENED = "opened", "发现问题"
        FIXED = "fixed", "单位整改"
        VERIFIED = "verified", "复查确认"
        REOPENED = "reopened", "复查仍存在，重新打开"

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    at = models.DateTimeField("时间")
    on = models.DateField("日期", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    run = models.ForeignKey(
        CheckRun,
        verbose_name="日监测",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "工单记录"
        verbose_name_plural = "工单记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class UnitReminder(models.Model):
    """The monthly reminder (月单独提醒) of one unit for one month; at most one per month."""

    unit = models.ForeignKey("core.Unit", verbose_name="单位", on_delete=models.CASCADE)
    month = models.DateField("月份", help_text="该月 1 日。")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    recipients = models.JSONField("收件人", default=list, blank=True)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    open_orders = models.PositiveIntegerField("未整改工单", default=0)
    due_columns = models.PositiveIntegerField("即将到期栏目", default=0)

    class Meta:
        verbose_name = "月度提醒"
        verbose_name_plural = "月度提醒"
        ordering = ["-month", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="unitreminder_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y年%m月}提醒"


class AccountabilityMeasure(models.Model):
    """第二十四条: 视情况对责任单位采取约谈、书面检查、通报批评等措施进行责任追究."""

    class Kind(models.TextChoices):
        TALK = "talk", "约谈"
        WRITTEN_REVIEW = "written_review", "书面检查"
        CRITICISM = "criticism", "通报批评"

    unit = models.ForeignKey(
        "core.Unit",
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="accountability_measures",
    )
    kind = models.CharField("措施", max_length=20, choices=Kind.choices)
    decided_on = models.DateField("决定日期")
    reason = models.TextField("事由")
    orders = models.ManyToManyField(
        WorkOrder, verbose_name="相关工单", blank=True, related_name="measures"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "责任追究"
        verbose_name_plural = "责任追究"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit}：{self.get_kind_display()}（{self.decided_on:%Y-%m-%d}）"
