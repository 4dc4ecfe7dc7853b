"""A realistic small portal for the public-page tests: six top columns, subcolumns, articles with
pictures, attachments, audio and video, and a home page arranged from every kind of block.

Built on `govportal.testing` (build_portal, add_column, add_article); the page tests, the query
budgets and the browser tests all look at the same site.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images.models import Image

from govportal.content.models import ArticleAttachment, ArticlePage
from govportal.content.review import review_bypass
from govportal.core.models import ColumnPage, SiteIdentity
from govportal.testing import Portal, add_article, add_column

BASE_TIME = dt.datetime(2025, 3, 10, 9, 30, tzinfo=dt.UTC)

NEWS_TITLES = [
    "区政府召开常务会议研究部署春季农业生产工作",
    "我区举办2025年重点项目集中开工活动",
    "区领导调研城市更新和老旧小区改造工作",
    "全区安全生产工作会议召开",
    "我区开展“文明交通 你我同行”主题宣传活动",
    "区人民医院新门诊楼投入使用",
    "我区再添三所普惠性幼儿园",
    "区政务服务中心推出“周末不打烊”服务",
]
NOTICE_TITLES = [
    "关于2025年清明节假期安排的通知",
    "关于开展2025年度城乡居民医疗保险集中参保工作的通告",
    "关于公开招聘社区工作者的公告",
    "关于做好春季森林防火工作的通知",
]


@dataclass
class SamplePortal:
    portal: Portal
    columns: dict[str, ColumnPage]
    article: ArticlePage
    picture_articles: list[ArticlePage]


def png_image(
    title: str, colour: tuple[int, int, int], size: tuple[int, int] = (960, 540)
) -> Image:
    """A generated picture (no external file): a coloured field with a few shapes."""
    canvas = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(canvas)
    w, h = size
    draw.rectangle((0, int(h * 0.7), w, h), fill=(236, 236, 236))
    draw.ellipse((int(w * 0.1), int(h * 0.15), int(w * 0.3), int(h * 0.5)), fill=(250, 250, 250))
    buf = io.BytesIO()
    canvas.save(buf, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buf, name=f"{title}.png"))


def document(title: str, filename: str, content: bytes) -> Document:
    doc = Document(title=title)
    doc.file.save(filename, ContentFile(content), save=False)
    doc.file_size = len(content)
    doc.save()
    return doc


WEBVTT = "WEBVTT\n\n00:00.000 --> 00:04.000\n各位市民朋友，大家好。\n".encode()


def sample_portal_build(portal: Portal) -> SamplePortal:
    """Fill `portal` (from build_portal) with the columns, articles and home page of a district."""
    # Test data goes online without review, and the trail says so (docs/review.md).
    with review_bypass(reason="测试数据"):
        return _build(portal)


def _build(portal: Portal) -> SamplePortal:
    home = portal.home
    identity = SiteIdentity.for_site(portal.site)
    identity.email = "zfb@example.gov.cn"
    identity.postcode = "721000"
    identity.party_mark = png_image("党政机关网站标识", (200, 30, 30), (110, 55))
    identity.party_mark_url = "https://bszs.conac.cn/"
    identity.save()

    cols: dict[str, ColumnPage] = {"news": portal.news, "affairs": portal.affairs}
    cols["headlines"] = add_column(portal.news, "要闻动态", kind_code="news", slug="headlines")
    cols["towns"] = add_column(portal.news, "镇街动态", kind_code="news", slug="towns")
    cols["notices"] = portal.notices
    cols["policy"] = add_column(portal.affairs, "政策文件", kind_code="policy", slug="policy")
    cols["services"] = add_column(home, "服务", kind_code="service", slug="services")
    cols["guides"] = add_column(cols["services"], "办事指南", kind_code="service", slug="guides")
    cols["interaction"] = add_column(home, "互动", kind_code="interaction", slug="interaction")
    cols["profile"] = add_column(home, "区情", kind_code="static", slug="profile")
    cols["overview"] = add_column(cols["profile"], "区情概况", kind_code="static", slug="overview")
    cols["overview"].body = (
        "<p>本区位于关中平原西部，辖5个街道、5个镇，总面积约800平方千米。</p>"
        "<h2>自然地理</h2><p>地处渭河谷地，气候温和，四季分明。</p>"
    )
    cols["overview"].save_revision().publish()
    cols["specials"] = add_column(home, "专栏", kind_code="special", slug="specials")
    cols["topic"] = add_column(
        cols["specials"], "优化营商环境", kind_code="special", slug="business"
    )

    pictures = [png_image(f"新闻图片{i}", (40 + 30 * i, 90, 140)) for i in range(3)]
    picture_articles = []
    for i, title in enumerate(NEWS_TITLES):
        fields = {}
        if i < 3:
            fields = {"cover": pictures[i], "cover_alt": f"{title}现场"}
        article = add_article(
            cols["headlines"],
            title,
            pub_date=BASE_TIME - dt.timedelta(days=i, hours=i),
            summary=f"{title}。",
            **fields,
        )
        if i < 3:
            picture_articles.append(article)
        add_article(cols["towns"], f"镇街：{title}", pub_date=BASE_TIME - dt.timedelta(days=2 * i))
    for i, title in enumerate(NOTICE_TITLES):
        add_article(cols["notices"], title, pub_date=BASE_TIME - dt.timedelta(days=3 * i))
        add_article(
            cols["policy"],
            f"区政府办公室{title[2:]}",
            pub_date=BASE_TIME - dt.timedelta(days=5 * i),
        )
    for i in range(3):
        add_article(cols["guides"], f"办事指南{i + 1}：个体工商户设立登记", pub_date=BASE_TIME)
        add_article(cols["topic"], f"营商环境政策汇编（第{i + 1}期）", pub_date=BASE_TIME)

    article = full_article(cols["notices"], pictures[0])

    home.body = [
        ("headline", {"column": cols["headlines"], "count": 6, "show_images": True}),
        ("column_list", {"column": cols["notices"], "title": "", "count": 6}),
        ("column_list", {"column": cols["policy"], "title": "政策文件", "count": 6}),
        ("column_list", {"column": cols["towns"], "title": "镇街动态", "count": 6}),
        (
            "entries",
            {
                "heading": "办事服务",
                "style": "service",
                "entries": [
                    {"title": t, "page": cols["guides"], "url": "", "description": d}
                    for t, d in [
                        ("个人办事", "户籍、社保、医保"),
                        ("法人办事", "开办企业、工程建设"),
                        ("办事指南", "事项清单与办事指南"),
                        ("便民服务", "水电气暖、交通出行"),
                    ]
                ],
            },
        ),
        (
            "entries",
            {
                "heading": "互动交流",
                "style": "interaction",
                "entries": [
                    {"title": t, "page": cols["interaction"], "url": "", "description": d}
                    for t, d in [
                        ("区长信箱", "写信反映问题"),
                        ("征集调查", "参与意见征集"),
                        ("在线访谈", "与部门负责人交流"),
                    ]
                ],
            },
        ),
        (
            "banner",
            {
                "title": "优化营商环境专题",
                "page": cols["topic"],
                "url": "",
                "image": pictures[1],
                "alt": "优化营商环境专题",
            },
        ),
    ]
    home.save_revision().publish()
    return SamplePortal(
        portal=portal, columns=cols, article=article, picture_articles=picture_articles
    )


def full_article(column: ColumnPage, picture: Image) -> ArticlePage:
    """An article with every element the article page shows."""
    audio = document("政策解读音频", "jiedu.mp3", b"ID3" + b"\x00" * 64)
    video = document("政策解读视频", "jiedu.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    captions = document("政策解读字幕", "jiedu.vtt", WEBVTT)
    article = add_article(
        column,
        "关于进一步优化政务服务提升行政效能的实施意见",
        pub_date=dt.datetime(2025, 3, 12, 1, 5, tzinfo=dt.UTC),  # 09:05 in Beijing
        subtitle="推动政务服务从“能办”向“好办”转变",
        author="王明",
        summary="围绕高效办成一件事，提出优化政务服务的十项措施。",
        keywords="政务服务,行政效能",
        is_reprint=True,
        reprint_site="陕西省人民政府网",
        reprint_url="https://www.shaanxi.gov.cn/",
        cover=picture,
        cover_alt="政务服务中心大厅",
        body=[
            ("paragraph", "<p>为深入推进政务服务标准化、规范化、便利化，制定本实施意见。</p>"),
            (
                "image",
                {"image": picture, "alt": "政务服务中心综合窗口", "caption": "综合窗口受理现场"},
            ),
            ("paragraph", "<h2>一、总体要求</h2><p>坚持以人民为中心，持续优化办事流程。</p>"),
            (
                "audio",
                {
                    "file": audio,
                    "title": "政策解读（音频）",
                    "captions": captions,
                    "transcript": "各位市民朋友，大家好。",
                },
            ),
            (
                "video",
                {
                    "file": video,
                    "title": "政策解读（视频）",
                    "poster": picture,
                    "captions": captions,
                },
            ),
        ],
    )
    for title, name, size in [
        ("实施意见全文", "shishi.pdf", 2048),
        ("任务分工表", "fengong.xlsx", 4096),
        ("申请表", "shenqing.docx", 1536),
    ]:
        doc = document(title, name, b"%" + b"0" * (size - 1))
        ArticleAttachment.objects.create(page=article, document=doc, title="")
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)
