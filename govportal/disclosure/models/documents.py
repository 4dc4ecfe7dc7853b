"""Policy documents (政策文件), their interpretations (政策解读) and the catalogue vocabularies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from govportal.content.blocks import ArticleBodyBlock
from govportal.content.models import Attachment
from govportal.content.review_views import ReviewPageForm
from govportal.core.models import ArchivableMixin, Unit
from govportal.disclosure import rules
from govportal.disclosure.rules import Validity


class Vocabulary(models.Model):
    """A configurable list of terms (主题分类, 体裁): snippets the operator edits."""

    name = models.CharField("名称", max_length=50, unique=True)
    code = models.SlugField("代码", max_length=20, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")])]

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Topic(Vocabulary):
    """主题分类: the subject of a document; its code is the category part of the 索引号."""

    class Meta(Vocabulary.Meta):
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"


class Genre(Vocabulary):
    """体裁: the document's form (通知、意见、办法 …)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "体裁"
        verbose_name_plural = "体裁"


class CatalogueItem(models.Model):
    """One heading of the 法定主动公开内容 catalogue: an item of 第二十条 or 第二十一条 of the
    政府信息公开条例. Seeded by migration; editable so that local items can be added."""

    class Article(models.TextChoices):
        ART20 = "20", "第二十条"
        ART21 = "21", "第二十一条"
        LOCAL = "local", "本区规定"

    code = models.SlugField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    article = models.CharField("依据条款", max_length=10, choices=Article.choices)
    number = models.PositiveIntegerField("项", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("article"), FieldPanel("number")]),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "主动公开目录类别"
        verbose_name_plural = "主动公开目录类别"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def basis(self) -> str:
        if self.article == self.Article.ART20 and self.number:
            return f"条例第二十条第（{_CN_NUMBERS[self.number]}）项"
        return f"条例{self.get_article_display()}" if self.article != "local" else "本区规定"


_CN_NUMBERS = dict(enumerate("〇一二三四五六七八九十", start=0)) | {
    n: "十" + "一二三四五六七八九"[n - 11] for n in range(11, 20)
}


def index_number_format() -> str:
    return str(
        getattr(settings, "DISCLOSURE_INDEX_NUMBER_FORMAT", rules.DEFAULT_INDEX_NUMBER_FORMAT)
    )


class PolicyDocumentQuerySet(PageQuerySet):
    def with_validity(self, validity: str, *, today: dt.date) -> PolicyDocumentQuerySet:
        """Documents whose validity on `today` is `validity` (the rule of rules.validity_on)."""
        repealed = Q(repealed_on__lte=today)
        expired = Q(valid_until__lt=today) & ~repealed
        if validity == Validity.REPEALED:
            return self.filter(repealed)
        if validity == Validity.EXPIRED:
            return self.filter(expired)
        return self.exclude(repealed).exclude(valid_until__lt=today)


PolicyDocumentManager = PageManager.from_queryset(PolicyDocumentQuerySet)


