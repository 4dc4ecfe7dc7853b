"""The demo district's disclosure platform: policy documents, interpretations, the catalogue.

Called once from builder._build inside its review_bypass (演示数据). Text is written for the
demo; names, numbers and links are invented.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from typing import Any

from govportal.core.models import ColumnPage, Unit
from govportal.disclosure.models import (
    CatalogueItem,
    CataloguePage,
    Genre,
    InterpretationForm,
    InterpretationPage,
    PolicyDocumentPage,
    Topic,
)

# (subject, topic code, catalogue item code)
SUBJECTS = [
    ("春耕生产", "NY", "a20-11"),
    ("高标准农田建设", "NY", "a20-03"),
    ("城市更新", "CX", "a21-01"),
    ("老旧小区改造", "CX", "a21-01"),
    ("生活垃圾分类", "CX", "a21-02"),
    ("大气污染防治", "CX", "a20-13"),
    ("河湖长制", "NY", "a20-13"),
    ("优化营商环境", "JJ", "a20-05"),
    ("招商引资奖励", "JJ", "a20-03"),
    ("稳就业促创业", "LD", "a20-11"),
    ("城乡居民医疗保障", "WS", "a20-11"),
    ("养老服务体系建设", "MZ", "a20-11"),
    ("最低生活保障", "MZ", "a21-07"),
    ("临时救助", "MZ", "a21-07"),
    ("义务教育招生", "JY", "a20-11"),
    ("学前教育普惠发展", "JY", "a21-03"),
    ("安全生产专项整治", "GA", "a20-13"),
    ("防汛抗旱应急", "GA", "a20-12"),
    ("森林防火", "GA", "a20-12"),
    ("食品安全监管", "WS", "a20-13"),
    ("政府集中采购目录", "CZ", "a20-09"),
    ("行政事业性收费", "CZ", "a20-08"),
    ("国有土地上房屋征收", "CX", "a21-05"),
    ("集体土地征收补偿", "NY", "a21-04"),
    ("社会治安综合治理", "GA", "a21-06"),
    ("重点项目建设", "JJ", "a20-10"),
    ("公务员招录", "LD", "a20-14"),
    ("统计调查", "JJ", "a20-04"),
    ("行政执法公示", "GA", "a20-06"),
    ("文化旅游融合发展", "WH", "a21-03"),
]

GENRES = [
    ("关于印发《渭滨区{s}实施方案》的通知", "tongzhi"),
    ("关于进一步做好{s}工作的意见", "yijian"),
    ("渭滨区{s}管理办法", "banfa"),
    ("关于加强{s}工作的通知", "tongzhi"),
    ("渭滨区{s}若干规定", "guiding"),
    ("关于{s}有关事项的通告", "tonggao"),
    ("渭滨区{s}三年行动方案", "fangan"),
    ("关于调整{s}标准的决定", "jueding"),
]

# 发文机关代字 of the departments that issue documents in the demo.
DEPARTMENT_ORGANS = {
    "fgj": "宝渭发改发",
    "jyj": "宝渭教发",
    "mzj": "宝渭民发",
    "czj": "宝渭财发",
    "rsj": "宝渭人社发",
    "zjj": "宝渭住建发",
    "nyj": "宝渭农发",
    "wjj": "宝渭卫健发",
    "yjj": "宝渭应急发",
    "scjgj": "宝渭市监发",
}

UPPER_ORGANS = [
    ("国务院办公厅", "https://www.gov.cn/zhengce/content/demo-{n}.htm"),
    ("陕西省人民政府", "https://www.shaanxi.gov.cn/zfxxgk/demo-{n}.html"),
    ("陕西省人民政府办公厅", "https://www.shaanxi.gov.cn/zfxxgk/demo-{n}.html"),
    ("宝鸡市人民政府", "https://www.baoji.gov.cn/zfxxgk/demo-{n}.html"),
    ("宝鸡市人民政府办公室", "https://www.baoji.gov.cn/zfxxgk/demo-{n}.html"),
]

BODY = [
    "各镇人民政府、街道办事处，区政府各部门，区直各单位：",
    "为做好{s}工作，根据有关法律法规和上级部署，结合我区实际，现就有关事项通知如下。",
    "一、明确目标任务。到年底，{s}各项指标达到上级要求，群众满意度进一步提升。",
    "二、落实工作责任。各牵头单位要细化措施、压实责任，每月向区政府报送工作进展。",
    "三、加强督促检查。区政府督查室将把{s}工作纳入年度目标责任考核，定期通报。",
    "本文件自印发之日起施行。",
]

INTERPRETATION_BODY = [
    "一、出台背景。为推进{s}工作，区政府制定了《{t}》。",
    "二、主要内容。文件从目标任务、工作责任、督促检查三个方面提出了具体要求。",
    "三、与群众相关的变化。办理渠道更多、办理时限更短，相关信息在区政府门户网站公开。",
    "四、解读机关：{u}。",
]

INTERPRETATION_FORMS = [
    InterpretationForm.TEXT,
    InterpretationForm.GRAPHIC,
    InterpretationForm.EXPERT,
    InterpretationForm.VIDEO,
    InterpretationForm.AUDIO,
    InterpretationForm.ANIMATION,
    InterpretationForm.MEDIA,
    InterpretationForm.PRESS,
]

CATALOGUE_INTRO = (
    "<p>本目录按照《中华人民共和国政府信息公开条例》第二十条、第二十一条编排，"
    "每条信息列出索引号、名称、内容概述和生成日期，可按类别、主题、发文机关、年份、体裁和有效性筛选，"
    "并可下载 CSV、JSON 格式的目录数据。</p>"
)


def _body(rnd: random.Random, lines: list[str], **words: str) -> list[dict[str, Any]]:
    html = "".join(f"<p>{line.format(**words)}</p>" for line in lines)
    return [{"type": "paragraph", "value": html, "id": str(uuid.UUID(int=rnd.getrandbits(128)))}]


def disclosure_load(
    *,
    columns: dict[str, ColumnPage],
    units: dict[str, Unit],
    rnd: random.Random,
    now: dt.datetime,
    scale: float = 1.0,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Put the demo policy documents, interpretations and the catalogue page online."""
    topics = {t.code: t for t in Topic.objects.all()}
    genres = {g.code: g for g in Genre.objects.all()}
    items = {i.code: i for i in CatalogueItem.objects.all()}
    count = max(200, round(200 * scale)) if scale >= 1 else max(20, round(200 * scale))
    plan = (
        [("gov-documents", "zfb", "宝渭政发")] * round(count * 0.2)
        + [("office-documents", "zfb", "宝渭政办发")] * round(count * 0.35)
        + [("department-documents", code, organ) for code, organ in DEPARTMENT_ORGANS.items()]
        * max(1, round(count * 0.35 / len(DEPARTMENT_ORGANS)))
    )
    reprints = max(4, count - len(plan))
    sequence: dict[tuple[str, int], int] = {}
    created: list[PolicyDocumentPage] = []
    used_titles: set[str] = set()

    def new_document(
        slug: str, unit_code: str | None, organ: str | None, age: float, **extra: Any
    ) -> PolicyDocumentPage:
        subject, topic_code, item_code = rnd.choice(SUBJECTS)
        template, genre_code = rnd.choice(GENRES)
        title = template.format(s=subject)
        while title in used_titles:
            title = f"{title[:-3]}（{rnd.randint(2, 9)}）{title[-3:]}"
        used_titles.add(title)
        pub = now - dt.timedelta(days=age, hours=rnd.randint(0, 8))
        written = (pub - dt.timedelta(days=rnd.randint(1, 12))).date()
        number = ""
        if organ:
            key = (organ, written.year)
            sequence[key] = sequence.get(key, 0) + rnd.randint(1, 3)
            number = f"{organ}〔{written.year}〕{sequence[key]}号"
        doc = PolicyDocumentPage(
            title=title,
            slug=f"{slug}-{len(created) + 1}",
            document_number=number,
            written_date=written,
            pub_date=pub,
            topic=topics[topic_code],
            genre=genres[genre_code],
            catalogue_item=items[item_code],
            summary=f"{title.removesuffix('的通知')}，明确了{subject}的目标任务、责任分工和保障措施。",
            body=_body(rnd, BODY, s=subject),
            valid_from=written,
            first_published_at=pub,
            last_published_at=pub,
            **extra,
        )
        if unit_code:
            doc.issuing_units = [units[unit_code]]
        columns[slug].add_child(instance=doc)
        doc._demo_subject = subject  # type: ignore[attr-defined]
        created.append(doc)
        return doc

    ages = sorted((rnd.uniform(3, 5 * 365) for _ in plan), reverse=True)
    for (slug, unit_code, organ), age in zip(plan, ages, strict=True):
        new_document(slug, unit_code, organ, age)
    for n in range(reprints):
        organ, url = rnd.choice(UPPER_ORGANS)
        new_document(
            "policies",
            None,
            None,
            rnd.uniform(3, 3 * 365),
            is_reprint=True,
            reprint_organ=organ,
            reprint_url=url.format(n=n + 1),
            organ_label=organ,
        )
    log(f"政策文件: {len(created)} 件（其中转载 {reprints} 件）")

    # Some old documents are repealed and replaced by a newer one, some have run out.
    own = [d for d in created if not d.is_reprint]
    oldest, newest = own[: len(own) // 2], own[len(own) // 2 :]
    repealed = 0
    pairs = min(len(oldest), len(newest), max(2, count // 14))
    for old, new in zip(rnd.sample(oldest, k=pairs), rnd.sample(newest, k=pairs), strict=True):
        old.repealed_on = new.written_date
        old.replaced_by = new
        old.validity_note = f"已被《{new.title}》替代。"
        old.save_revision().publish()
        repealed += 1
    expired = 0
    unrepealed = [d for d in oldest if d.repealed_on is None]
    for doc in rnd.sample(unrepealed, k=min(len(unrepealed), max(2, count // 25))):
        doc.valid_until = doc.written_date + dt.timedelta(days=365 * 2)
        if doc.valid_until < now.date():
            doc.save_revision().publish()
            expired += 1

    # 第十条(三): the important documents carry 需同步解读 and go online with an interpretation.
    candidates = [d for d in newest if d.repealed_on is None]
    important = rnd.sample(candidates, k=min(len(candidates), max(2, count // 8)))
    interpretations = 0
    for doc in important:
        for form in rnd.sample(INTERPRETATION_FORMS, k=rnd.choice((1, 1, 2))):
            label = InterpretationForm(form).label
            page = InterpretationPage(
                title=f"【{label}】{doc.title}",
                slug=f"jd-{interpretations + 1}",
                form=form,
                pub_date=doc.pub_date,
                source=doc.organ_label,
                interpreter="区政府研究室专家" if form == InterpretationForm.EXPERT else "",
                summary=f"{label}：《{doc.title}》的出台背景和主要内容。",
                body=_body(
                    rnd, INTERPRETATION_BODY, s=doc._demo_subject, t=doc.title, u=doc.organ_label
                ),  # type: ignore[attr-defined]
                media_url="https://www.example.com/media/demo.html"
                if form == InterpretationForm.MEDIA
                else "",
                first_published_at=doc.pub_date,
                last_published_at=doc.pub_date,
            )
            page.documents = [doc]
            columns["interpretations"].add_child(instance=page)
            interpretations += 1
        doc.needs_interpretation = True
        doc.save_revision().publish()
    log(f"政策解读: {interpretations} 篇；废止 {repealed} 件，失效 {expired} 件")

    catalogue = CataloguePage(title="政府信息公开目录", slug="catalogue", intro=CATALOGUE_INTRO)
    columns["disclosure"].add_child(instance=catalogue)
    return {
        "documents": len(created),
        "reprints": reprints,
        "repealed": repealed,
        "expired": expired,
        "interpretations": interpretations,
    }
