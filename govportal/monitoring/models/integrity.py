"""Availability probes (站点无法访问) and tamper detection (防篡改, 第十八条).

`ProbeTarget` is a site the monitor visits; `AvailabilityProbe` is one visit of its home page.
`PageFingerprint` is what a published page served at publication (its main content region, as
text, and the SHA-256 of that text); `IntegrityAlert` is a live page that differs from it for
no reason a publication explains; `IntegrityCheck` is one pass of `manage.py check_integrity`.
See docs/integrity.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = [
    "AvailabilityProbe",
    "ElementCheck",
    "IntegrityAlert",
    "IntegrityCheck",
    "PageFingerprint",
    "ProbeTarget",
]


class ProbeTarget(models.Model):
    """A site whose home page is probed (and whose pages check_integrity fetches over HTTP)."""

    name = models.CharField("名称", max_length=100)
    base_url = models.URLField(
        "网站地址",
        unique=True,
        help_text="首页地址，如 https://www.example.gov.cn/ ；防篡改检查也从这里访问各页面。",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="对应站点",
        help_text="本平台托管的站点；外部网站留空。",
    )
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "可用性探测目标"
        verbose_name_plural = "可用性探测目标"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.base_url}）"


class AvailabilityProbe(models.Model):
    """One visit of a target's home page: answered in time or not (国办秘函〔2019〕19号)."""

    target = models.ForeignKey(
        ProbeTarget, on_delete=models.CASCADE, related_name="probes", verbose_name="探测目标"
    )
    at = models.DateTimeField("探测时间", db_index=True)
    ok = models.BooleanField("成功")
    status_code = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    error = models.CharField("错误类型", max_length=30, blank=True)
    elapsed_ms = models.PositiveIntegerField("耗时（毫秒）", null=True, blank=True)

    class Meta:
        verbose_name = "可用性探测记录"
        verbose_name_plural = "可用性探测记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["target", "at"])]

    def __str__(self) -> str:
        return f"{self.target.name} {self.at:%Y-%m-%d %H:%M} {'成功' if self.ok else '失败'}"


class PageFingerprint(models.Model):
    """What a published page served: its main content region as text and that text's SHA-256."""

    class Source(models.TextChoices):
        PUBLISH = "publish", "发布时生成"
        ON_DEMAND = "on_demand", "检查时按已发布版本生成"
        RESTORE = "restore", "恢复后生成"
        REBASELINE = "rebaseline", "相关内容更新后重新生成"

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="页面"
    )
    # A plain number, like the review trail: the revision this fingerprint was taken from.
    revision_id = models.BigIntegerField("版本号")
    content_digest = models.CharField(
        "版本内容摘要", max_length=64, help_text="生成指纹时已发布版本内容的摘要（审核记录同法）。"
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField("正文区域文本")
    url = models.CharField("页面地址", max_length=500, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    checked_at = models.DateTimeField("最近一致时间", null=True, blank=True)

    class Meta:
        verbose_name = "页面指纹"
        verbose_name_plural = "页面指纹"

    def __str__(self) -> str:
        return f"{self.url} {self.sha256[:12]}"


class IntegrityAlert(models.Model):
    """A live page that differs from its published version (第十八条: 防篡改). Critical."""

    class Kind(models.TextChoices):
        CONTENT_CHANGED = "content_changed", "页面内容与已发布版本不一致"
        REVISION_CHANGED = "revision_changed", "已发布版本的存档被改动"

    class State(models.TextChoices):
        OPEN = "open", "待处置"
        RESTORED = "restored", "已恢复"
        RESOLVED = "resolved", "已一致（复查）"

    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="页面",
    )
    page_title = models.CharField("页面标题", max_length=255)
    url = models.CharField("页面地址", max_length=500)
    revision_id = models.BigIntegerField("已发布版本号", null=True, blank=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    detected_at = models.DateTimeField("发现时间", default=timezone.now, db_index=True)
    expected_sha256 = models.CharField("已发布摘要", max_length=64)
    live_sha256 = models.CharField("线上摘要", max_length=64, blank=True)
    expected_text = models.TextField("已发布正文区域")
    live_text = models.TextField("线上正文区域", blank=True)
    units = models.ManyToManyField(
        "core.Unit", blank=True, related_name="+", verbose_name="责任单位"
    )
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField("处置时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="处置人",
    )
    note = models.TextField("处置说明", blank=True)

    class Meta:
        verbose_name = "防篡改告警"
        verbose_name_plural = "防篡改告警"
        ordering = ["-detected_at"]
        permissions = [("restore_integrityalert", "恢复被篡改页面的已发布版本")]
        constraints = [
            # One open alert per page: a check run twice does not raise the same alert twice.
            models.UniqueConstraint(
                fields=["page"],
                condition=models.Q(state="open"),
                name="integrity_one_open_alert_per_page",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_title}（{self.get_state_display()}）"


class IntegrityCheck(models.Model):
    """One pass of check_integrity over a site: how many pages, matches and alerts."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="站点",
    )
    base_url = models.CharField("访问地址", max_length=300, blank=True)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    pages = models.PositiveIntegerField("检查页面数", default=0)
    matched = models.PositiveIntegerField("一致", default=0)
    rebaselined = models.PositiveIntegerField("新发布或相关内容更新", default=0)
    unreachable = models.PositiveIntegerField("无法访问", default=0)
    alerts = models.PositiveIntegerField("新告警", default=0)

    class Meta:
        verbose_name = "防篡改检查"
        verbose_name_plural = "防篡改检查"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.pages} 页"


class ElementCheck(models.Model):
    """One check of the page elements of a site: the home page and a sample of pages, the
    search form and the site map (国办发〔2017〕47号 底部功能区; 国办秘函〔2019〕19号 功能设计)."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="站点",
    )
    checked_at = models.DateTimeField("检查时间", db_index=True)
    via = models.CharField("访问方式", max_length=100)
    # [{"url": "/", "home": true, "status": 200, "missing": ["icp", ...]}, ...]
    pages = models.JSONField("检查的页面", default=list)
    search_ok = models.BooleanField("搜索可用", default=False)
    search_detail = models.CharField("搜索说明", max_length=300, blank=True)
    site_map_ok = models.BooleanField("网站地图可用", default=False)
    site_map_detail = models.CharField("网站地图说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "页面要素检查"
        verbose_name_plural = "页面要素检查"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M}"
