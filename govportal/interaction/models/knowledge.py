"""Models of the knowledge part: 知识库 entries, their topics, and the questions the answer bot
could not answer (第十条(二): 编制形成知识库，并实行动态更新；智能问答机器人 24 小时在线解答)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from govportal.core.models import Unit

__all__ = [
    "KnowledgeEntry",
    "KnowledgeTopic",
    "UnansweredQuestion",
    "source_url_validate",
]


def source_url_validate(value: str) -> None:
    """A source link is a web address (http/https) or a path on this site (/…): never a
    `javascript:` or `data:` link that would run when a citizen clicks it."""
    value = value.strip()
    if not value:
        return
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.lower().startswith(("http://", "https://")) and " " not in value:
        return
    raise ValidationError(
        "来源链接须为以 http:// 或 https:// 开头的网址，或以 / 开头的本站地址。",
        code="source_url",
    )


class KnowledgeTopic(models.Model):
    """A topic (主题) the knowledge base is grouped by: 入学、社保、医保 …"""

    name = models.CharField("主题", max_length=30, unique=True)
    slug = models.SlugField("代码", max_length=30, unique=True, help_text="用于网址，如 ruxue。")
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("slug"), FieldPanel("sort_order")])]

    class Meta:
        verbose_name = "知识库主题"
        verbose_name_plural = "知识库主题"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class KnowledgeEntry(models.Model):
    """One question and its answer, written by an editor or taken from an answered message.

    The answer bot quotes `question` and `answer` as they are stored; it never writes text.
    """

    question = models.CharField("问题", max_length=200)
    answer = models.TextField("答复", max_length=5000)
    topic = models.ForeignKey(
        KnowledgeTopic, on_delete=models.PROTECT, related_name="entries", verbose_name="主题"
    )
    unit = models.ForeignKey(
        Unit,
        # The entry outlives a unit that is merged away; the editor sets the new one on review.
        on_delete=models.SET_NULL,
        related_name="knowledge_entries",
        verbose_name="答复单位",
        null=True,
        blank=True,
    )
    keywords = models.CharField(
        "检索词",
        max_length=200,
        blank=True,
        help_text="群众可能使用的其他说法，用逗号分隔，帮助智能问答找到本条。",
    )
    source_url = models.CharField(
        "来源链接",
        max_length=500,
        blank=True,
        validators=[source_url_validate],
        help_text="答复所依据的留言、办事指南或政策文件的网址。",
    )
    source_text = models.CharField(
        "来源说明", max_length=200, blank=True, help_text="如：区长信箱留言答复、办事指南名称。"
    )
    valid_until = models.DateField(
        "有效期至",
        null=True,
        blank=True,
        help_text="超过此日期的条目标记为“待复核”；留空表示长期有效。",
    )
    live = models.BooleanField(
        "公开", default=True, help_text="取消勾选后不在网站和智能问答中出现。"
    )
    # 第十条(二): 按关注度分类汇总 — the number of times the entry page was opened.
    views = models.PositiveIntegerField("关注度", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    panels = [
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("unit")]),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [FieldPanel("source_url"), FieldPanel("source_text")],
            heading="来源",
        ),
        FieldRowPanel([FieldPanel("valid_until"), FieldPanel("live")]),
    ]

    class Meta:
        verbose_name = "知识库条目"
        verbose_name_plural = "知识库条目"
        ordering = ["-views", "-pk"]
        indexes = [
            models.Index(fields=["topic", "live"], name="knowledge_topic_live"),
            models.Index(fields=["valid_until"], name="knowledge_valid_until"),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("knowledge:entry", args=[self.pk])

    @property
    def source_link(self) -> str:
        """The source URL when it is a safe link (checked again here: rows written outside the
        form, by an import or the shell, never put a `javascript:` link on the public page)."""
        try:
            source_url_validate(self.source_url)
        except ValidationError:
            return ""
        return self.source_url.strip()

    def is_expired(self, today: dt.date) -> bool:
        """Past its validity date: flagged for review (待复核) until an editor renews it."""
        return self.valid_until is not None and self.valid_until < today


class UnansweredQuestion(models.Model):
    """A question the answer bot could not answer, deduplicated by its normalised text, so that
    editors see what citizens ask and the knowledge base does not yet say."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        ADDED = "added", "已补充知识库"
        IGNORED = "ignored", "不予处理"

    normalised = models.CharField("规范化文本", max_length=200, unique=True, editable=False)
    text = models.CharField("问题", max_length=200, editable=False)
    count = models.PositiveIntegerField("提问次数", default=1, editable=False)
    first_asked_at = models.DateTimeField("首次提问", editable=False)
    last_asked_at = models.DateTimeField("最近提问", db_index=True, editable=False)
    status = models.CharField(
        "处理状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.CharField("处理说明", max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="处理人",
    )

    panels = [FieldPanel("status"), FieldPanel("note")]

    class Meta:
        verbose_name = "未能回答的问题"
        verbose_name_plural = "未能回答的问题"
        ordering = ["-count", "-last_asked_at"]

    def __str__(self) -> str:
        return self.text
