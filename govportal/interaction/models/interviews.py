"""Models of the interviews part: 在线访谈 (officials answer the public online).

An `Interview` moves upcoming → live → ended (`interview_start`, `interview_end` in
interviews/services.py). Questions from the public arrive before and during it and are
moderated; the host publishes question–answer pairs, numbered by `sequence`, which the live
page polls for; after the end the same pairs form the archived transcript.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

__all__ = [
    "Interview",
    "InterviewGuest",
    "InterviewImage",
    "InterviewQuestion",
    "InterviewState",
    "QuestionSource",
    "QuestionStatus",
]


class InterviewState(models.TextChoices):
    UPCOMING = "upcoming", "预告"
    LIVE = "live", "正在直播"
    ENDED = "ended", "已结束"


class QuestionStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "待回答"
    REJECTED = "rejected", "不予采用"
    ANSWERED = "answered", "已回答"


class QuestionSource(models.TextChoices):
    PUBLIC = "public", "网友提问"
    HOST = "host", "主持人"


class Interview(ClusterableModel):
    title = models.CharField("访谈主题", max_length=200)
    description = models.TextField("访谈简介")
    starts_at = models.DateTimeField("访谈时间")
    ends_at = models.DateTimeField("预计结束时间")
    unit = models.ForeignKey(
        "core.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="承办单位",
    )
    host_name = models.CharField("主持人", max_length=50, blank=True)
    published = models.BooleanField(
        "在网站上发布", default=False, help_text="勾选后公众可看到访谈预告并提前提问。"
    )
    # Changed only by interview_start / interview_end, never in the edit form.
    state = models.CharField(
        "访谈状态",
        max_length=20,
        choices=InterviewState.choices,
        default=InterviewState.UPCOMING,
        editable=False,
    )
    started_at = models.DateTimeField("实际开始时间", null=True, blank=True, editable=False)
    ended_at = models.DateTimeField("实际结束时间", null=True, blank=True, editable=False)
    summary = models.TextField(
        "访谈小结", blank=True, help_text="访谈结束后显示在文字实录前，可不填。"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("unit"), FieldPanel("host_name")]),
                FieldPanel("description"),
                FieldPanel("published"),
                FieldPanel("summary"),
            ],
            heading="访谈信息",
        ),
        InlinePanel("guests", heading="访谈嘉宾", label="嘉宾", min_num=1),
        InlinePanel("images", heading="访谈图片", label="图片"),
    ]

    class Meta:
        verbose_name = "在线访谈"
        verbose_name_plural = "在线访谈"
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "预计结束时间必须晚于访谈时间。"})

    def get_absolute_url(self) -> str:
        return reverse("interviews:detail", args=[self.pk])

    @property
    def accepts_questions(self) -> bool:
        return self.published and self.state != InterviewState.ENDED


class InterviewGuest(Orderable):
    interview = ParentalKey(Interview, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=100)
    unit_name = models.CharField("单位", max_length=100)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("title"), FieldPanel("unit_name")])]

    class Meta(Orderable.Meta):
        verbose_name = "访谈嘉宾"
        verbose_name_plural = "访谈嘉宾"

    def __str__(self) -> str:
        return f"{self.unit_name}{self.title} {self.name}"


class InterviewImage(Orderable):
    interview = ParentalKey(Interview, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name="图片"
    )
    caption = models.CharField(
        "图片说明", max_length=200, help_text="也用作图片的替代文字，供读屏软件朗读。"
    )

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "访谈图片"
        verbose_name_plural = "访谈图片"


class InterviewQuestion(models.Model):
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="questions", verbose_name="访谈"
    )
    source = models.CharField(
        "来源", max_length=20, choices=QuestionSource.choices, default=QuestionSource.PUBLIC
    )
    nickname = models.CharField("网友昵称", max_length=30, blank=True)
    content = models.TextField("问题")
    submitted_at = models.DateTimeField("提问时间", default=timezone.now)
    during_live = models.BooleanField("直播中提问", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    token = models.CharField(max_length=64, unique=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )
    answer = models.TextField("回答", blank=True)
    answered_by = models.ForeignKey(
        InterviewGuest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        verbose_name="回答嘉宾",
    )
    # The guest as shown at answer time, so a later edit of the guest list keeps the transcript.
    answerer = models.CharField("回答人", max_length=200, blank=True)
    answered_at = models.DateTimeField("回答时间", null=True, blank=True)
    # Publication order of the pair on the live page (1, 2, 3 …); the poll asks for "after n".
    sequence = models.PositiveIntegerField("发布序号", null=True, blank=True)

    class Meta:
        verbose_name = "访谈提问"
        verbose_name_plural = "访谈提问"
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "sequence"], name="interaction_interviewquestion_sequence"
            )
        ]

    def __str__(self) -> str:
        return self.content[:30]