class PolicyDocumentPage(ArchivableMixin, Page):  # type: ignore[misc]
    """A 政策文件 with its disclosure metadata; also an entry of the disclosure catalogue."""

    # 发文机关: one or several units (joint documents).
    issuing_units = ParentalManyToManyField(
        Unit, blank=True, related_name="policy_documents", verbose_name="发文机关"
    )
    document_number = models.CharField(
        "发文字号",
        max_length=60,
        blank=True,
        db_index=True,
        validators=[rules.document_number_validate],
        help_text="如：宝渭政办发〔2020〕19号（年份用六角括号〔〕）。无文号的信息可留空。",
    )
    index_number = models.CharField(
        "索引号",
        max_length=80,
        unique=True,
        blank=True,
        help_text="留空则按“单位代码-主题分类-年份-序号”自动生成。",
    )
    written_date = models.DateField("成文日期", db_index=True)
    pub_date = models.DateTimeField("发布日期", default=timezone.now, db_index=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="documents", verbose_name="主题分类"
    )
    genre = models.ForeignKey(
        Genre, on_delete=models.PROTECT, related_name="documents", verbose_name="体裁"
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="主动公开目录类别",
    )
    summary = models.TextField("内容概述", max_length=500)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name="正文")
    # 有效性: the state follows from the dates (rules.validity_on), so nothing has to flip it.
    valid_from = models.DateField("施行日期", null=True, blank=True)
    valid_until = models.DateField(
        "有效期至", null=True, blank=True, help_text="有效期届满的次日起显示为“失效”。"
    )
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name="替代文件",
    )
    # The 发文机关 as printed when the document was issued: a unit renamed later (机构改革) does
    # not rewrite its old documents. Filled from the units on save when empty.
    organ_label = models.CharField(
        "发文机关名称", max_length=200, blank=True, help_text="留空则按所选发文机关自动填写。"
    )
    validity_note = models.CharField("有效性说明", max_length=200, blank=True)
    # 第十条(三): wide impact or high public attention → an interpretation goes live with it.
    needs_interpretation = models.BooleanField(
        "需同步解读",
        default=False,
        help_text="涉及面广、社会关注度高的政策文件，须与审核通过的解读一并发布。",
    )
    # 第八条(一): reprinted central, provincial and city documents name their source.
    is_reprint = models.BooleanField("转载上级文件", default=False, db_index=True)
    reprint_organ = models.CharField("原发文机关", max_length=100, blank=True)
    reprint_url = models.URLField("原文地址", max_length=500, blank=True)

    objects = PolicyDocumentManager()  # type: ignore[assignment]

    parent_page_types = ["core.ColumnPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["index_number"]

    content_panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldPanel("issuing_units"),
                FieldPanel("organ_label"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("index_number")]),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("pub_date")]),
                FieldRowPanel(
                    [FieldPanel("topic"), FieldPanel("genre"), FieldPanel("catalogue_item")]
                ),
                FieldPanel("needs_interpretation"),
            ],
            heading="文件信息",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("valid_from"), FieldPanel("valid_until"), FieldPanel("repealed_on")]
                ),
                FieldPanel("replaced_by"),
                FieldPanel("validity_note"),
            ],
            heading="有效性",
        ),
        MultiFieldPanel(
            [FieldPanel("is_reprint"), FieldPanel("reprint_organ"), FieldPanel("reprint_url")],
            heading="转载信息",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("document_number"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("pub_date"),
    ]

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        indexes = [
            models.Index(fields=["catalogue_item", "pub_date"], name="policy_item_pub"),
            models.Index(fields=["topic", "pub_date"], name="policy_topic_pub"),
            models.Index(fields=["genre", "pub_date"], name="policy_genre_pub"),
            # The catalogue's validity filter (废止, 失效) picks few documents out of many.
            models.Index(fields=["repealed_on"], name="policy_repealed_on"),
            models.Index(fields=["valid_until"], name="policy_valid_until"),
        ]

    # --- validity ---

    def validity(self, today: dt.date | None = None) -> Validity:
        return rules.validity_on(
            valid_until=self.valid_until,
            repealed_on=self.repealed_on,
            today=today or timezone.localdate(),
        )

    def validity_changed_on(self) -> dt.date | None:
        """The date the document stopped being in force (shown in the banner)."""
        state = self.validity()
        if state == Validity.REPEALED:
            return self.repealed_on
        if state == Validity.EXPIRED and self.valid_until:
            return self.valid_until + dt.timedelta(days=1)
        return None

    @property
    def organ_names(self) -> str:
        if self.is_reprint and self.reprint_organ:
            return self.reprint_organ
        return self.organ_label

    # --- checks ---

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.is_reprint:
            if not self.reprint_organ.strip():
                errors["reprint_organ"] = "转载的文件必须注明原发文机关。"
            if not self.reprint_url.strip():
                errors["reprint_url"] = "转载的文件必须注明原文地址。"
        elif not self._unit_list():
            errors["issuing_units"] = "请选择发文机关（至少一个单位）。"
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = "有效期截止日期不能早于施行日期。"
        if self.repealed_on and self.written_date and self.repealed_on < self.written_date:
            errors["repealed_on"] = "废止日期不能早于成文日期。"
        if (
            self.replaced_by_id is not None
            and self.pk is not None
            and self.replaced_by_id == self.pk
        ):
            errors["replaced_by"] = "文件不能被自身替代。"
        if self.replaced_by_id and not (self.repealed_on or self.valid_until):
            errors["replaced_by"] = "填写替代文件时，请同时填写废止日期或有效期。"
        if self.index_number:
            clash = (
                PolicyDocumentPage.objects.filter(index_number=self.index_number)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                errors["index_number"] = (
                    f"索引号“{self.index_number}”已被《{clash.title}》使用，索引号不能重复。"
                )
        if self.document_number and "document_number" not in errors:
            clash = (
                PolicyDocumentPage.objects.filter(document_number=self.document_number)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                errors["document_number"] = (
                    f"发文字号“{self.document_number}”已被《{clash.title}》使用。"
                )
        if errors:
            raise ValidationError(errors)

    def _unit_list(self) -> list[Unit]:
        return list(self.issuing_units.all())

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.organ_label:
            self.organ_label = "、".join(unit.name for unit in self._unit_list())
        if not self.index_number:
            self.index_number = self.index_number_next()
        super().save(*args, **kwargs)

    def index_number_next(self) -> str:
        """索引号: the next free number for this document's unit, topic and year."""
        fmt = index_number_format()
        unit = self._index_unit()
        if unit is None or not unit.code:
            name = unit.name if unit else "发文机关"
            raise ValidationError(
                {
                    "index_number": f"“{name}”未设置单位代码，无法生成索引号：请先在单位管理中填写单位代码。"
                }
            )
        year = (self.written_date or timezone.localdate()).year
        unit_code, category = unit.code, self.topic.code
        prefix = rules.index_number_prefix(fmt=fmt, unit=unit_code, category=category, year=year)
        taken = PolicyDocumentPage.objects.filter(index_number__startswith=prefix).values_list(
            "index_number", flat=True
        )
        seqs = [rules.index_number_seq(fmt=fmt, prefix=prefix, number=n) for n in taken]
        seq = max([s for s in seqs if s is not None], default=0) + 1
        return rules.index_number_make(
            fmt=fmt, unit=unit_code, category=category, year=year, seq=seq
        )

    def _index_unit(self) -> Unit | None:
        units = self._unit_list()
        if units:
            return units[0]
        # A reprint has no local issuing organ: the unit responsible for its column numbers it.
        parent = self.get_parent() if self.path else None
        if parent is not None:
            column = parent.specific
            return column.responsible_units.order_by("sort_order", "pk").first()
        return None

    # --- public page ---

    def live_interpretations(self) -> list[InterpretationPage]:
        return list(
            InterpretationPage.objects.live().filter(documents=self).order_by("-pub_date", "-pk")
        )

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from govportal.core.models import ColumnPage
        from govportal.core.models.columns import archived_among

        context = super().get_context(request, *args, **kwargs)
        ancestors = list(
            ColumnPage.objects.ancestor_of(self).select_related("kind").order_by("depth")
        )
        context["ancestors"] = ancestors
        context["column"] = ancestors[-1] if ancestors else None
        context["archived_in"] = archived_among([*ancestors, self])
        context["attachment_list"] = list(
            self.attachments.select_related("document").order_by("sort_order")
        )
        context["interpretations"] = self.live_interpretations()
        # One query for both vocabulary labels (the page itself was loaded without joins).
        labels = (
            PolicyDocumentPage.objects.filter(pk=self.pk)
            .values("topic__name", "genre__name")
            .first()
        ) or {}
        context["topic_name"] = labels.get("topic__name", "")
        context["genre_name"] = labels.get("genre__name", "")
        context["validity"] = self.validity()
        context["replacement"] = (
            PolicyDocumentPage.objects.live().filter(pk=self.replaced_by_id).first()
            if self.replaced_by_id
            else None
        )
        return context


class PolicyTitleGram(models.Model):
    """One pair of adjacent characters of a document's title or 发文字号: the index behind the
    catalogue's title-word filter (rules.title_grams explains; kept by title_grams_update)."""

    document = models.ForeignKey(
        PolicyDocumentPage, on_delete=models.CASCADE, related_name="title_grams", db_index=False
    )
    gram = models.CharField("字对", max_length=2)

    class Meta:
        verbose_name = "标题字对"
        verbose_name_plural = "标题字对"
        constraints = [
            models.UniqueConstraint(fields=["document", "gram"], name="policy_title_gram_unique")
        ]
        indexes = [models.Index(fields=["gram", "document"], name="policy_title_gram")]


def title_grams_update(document: PolicyDocumentPage) -> None:
    """Bring the document's grams in line with its title and 发文字号."""
    wanted = rules.title_grams(document.title, document.document_number)
    stored = PolicyTitleGram.objects.filter(document_id=document.pk)
    have = set(stored.values_list("gram", flat=True))
    if have - wanted:
        stored.filter(gram__in=have - wanted).delete()
    PolicyTitleGram.objects.bulk_create(
        [PolicyTitleGram(document_id=document.pk, gram=g) for g in sorted(wanted - have)]
    )


def title_grams_fill_missing(*, batch: int = 2000) -> int:
    """Index the documents that have no grams yet (documents saved before the index existed,
    or inserted in bulk); safe to run twice. Returns the number of documents indexed."""
    missing = (
        PolicyDocumentPage.objects.filter(
            ~models.Exists(PolicyTitleGram.objects.filter(document_id=models.OuterRef("pk")))
        )
        .order_by("pk")
        .values_list("pk", "title", "document_number")
    )
    done = 0
    rows: list[PolicyTitleGram] = []
    for pk, title, number in missing.iterator(chunk_size=batch):
        rows += [PolicyTitleGram(document_id=pk, gram=g) for g in rules.title_grams(title, number)]
        done += 1
        if len(rows) >= batch * 20:
            PolicyTitleGram.objects.bulk_create(rows, batch_size=batch * 5)
            rows = []
    PolicyTitleGram.objects.bulk_create(rows, batch_size=batch * 5)
    return done


class PolicyDocumentAttachment(Attachment):
    page = ParentalKey(PolicyDocumentPage, on_delete=models.CASCADE, related_name="attachments")

    class Meta(Attachment.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"


class InterpretationForm(models.TextChoices):
    """政策解读的形式."""

    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    AUDIO = "audio", "音频"
    VIDEO = "video", "视频"
    ANIMATION = "animation", "动漫"
    EXPERT = "expert", "专家解读"
    MEDIA = "media", "媒体评论"
    PRESS = "press", "新闻发布会"


class InterpretationPageForm(ReviewPageForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "documents" in self.fields:
            self.fields["documents"].error_messages.update(
                {
                    "invalid_choice": "所关联的政策文件不存在（编号 %(value)s），请重新选择。",
                    "invalid_pk_value": "所关联的政策文件编号“%(pk)s”无效，请重新选择。",
                    "required": "政策解读必须关联至少一个政策文件。",
                }
            )


class InterpretationPage(ArchivableMixin, Page):  # type: ignore[misc]
    """A 政策解读 of one or more policy documents; linked both ways on the public pages."""

    base_form_class = InterpretationPageForm

    form = models.CharField(
        "解读形式",
        max_length=20,
        choices=InterpretationForm.choices,
        default=InterpretationForm.TEXT,
    )
    documents = ParentalManyToManyField(
        PolicyDocumentPage, related_name="interpretations", verbose_name="所解读的政策文件"
    )
    pub_date = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    source = models.CharField("信息来源", max_length=100, blank=True)
    interpreter = models.CharField(
        "解读人", max_length=100, blank=True, help_text="专家解读、新闻发布会的解读人或发布人。"
    )
    summary = models.TextField("摘要", max_length=500, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name="正文")
    media_url = models.URLField(
        "媒体评论原文地址", max_length=500, blank=True, help_text="媒体评论须注明原文地址。"
    )

    parent_page_types = ["core.ColumnPage"]
    subpage_types: list[str] = []

    content_panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("pub_date")]),
        FieldPanel("documents"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("interpreter")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("media_url"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("pub_date"),
    ]

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"

    def clean(self) -> None:
        super().clean()
        from govportal.disclosure.services import interpretation_links_check

        interpretation_links_check(self.documents.all())
        if self.form == InterpretationForm.MEDIA and not self.media_url.strip():
            raise ValidationError({"media_url": "媒体评论须注明原文地址。"})

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from govportal.core.models import ColumnPage
        from govportal.core.models.columns import archived_among

        context = super().get_context(request, *args, **kwargs)
        ancestors = list(
            ColumnPage.objects.ancestor_of(self).select_related("kind").order_by("depth")
        )
        context["ancestors"] = ancestors
        context["column"] = ancestors[-1] if ancestors else None
        context["archived_in"] = archived_among([*ancestors, self])
        context["linked_documents"] = list(
            PolicyDocumentPage.objects.live()
            .filter(interpretations=self)
            .order_by("-pub_date", "-pk")
        )
        return context


class CataloguePage(RoutablePageMixin, Page):  # type: ignore[misc]
    """The 法定主动公开内容 catalogue (政府信息公开目录): browse, filter and export."""

    intro = RichTextField("说明", blank=True)

    parent_page_types = ["core.ColumnPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = "政府信息公开目录"
        verbose_name_plural = "政府信息公开目录"

    def _filtered(self, request: HttpRequest) -> tuple[Any, Any]:
        from govportal.disclosure.catalogue import CatalogueFilterForm, catalogue_queryset

        form = CatalogueFilterForm(request.GET)
        if not form.is_valid():
            return form, None
        return form, catalogue_queryset(form.cleaned_data, today=timezone.localdate())

    @path("", name="index")
    def index_view(self, request: HttpRequest) -> Any:
        from django.template.response import TemplateResponse

        from govportal.core.models import ColumnPage
        from govportal.disclosure.catalogue import (
            catalogue_page_of_entries,
            catalogue_vocabulary,
        )

        form, qs = self._filtered(request)
        context = self.get_context(request)
        ancestors = list(ColumnPage.objects.ancestor_of(self).order_by("depth"))
        section = ancestors[0] if ancestors else None
        today = timezone.localdate()
        context.update(
            form=form,
            ancestors=ancestors,
            section=section,
            section_columns=(
                list(ColumnPage.objects.child_of(section).live().filter(nav_visible=True))
                if section
                else []
            ),
            # The browse links and the filter's choices come from the same cached lists.
            items=catalogue_vocabulary()["items"],
            extra_query=(form.query_string(exclude="page") + "&") if form.is_bound else "",
            export_query=form.query_string(exclude="page"),
            listing=None,
            today=today,
        )
        status = 200
        if qs is None:
            status = 400
        else:
            context["listing"] = catalogue_page_of_entries(
                qs, form.cleaned_data, request.GET.get("page"), today=today
            )
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @path("export/csv/", name="export_csv")
    def export_csv_view(self, request: HttpRequest) -> Any:
        from govportal.disclosure.catalogue import export_csv

        return self._export(request, export_csv)

    @path("export/json/", name="export_json")
    def export_json_view(self, request: HttpRequest) -> Any:
        from govportal.disclosure.catalogue import export_json

        return self._export(request, export_json)

    def _export(self, request: HttpRequest, exporter: Any) -> Any:
        from django.http import HttpResponseBadRequest

        form, qs = self._filtered(request)
        if qs is None:
            errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
            return HttpResponseBadRequest(
                f"筛选条件有误：{errors}", content_type="text/plain; charset=utf-8"
            )
        return exporter(qs, request, timezone.localdate())


# --- Keeping the catalogue's index and cache in step ---------------------------------------------


@receiver(post_save, sender=PolicyDocumentPage, dispatch_uid="disclosure_document_saved")
def _document_saved(
    sender: Any, instance: PolicyDocumentPage, raw: bool = False, **kwargs: Any
) -> None:
    from govportal.disclosure.catalogue import catalogue_changed

    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= _DRAFT_BOOKKEEPING:
        return  # a draft saved as a revision: the live entry the catalogue lists is unchanged
    catalogue_changed()
    if raw or (update_fields is not None and not {"title", "document_number"} & set(update_fields)):
        return
    title_grams_update(instance)


# What Wagtail writes to the page row when an editor saves a draft revision of a page.
_DRAFT_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",
        "comments",
    }
)


def _vocabulary_changed(sender: Any, **kwargs: Any) -> None:
    from govportal.disclosure.catalogue import catalogue_changed

    catalogue_changed()


for _model in (Topic, Genre, CatalogueItem, Unit, PolicyDocumentPage):
    for _signal in (post_save, post_delete):
        if _model is PolicyDocumentPage and _signal is post_save:
            continue
        _signal.connect(
            _vocabulary_changed,
            sender=_model,
            dispatch_uid=f"disclosure_catalogue_{_model.__name__}_{_signal is post_save}",
        )
m2m_changed.connect(
    _vocabulary_changed,
    sender=PolicyDocumentPage.issuing_units.through,
    dispatch_uid="disclosure_catalogue_issuing_units",
)


@receiver(post_migrate, dispatch_uid="disclosure_title_grams_fill")
def _title_grams_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Documents that predate the title-word index get indexed once (no data migration)."""
    from django.db import connections

    if getattr(sender, "label", None) != "disclosure":
        return
    connection = connections[kwargs.get("using") or "default"]
    if PolicyTitleGram._meta.db_table in connection.introspection.table_names():
        title_grams_fill_missing()
