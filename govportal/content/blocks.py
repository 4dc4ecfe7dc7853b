"""StreamField blocks for articles and the home page."""

from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg"}
VIDEO_EXTENSIONS = {"mp4", "webm"}


class ImageWithAltBlock(blocks.StructBlock):
    """An image whose alternative text is required (GB/T 37668: text alternatives)."""

    image = ImageChooserBlock(label="图片")
    alt = blocks.CharBlock(label="替代文字", max_length=200, help_text="供读屏软件朗读，必填。")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "content/blocks/image.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not (value.get("alt") or "").strip():
            raise blocks.StructBlockValidationError(
                {"alt": ValidationError("图片必须填写替代文字。")}
            )
        return value


def _media_block_clean(value: Any, allowed: set[str], kind: str) -> None:
    doc = value.get("file")
    if doc is not None and doc.file_extension.lower() not in allowed:
        raise blocks.StructBlockValidationError(
            {"file": ValidationError(f"{kind}文件应为 {'、'.join(sorted(allowed))} 格式。")}
        )
    captions = value.get("captions")
    if captions is not None and captions.file_extension.lower() != "vtt":
        raise blocks.StructBlockValidationError(
            {"captions": ValidationError("字幕文件应为 WebVTT (.vtt) 格式。")}
        )


class AudioBlock(blocks.StructBlock):
    file = DocumentChooserBlock(label="音频文件")
    title = blocks.CharBlock(label="标题", max_length=200)
    captions = DocumentChooserBlock(label="字幕 (.vtt)", required=False)
    transcript = blocks.TextBlock(label="文字稿", required=False)

    class Meta:
        icon = "media"
        label = "音频"
        template = "content/blocks/audio.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        _media_block_clean(value, AUDIO_EXTENSIONS, "音频")
        return value


class VideoBlock(blocks.StructBlock):
    file = DocumentChooserBlock(label="视频文件")
    title = blocks.CharBlock(label="标题", max_length=200)
    poster = ImageChooserBlock(label="封面图", required=False)
    captions = DocumentChooserBlock(label="字幕 (.vtt)", required=False)

    class Meta:
        icon = "media"
        label = "视频"
        template = "content/blocks/video.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        _media_block_clean(value, VIDEO_EXTENSIONS, "视频")
        return value


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label="正文",
        features=["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
    )
    image = ImageWithAltBlock()
    audio = AudioBlock()
    video = VideoBlock()
    table = blocks.TextBlock(label="表格 (制表符分隔)", icon="table", required=False)

    class Meta:
        template = "content/blocks/stream.html"


# --- Home page blocks (arranged by an editor) ---------------------------------------------------


class HeadlineNewsBlock(blocks.StructBlock):
    column = blocks.PageChooserBlock(label="取自栏目", page_type="core.ColumnPage")
    count = blocks.IntegerBlock(label="条数", default=6, min_value=1, max_value=20)
    show_images = blocks.BooleanBlock(label="显示图片新闻", required=False, default=True)

    class Meta:
        icon = "pick"
        label = "头条要闻"
        template = "content/blocks/headline_news.html"


class ColumnListBlock(blocks.StructBlock):
    column = blocks.PageChooserBlock(label="栏目", page_type="core.ColumnPage")
    title = blocks.CharBlock(label="显示标题", required=False, help_text="留空则使用栏目名称。")
    count = blocks.IntegerBlock(label="条数", default=8, min_value=1, max_value=20)

    class Meta:
        icon = "list-ul"
        label = "栏目列表"
        template = "content/blocks/column_list.html"


class EntryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="名称", max_length=30)
    page = blocks.PageChooserBlock(label="站内页面", required=False)
    url = blocks.URLBlock(label="外部地址", required=False)
    description = blocks.CharBlock(label="说明", required=False, max_length=60)

    class Meta:
        icon = "link"
        label = "入口"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                {"page": ValidationError("请选择站内页面或填写外部地址。")}
            )
        return value


class EntryGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="标题", max_length=30)
    style = blocks.ChoiceBlock(
        label="类别", choices=[("service", "服务入口"), ("interaction", "互动入口")]
    )
    entries = blocks.ListBlock(EntryBlock(), label="入口", min_num=1, max_num=12)

    class Meta:
        icon = "grip"
        label = "服务/互动入口"
        template = "content/blocks/entry_grid.html"


class TopicBannerBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="专题名称", max_length=60)
    page = blocks.PageChooserBlock(label="专题栏目", required=False)
    url = blocks.URLBlock(label="外部地址", required=False)
    image = ImageChooserBlock(label="横幅图片", required=False)
    alt = blocks.CharBlock(label="替代文字", required=False, max_length=120)

    class Meta:
        icon = "image"
        label = "专题横幅"
        template = "content/blocks/topic_banner.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value.get("image") and not (value.get("alt") or "").strip():
            raise blocks.StructBlockValidationError(
                {"alt": ValidationError("图片必须填写替代文字。")}
            )
        return value


class HomeBodyBlock(blocks.StreamBlock):
    headline = HeadlineNewsBlock()
    column_list = ColumnListBlock()
    entries = EntryGridBlock()
    banner = TopicBannerBlock()
