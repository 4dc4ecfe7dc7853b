"""The lexicon of flagged words (错敏词词库), managed in the admin."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from govportal.checks import engine
from govportal.checks.lexicon import Term
from govportal.checks.lexicon_io import DEFAULT_SEVERITY, entry_errors, split_exceptions
from govportal.lib.textnorm import normalise_term


class LexiconCategory(models.TextChoices):
    SENSITIVE = engine.Category.SENSITIVE.value, "敏感词"
    TYPO = engine.Category.TYPO.value, "错别字"
    WORDING = engine.Category.WORDING.value, "不规范表述"
    ADVERTISING = engine.Category.ADVERTISING.value, "广告用语"


class LexiconSeverity(models.TextChoices):
    BLOCK = engine.Severity.BLOCK.value, "阻断"
    WARN = engine.Severity.WARN.value, "警告"


class LexiconEntry(models.Model):
    """One flagged word, for the whole platform or for one site."""

    word = models.CharField("词语", max_length=100)
    category = models.CharField("类别", max_length=20, choices=LexiconCategory.choices)
    severity = models.CharField(
        "级别",
        max_length=10,
        choices=LexiconSeverity.choices,
        blank=True,
        help_text="阻断：内容不能提交和发布；警告：审核人须逐条确认。留空按类别默认（敏感词阻断，其余警告）。",
    )
    suggestion = models.CharField(
        "建议写法", max_length=200, blank=True, help_text="错别字和不规范表述必填，如 按装 → 安装。"
    )
    exceptions = models.CharField(
        "例外词",
        max_length=1000,
        blank=True,
        help_text="包含该词语但属于正确用法的词，用顿号分隔，如词语“以经”的例外词：以经济、以经营。",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="适用网站",
        help_text="留空表示全平台适用；选择网站则只检查该网站的内容，并可覆盖全平台的同名词条。",
    )
    active = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="添加人",
    )
    added_at = models.DateTimeField("添加时间", default=timezone.now, editable=False)
    # Changes to the lexicon are noticed through this column (see services.lexicon_for_site).
    updated_at = models.DateTimeField("修改时间", auto_now=True, db_index=True)

    panels = [
        FieldRowPanel([FieldPanel("word"), FieldPanel("category"), FieldPanel("severity")]),
        FieldRowPanel([FieldPanel("suggestion"), FieldPanel("site")]),
        FieldPanel("exceptions"),
        FieldRowPanel([FieldPanel("active"), FieldPanel("note")]),
    ]

    class Meta:
        verbose_name = "词库词条"
        verbose_name_plural = "错敏词词库"
        ordering = ["category", "word"]
        constraints = [
            models.UniqueConstraint(
                fields=["word", "site"],
                name="lexicon_entry_unique_word_per_site",
                violation_error_message="该网站的词库已有这个词语。",
            ),
            # NULL sites are distinct in SQL: the whole-platform scope needs its own constraint.
            models.UniqueConstraint(
                fields=["word"],
                condition=Q(site__isnull=True),
                name="lexicon_entry_unique_word_platform",
                violation_error_message="全平台词库已有这个词语。",
            ),
        ]

    def __str__(self) -> str:
        return self.word

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.severity and self.category:
            self.severity = self.effective_severity
        super().save(*args, **kwargs)

    @property
    def effective_severity(self) -> str:
        return self.severity or DEFAULT_SEVERITY[engine.Category(self.category)]

    def exception_words(self) -> tuple[str, ...]:
        return split_exceptions(self.exceptions)

    def term(self) -> Term:
        return Term(
            self.word,
            self.category,
            self.effective_severity,
            self.suggestion,
            self.exception_words(),
        )

    def clean(self) -> None:
        super().clean()
        self.word = self.word.strip()
        errors: dict[str, list[str]] = {}
        for field, message in entry_errors(
            self.word, self.category or None, self.suggestion.strip(), self.exception_words()
        ):
            errors.setdefault(field, []).append(message)
        key = normalise_term(self.word)
        if key and "word" not in errors:
            same_scope = LexiconEntry.objects.filter(site=self.site).exclude(pk=self.pk)
            for other in same_scope.filter(word__icontains=key[:1]).only("word"):
                if normalise_term(other.word) == key:
                    errors.setdefault("word", []).append(
                        f"与已有词条“{other.word}”重复（忽略空格、标点、繁简和大小写后相同）"
                    )
                    break
        if errors:
            raise ValidationError(errors)
