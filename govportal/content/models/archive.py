"""第十五条: the archive log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ArchiveLog(models.Model):
    """第十五条: what was archived (or restored), when and by whom."""

    class Action(models.TextChoices):
        ARCHIVE = "archive", "归档"
        RESTORE = "restore", "取消归档"

    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField("页面标题", max_length=255)
    page_url = models.CharField("页面地址", max_length=500)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    is_column = models.BooleanField("整个栏目", default=False)
    reason = models.CharField("原因", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "归档记录"
        verbose_name_plural = "归档记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.page_title}"
