"""Demo data for 征集调查. Called once from builder._build (see builder.DemoWorld).

A closed survey with answers, results and its feedback published in time (第十条(一)); a
closed one still owing its feedback (so the operator's dashboard panel has something to show);
an open survey; and a consultation on a draft with moderated comments. All text is fictional.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from govportal.demo import files
from govportal.interaction.models.surveys import (
    CommentStatus,
    ConsultationComment,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
)
from govportal.interaction.surveys.antispam import ip_hash

if TYPE_CHECKING:
    import random

    from govportal.demo.builder import DemoWorld

CLOSED_TITLE = "渭滨区“15分钟便民生活圈”建设居民需求调查"
PENDING_TITLE = "2026年渭滨区全民健身活动满意度调查"
OPEN_TITLE = "渭滨区老旧小区加装电梯意愿调查"
CONSULTATION_TITLE = "《渭滨区社区养老服务设施管理办法（征求意见稿）》公开征求意见"
TITLES = [CLOSED_TITLE, PENDING_TITLE, OPEN_TITLE, CONSULTATION_TITLE]

# (kind, text, required, options); options weighted by the order they are listed.
CLOSED_QUESTIONS: list[tuple[str, str, bool, list[str]]] = [
    (
        QuestionKind.SINGLE,
        "您居住在哪个街道（镇）？",
        True,
        ["经二路街道", "姜谭街道", "桥南街道", "马营镇", "其他"],
    ),
    (
        QuestionKind.MULTIPLE,
        "步行15分钟内，您最希望增加哪些设施？（可多选）",
        True,
        ["社区食堂", "菜市场", "托育机构", "社区卫生服务站", "健身场地", "快递驿站"],
    ),
    (
        QuestionKind.SINGLE,
        "您平时买菜主要去哪里？",
        False,
        ["农贸市场", "超市", "社区团购", "流动摊点"],
    ),
    (QuestionKind.RATING, "您对目前小区周边生活配套的总体评价", True, []),
    (QuestionKind.TEXT, "您还有哪些意见和建议？", False, []),
]

SUGGESTIONS = [
    "希望社区食堂增加老年人优惠套餐。",
    "小区门口的快递柜太少，晚上取件排队。",
    "建议在渭河南岸多建几处健身步道。",
    "菜市场早上人多，希望延长营业时间。",
    "托育机构收费能否公开透明一些。",
    "社区卫生服务站周末也应有医生坐诊。",
]

FEEDBACK = """本次调查共收到有效答卷{count}份。感谢广大居民的积极参与。

一、意见汇总。居民最希望增加的设施依次为社区食堂、社区卫生服务站和健身场地；对小区周边生活配套的平均评分为{average}分（满分5分）。文字建议主要集中在社区食堂老年人优惠、快递取件、健身步道和卫生服务站周末坐诊等方面。

二、采纳情况。1. 社区食堂：已纳入年度民生实事，年内在经二路、姜谭街道新建社区食堂3处，对70岁以上老年人提供优惠套餐（采纳）。2. 社区卫生服务站：区卫生健康局已安排周末轮值坐诊，具体时间在各服务站公示（采纳）。3. 健身步道：渭河南岸健身步道已列入明年城市更新项目，待资金落实后实施（部分采纳）。4. 延长菜市场营业时间：属市场经营自主事项，已转交市场主办方研究（暂不采纳，已转交）。

