"""The home page and articles (news, notices, general content) with attachments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from govportal.content.blocks import ArticleBodyBlock, HomeBodyBlock
from govportal.core.models import ArchivableMixin

# Attachments an article may carry (issue 2: PDF, Word, Excel, WPS, OFD, ZIP).
ATTACHMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip"}
ATTACHMENT_TYPE_LABELS = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "wps": "WPS 文字",
    "et": "WPS 表格",
    "ofd": "OFD",
    "zip": "ZIP 压缩包",
}


class HomePage(Page):
    """The portal's home page, arranged by an editor from blocks."""

    body = StreamField(HomeBodyBlock(), blank=True, verbose_name="首页内容")

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.ColumnPage"]
    content_panels = [*Page.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def route(self, request: Any, path_components: list[str]) -> Any:
        if path_components and self.live:
            from govportal.core.models import ColumnPage
            from govportal.core.models.columns import PagesOnPath, child_for_route

            # Every page on the path in one query; each level then finds its child there.
            PagesOnPath.attach(request, self, path_components)
            child = child_for_route(self, path_components[0], [ColumnPage], request)
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


class ArticlePage(ArchivableMixin, Page):  # type: ignore[misc]
    """A news item, notice or general article inside a column."""

    subtitle = models.CharField("副标题", max_length=200, blank=True)
    source = models.CharField("信息来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    pub_date = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    summary = models.TextField("摘要", max_length=500, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="封面图",
    )
    cover_alt = models.CharField("封面图替代文字", max_length=200, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name="正文")
    # 第八条(一): reprints must name the source site and its URL.
    is_reprint = models.BooleanField("转载", default=False)
    reprint_site = models.CharField("转载来源网站", max_length=100, blank=True)
    reprint_url = models.URLField("转载原文地址", blank=True, max_length=500)

    parent_page_types = ["core.ColumnPage"]
    subpage_types: list[str] = []

    content_panels = [
        FieldPanel("title"),
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("pub_date")]),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FieldRowPanel([FieldPanel("cover"), FieldPanel("cover_alt")]),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件"),
        MultiFieldPanel(
            [FieldPanel("is_reprint"), FieldPanel("reprint_site"), FieldPanel("reprint_url")],
            heading="转载信息",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("pub_date"),
    ]

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-pub_date"]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.is_reprint:
            if not self.reprint_site.strip():
                errors["reprint_site"] = "转载的信息必须注明来源网站。"
            if not self.reprint_url.strip():
                errors["reprint_url"] = "转载的信息必须注明原文地址。"
        if self.cover_id and not self.cover_alt.strip():
            errors["cover_alt"] = "封面图必须填写替代文字。"
        if errors:
            raise ValidationError(errors)

    def column(self) -> Any:
        from govportal.core.models import ColumnPage

        return ColumnPage.objects.ancestor_of(self).order_by("-depth").first()

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from govportal.core.models import ColumnPage
        from govportal.core.models.columns import archived_among

        context = super().get_context(request, *args, **kwargs)
        # One query for the enclosing columns: breadcrumbs, column meta tags, archive banner.
        ancestors = list(
            ColumnPage.objects.ancestor_of(self).select_related("kind").order_by("depth")
        )
        context["ancestors"] = ancestors
        context["column"] = ancestors[-1] if ancestors else None
        context["archived_in"] = archived_among([*ancestors, self])
        context["attachment_list"] = list(
            self.attachments.select_related("document").order_by("sort_order")
        )
        return context


class Attachment(Orderable):
    """A file attached to a page (issue 2: PDF, Word, Excel, WPS, OFD, ZIP), shown with its type
    and size. Concrete attachments add the `page` ParentalKey."""

    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+", verbose_name="文件"
    )
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def clean(self) -> None:
        super().clean()
        if self.document_id:
            ext = self.document.file_extension.lower()
            if ext not in ATTACHMENT_EXTENSIONS:
                raise ValidationError(
                    {"document": f"附件类型 .{ext} 不允许；允许 PDF、Word、Excel、WPS、OFD、ZIP。"}
                )

    @property
    def display_title(self) -> str:
        return self.title or self.document.title

    @property
    def type_label(self) -> str:
        ext = self.document.file_extension.lower()
        return ATTACHMENT_TYPE_LABELS.get(ext, ext.upper())


class ArticleAttachment(Attachment):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")

    class Meta(Attachment.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"
