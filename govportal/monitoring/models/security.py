"""Security incidents the operator records (单项否决“安全、泄密事故等严重问题”).

Tamper alerts and the content checks find some incidents by themselves; the rest (an attack the
security team handled, a leak reported by a citizen, a misstatement a reader pointed out) exist
only when somebody writes them down. One row is one incident; the rule `security_incidents`
(monitoring/security_rules.py) counts the rows of its window. See docs/monitoring.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel

__all__ = ["SecurityIncident"]


class SecurityIncident(models.Model):
    """One 安全、泄密事故 or other serious problem of the site, as the operator recorded it."""

    # The parts of the veto (国办秘函〔2019〕19号 单项否决第1项), as an operator names them.
    # 第十七条、第十八条: attacks, 挂马 and 篡改; 第十九条: 涉密信息不上网, no links to bad sites;
    # 第八条(二): no personal data; 第二十条: an incident from a lapse at work is followed up.
    class Kind(models.TextChoices):
        TAMPERED = "tampered", "网站被攻击篡改"
        MALWARE = "malware", "挂马/暗链"
        STATE_SECRET = "state_secret", "泄露国家秘密"
        PERSONAL_DATA = "personal_data", "泄露个人信息"
        MISSTATEMENT = "misstatement", "严重表述错误"
        ILLEGAL_CONTENT = "illegal_content", "发布或链接违法违规内容"
        OTHER = "other", "其他"

    occurred_on = models.DateField("发生日期", db_index=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    description = models.TextField("经过和处置情况")
    url = models.CharField(
        "页面地址", max_length=500, blank=True, help_text="涉及的页面地址，没有可留空。"
    )
    unit = models.ForeignKey(
        "core.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="责任单位",
        help_text="负责整改的单位，没有可留空。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    resolved_on = models.DateField(
        "处置完成日期",
        null=True,
        blank=True,
        help_text="处置完成后填写。已处置的事件在监测周期内仍计入单项否决。",
    )

    panels = [
        FieldRowPanel([FieldPanel("occurred_on"), FieldPanel("kind")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("unit")]),
        FieldPanel("resolved_on"),
    ]

    class Meta:
        verbose_name = "安全事件"
        verbose_name_plural = "安全事件登记"
        ordering = ["-occurred_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors: dict[str, str] = {}
        if self.occurred_on and self.occurred_on > today:
            errors["occurred_on"] = "发生日期不能晚于今天。"
        if self.resolved_on and self.occurred_on and self.resolved_on < self.occurred_on:
            errors["resolved_on"] = "处置完成日期不能早于发生日期。"
        if errors:
            raise ValidationError(errors)