三、下一步工作。区发展和改革局将会同各街道（镇）按季度公开便民生活圈建设进展，欢迎继续通过本网站“区长信箱”提出意见建议。"""

DRAFT_ARTICLES = [
    "第一条 为规范社区养老服务设施的建设、使用和管理，提升居家社区养老服务水平，结合本区实际，制定本办法。",
    "第二条 本办法所称社区养老服务设施，是指在城乡社区为老年人提供助餐、助浴、日间照料、康复护理、文体娱乐等服务的场所。",
    "第三条 区民政局负责全区社区养老服务设施的统筹规划和监督管理；各街道办事处、镇人民政府负责辖区内设施的日常管理。",
    "第四条 新建住宅小区应当按照每百户不少于二十平方米的标准配套建设社区养老服务设施，并与住宅同步规划、同步建设、同步验收、同步交付。",
    "第五条 社区养老服务设施可以委托具备资质的养老服务机构运营，运营方应当公示服务项目、收费标准和投诉电话。",
    "第六条 任何单位和个人不得擅自改变社区养老服务设施的用途。确需调整的，应当经区民政局同意，并就近安排不少于原面积的替代设施。",
    "第七条 区民政局每年对社区养老服务设施运营情况进行评估，评估结果向社会公开。",
    "第八条 本办法自发布之日起施行，有效期五年。",
]

COMMENTS: list[tuple[str, str, str, str]] = [
    (
        "第四条",
        "建议明确老旧小区如何补建养老服务设施，可以利用闲置公房。",
        "老城居民",
        CommentStatus.APPROVED,
    ),
    (
        "第四条",
        "每百户二十平方米偏少，建议参照周边城市提高到三十平方米。",
        "",
        CommentStatus.APPROVED,
    ),
    (
        "第五条",
        "建议运营方的收费标准报区民政局备案，避免随意涨价。",
        "姜谭街道居民",
        CommentStatus.APPROVED,
    ),
    ("第六条", "“就近安排”的范围建议明确为同一社区内或步行十分钟内。", "", CommentStatus.APPROVED),
    ("第七条", "评估时建议邀请老年人代表参与打分。", "退休教师", CommentStatus.APPROVED),
    ("", "总体很好，希望尽快出台，家里老人很需要日间照料。", "", CommentStatus.APPROVED),
    ("第二条", "建议把“助医”也写进服务内容。", "", CommentStatus.PENDING),
    ("", "希望增加农村地区养老设施的条款。", "马营镇村民", CommentStatus.PENDING),
    ("", "卖保健品的加我微信", "", CommentStatus.REJECTED),
]


def _weighted(rnd: random.Random, options: list[str]) -> str:
    weights = [len(options) - i + 1 for i in range(len(options))]
    return rnd.choices(options, weights=weights)[0]


def _survey(
    world: DemoWorld,
    *,
    title: str,
    kind: str = SurveyKind.SURVEY,
    unit: str,
    opens: dt.datetime,
    closes: dt.datetime,
    intro: str,
    questions: list[tuple[str, str, bool, list[str]]],
) -> Survey:
    survey = Survey.objects.create(
        kind=kind,
        title=title,
        intro=intro,
        unit=world.units.get(unit),
        opens_at=opens,
        closes_at=closes,
        published=True,
        created_at=opens - dt.timedelta(days=3),
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            sort_order=n,
            kind=qkind,
            text=text,
            required=required,
            choices="\n".join(options),
        )
        for n, (qkind, text, required, options) in enumerate(questions)
    )
    return survey


def _answers(world: DemoWorld, survey: Survey, count: int, *, start: dt.datetime) -> None:
    """`count` anonymous responses spread over the days since `start`."""
    rnd = world.rnd
    questions = list(survey.questions.all())
    span = max(1, int((min(world.now, survey.closes_at) - start).total_seconds()))
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            submitted_at=start + dt.timedelta(seconds=rnd.randrange(span)),
            token=secrets.token_urlsafe(24),
            ip_hash=ip_hash(f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.{n % 256}"),
        )
        for n in range(count)
    )
    items: list[SurveyAnswer] = []
    for response in responses:
        for question in questions:
            if not question.required and rnd.random() < 0.3:
                continue
            options = question.options
            if question.kind == QuestionKind.SINGLE:
                items.append(
                    SurveyAnswer(
                        response=response, question=question, choice=_weighted(rnd, options)
                    )
                )
            elif question.kind == QuestionKind.MULTIPLE:
                chosen = {_weighted(rnd, options) for _ in range(rnd.randint(1, 3))}
                items += [
                    SurveyAnswer(response=response, question=question, choice=c)
                    for c in sorted(chosen)
                ]
            elif question.kind == QuestionKind.RATING:
                items.append(
                    SurveyAnswer(
                        response=response,
                        question=question,
                        rating=rnd.choice([2, 3, 3, 4, 4, 4, 5, 5]),
                    )
                )
            elif rnd.random() < 0.5:
                items.append(
                    SurveyAnswer(response=response, question=question, text=rnd.choice(SUGGESTIONS))
                )
    SurveyAnswer.objects.bulk_create(items)


def _draft_document(world: DemoWorld) -> object:
    collection = (
        Collection.objects.filter(name="演示素材").first() or Collection.get_first_root_node()
    )
    document = get_document_model()(
        title="渭滨区社区养老服务设施管理办法（征求意见稿）", collection=collection
    )
    data = files.document_docx("渭滨区社区养老服务设施管理办法（征求意见稿）", DRAFT_ARTICLES)
    document.file.save("demo-consultation-draft.docx", ContentFile(data), False)
    document.save()
    return document


def remove() -> None:
    """Delete the demo surveys (answers and comments go with them)."""
    Survey.objects.filter(title__in=TITLES).delete()


def load(world: DemoWorld) -> None:
    remove()
    now = world.now
    rnd = world.rnd

    closed = _survey(
        world,
        title=CLOSED_TITLE,
        unit="fgj",
        opens=now - dt.timedelta(days=80),
        closes=now - dt.timedelta(days=50),
        intro="为科学规划便民生活圈，了解居民日常生活需求，现开展本次问卷调查。调查匿名进行，约需3分钟。",
        questions=CLOSED_QUESTIONS,
    )
    count = 40 + int(80 * min(world.scale, 1.0))
    _answers(world, closed, count, start=closed.opens_at)
    closed.closed_at = closed.closes_at
    ratings = list(
        closed.questions.get(kind=QuestionKind.RATING).answers.values_list("rating", flat=True)
    )
    average = round(sum(r for r in ratings if r) / max(1, len(ratings)), 1)
    closed.feedback_text = FEEDBACK.format(count=count, average=average)
    closed.feedback_published_at = closed.closes_at + dt.timedelta(days=rnd.randint(18, 26))
    closed.feedback_by = world.users.get("operator")
    closed.save()

    pending = _survey(
        world,
        title=PENDING_TITLE,
        unit="jyj",
        opens=now - dt.timedelta(days=40),
        closes=now - dt.timedelta(days=9),
        intro="了解居民对今年全民健身系列活动的评价，为明年活动安排提供参考。",
        questions=[
            (
                QuestionKind.SINGLE,
                "您今年参加过区里组织的全民健身活动吗？",
                True,
                ["参加过", "没有参加过"],
            ),
            (QuestionKind.RATING, "您对活动组织的满意程度", True, []),
            (QuestionKind.TEXT, "您希望明年增加哪些项目？", False, []),
        ],
    )
    _answers(world, pending, 25, start=pending.opens_at)
    pending.closed_at = pending.closes_at
    pending.save(update_fields=["closed_at"])

    opened = _survey(
        world,
        title=OPEN_TITLE,
        unit="zjj",
        opens=now - dt.timedelta(days=6),
        closes=now + dt.timedelta(days=24),
        intro="为推进老旧小区加装电梯工作，了解居民意愿和顾虑，现开展本次调查。",
        questions=[
            (
                QuestionKind.SINGLE,
                "您所住楼栋的层数",
                True,
                ["4层及以下", "5层", "6层", "7层及以上"],
            ),
            (
                QuestionKind.SINGLE,
                "您是否支持所在单元加装电梯？",
                True,
                ["支持", "有条件支持", "不支持", "无所谓"],
            ),
            (
                QuestionKind.MULTIPLE,
                "您最担心的问题（可多选）",
                False,
                ["费用分摊", "低层采光", "噪音", "后期维护", "施工影响出行"],
            ),
            (QuestionKind.RATING, "您对加装电梯政策宣传的了解程度", True, []),
            (QuestionKind.TEXT, "其他意见和建议", False, []),
        ],
    )
    _answers(world, opened, 12, start=opened.opens_at)

    consultation = _survey(
        world,
        title=CONSULTATION_TITLE,
        kind=SurveyKind.CONSULTATION,
        unit="mzj",
        opens=now - dt.timedelta(days=12),
        closes=now + dt.timedelta(days=18),
        intro="为广泛听取社会各界意见，现将《渭滨区社区养老服务设施管理办法（征求意见稿）》全文公布，欢迎逐条或就整体提出意见建议。",
        questions=[],
    )
    consultation.draft_document = _draft_document(world)  # type: ignore[assignment]
    consultation.draft_text = "渭滨区社区养老服务设施管理办法（征求意见稿）\n" + "\n".join(
        DRAFT_ARTICLES
    )
    consultation.save(update_fields=["draft_document", "draft_text"])
    operator = world.users.get("operator")
    for n, (article, content, nickname, status) in enumerate(COMMENTS):
        submitted = consultation.opens_at + dt.timedelta(hours=5 + 20 * n)
        ConsultationComment.objects.create(
            survey=consultation,
            article=article,
            content=content,
            nickname=nickname,
            status=status,
            submitted_at=submitted,
            token=secrets.token_urlsafe(24),
            moderated_at=None
            if status == CommentStatus.PENDING
            else submitted + dt.timedelta(hours=3),
            moderated_by=None if status == CommentStatus.PENDING else operator,
        )
    world.log(f"征集调查: {len(TITLES)} 个（{count + 37} 份答卷，{len(COMMENTS)} 条意见）")
