"""Models of the surveys part: 征集调查 and 意见征集 on a draft (第十条(一)).

A `Survey` is either a questionnaire (问卷调查) or a consultation on a draft document
(意见征集); a consultation may carry questions too. Answers are anonymous: a `SurveyResponse` keeps
only a keyed hash of the IP address and, when the survey asks for it, of the phone number.
The deadline rules are pure functions in `govportal.interaction.surveys.rules`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

__all__ = [
    "CommentStatus",
    "ConsultationComment",
    "QuestionKind",
    "Survey",
    "SurveyAnswer",
    "SurveyKind",
    "SurveyPhase",
    "SurveyQuestion",
    "SurveyResponse",
]

RATING_MAX = 5


class SurveyKind(models.TextChoices):
    SURVEY = "survey", "问卷调查"
    CONSULTATION = "consultation", "意见征集"


class SurveyPhase(models.TextChoices):
    DRAFT = "draft", "未发布"
    NOT_OPEN = "not_open", "尚未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    RATING = "rating", "评分（1–5分）"
    TEXT = "text", "文字回答"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    REJECTED = "rejected", "不予公开"


class Survey(ClusterableModel):
    kind = models.CharField("类型", max_length=20, choices=SurveyKind.choices)
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("说明", blank=True, help_text="征集的目的、范围和填写须知。")
    unit = models.ForeignKey(
        "core.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发起单位",
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")
    published = models.BooleanField(
        "在网站上发布", default=False, help_text="勾选后公众可以看到本次征集。"
    )
    phone_check = models.BooleanField(
        "要求填写手机号码",
        default=False,
        help_text="每个手机号码只能参与一次（不发短信，号码不公开，只保存其加密摘要）。",
    )
    draft_document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="征求意见稿（附件）",
    )
    draft_text = models.TextField(
        "征求意见稿正文",
        blank=True,
        help_text="粘贴草案全文；以“第一条”“第二条”……开头的段落会分条显示，公众可逐条提出意见。",
    )
    # Set by survey_close: the moment the survey actually ended (early, or on schedule).
    closed_at = models.DateTimeField("实际结束时间", null=True, blank=True, editable=False)
    feedback_text = models.TextField("采纳情况反馈", blank=True, editable=False)
    feedback_published_at = models.DateTimeField(
        "反馈发布时间", null=True, blank=True, editable=False
    )
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name="反馈发布人",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
                FieldPanel("title"),
                FieldPanel("intro"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("published"), FieldPanel("phone_check")]),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [FieldPanel("draft_document"), FieldPanel("draft_text")],
            heading="意见征集的草案（问卷调查可不填）",
        ),
        InlinePanel("questions", heading="问题", label="问题"),
    ]

    class Meta:
        verbose_name = "征集调查"
        verbose_name_plural = "征集调查"
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "结束时间必须晚于开始时间。"})

    @property
    def ended_at(self) -> dt.datetime:
        """When answering stopped: the early close, or the scheduled end."""
        if self.closed_at is not None and self.closed_at < self.closes_at:
            return self.closed_at
        return self.closes_at

    def phase(self, now: dt.datetime) -> SurveyPhase:
        if not self.published:
            return SurveyPhase.DRAFT
        if self.closed_at is not None or now >= self.closes_at:
            return SurveyPhase.CLOSED
        if now < self.opens_at:
            return SurveyPhase.NOT_OPEN
        return SurveyPhase.OPEN

    @property
    def is_consultation(self) -> bool:
        return self.kind == SurveyKind.CONSULTATION

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])


class SurveyQuestion(Orderable):
    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField("题型", max_length=20, choices=QuestionKind.choices)
    text = models.CharField("问题", max_length=300)
    required = models.BooleanField("必答", default=True)
    choices = models.TextField(
        "选项",
        blank=True,
        help_text="单选题和多选题填写，每行一个选项。",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("text"),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "问题"
        verbose_name_plural = "问题"

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(self.options) < 2:
            raise ValidationError({"choices": "单选题和多选题至少要有两个选项，每行一个。"})
        if self.pk and self.answers.exists():
            # Answers are stored by kind (a label, a rating or a text): a new kind would
            # leave them uncountable.
            before = SurveyQuestion.objects.filter(pk=self.pk).values_list("kind", flat=True)
            if before.first() != self.kind:
                raise ValidationError({"kind": "这道题已有人回答，不能再更改题型。"})

    @property
    def options(self) -> list[str]:
        seen: list[str] = []
        for line in self.choices.splitlines():
            label = line.strip()[:200]
            if label and label not in seen:
                seen.append(label)
        return seen


class SurveyResponse(models.Model):
    """One person's answers to one survey. Anonymous: no name, only keyed hashes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    # The form's one-time token: a double-clicked submit button stores one response, not two.
    token = models.CharField(max_length=64, unique=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "phone_hash"],
                condition=~models.Q(phone_hash=""),
                name="interaction_surveyresponse_one_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} 答卷 {self.pk}"


class SurveyAnswer(models.Model):
    """One answer: a chosen option (one row per option of a multiple choice), a rating or text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    # The option's label as it was shown, so later edits to the options do not reassign answers.
    choice = models.CharField(max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(RATING_MAX)]
    )
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = "回答"


class ConsultationComment(models.Model):
    """A comment on a draft, on one article (条) or on the whole; shown only once approved."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="comments", verbose_name="意见征集"
    )
    article = models.CharField("针对条款", max_length=20, blank=True, help_text="空表示总体意见")
    content = models.TextField("意见内容")
    nickname = models.CharField("署名", max_length=30, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
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

    class Meta:
        verbose_name = "征集意见"
        verbose_name_plural = "征集意见"
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.article or '总体意见'}：{self.content[:20]}"

    @property
    def article_label(self) -> str:
        return self.article or "总体意见"
