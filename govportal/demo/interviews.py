"""Demo data for 在线访谈. Called once from builder._build (see builder.DemoWorld).

One archived interview with its transcript (ten question–answer pairs, plus a few public
questions that were not taken up) and one upcoming interview with questions sent in advance.
The officials and their words are fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import TYPE_CHECKING

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from govportal.demo import files
from govportal.demo.units import UNITS, unit_phone
from govportal.interaction.models.interviews import (
    Interview,
    InterviewGuest,
    InterviewImage,
    InterviewQuestion,
    InterviewState,
    QuestionSource,
    QuestionStatus,
)

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld

# The demo builder numbers units from 1 in UNITS order.
UNIT_INDEX_JYJ = next(i for i, u in enumerate(UNITS, start=1) if u.code == "jyj")
ARCHIVED_TITLE = "办好家门口的好学校——2026年秋季学期义务教育招生入学政策解读"
UPCOMING_TITLE = "稳就业 惠民生——2026年渭滨区就业创业扶持政策在线访谈"

# (asker, question, guest index, answer); asker "" = the host's own question.
TRANSCRIPT: list[tuple[str, str, int, str]] = [
    (
        "",
        "欢迎两位嘉宾。首先请介绍一下今年秋季学期义务教育招生的总体安排。",
        0,
        "今年全区计划招收小学一年级新生约四千二百人、初中一年级新生约三千九百人。招生继续坚持免试就近入学，网上报名时间为7月10日至7月20日，审核结果在8月上旬通过本网站和各学校公示。",
    ),
    (
        "渭河边的家长",
        "孩子户口在渭滨区，但我们租房住在另一个学区，应该去哪个学校报名？",
        1,
        "按照今年的政策，户籍与实际居住地不一致的，以实际居住地为主，需要提供居住证明和连续居住一年以上的证明材料，由居住地所在学区统筹安排入学。",
    ),
    (
        "",
        "不少家长关心随迁子女入学，今年有什么新的便利措施？",
        0,
        "今年我们把随迁子女入学需要提交的材料从五项减少到三项，社保缴纳证明可以由系统自动核验，家长不用再到窗口开具证明。",
    ),
    (
        "马营镇家长",
        "农村学校的校车今年还有吗？孩子上学路程比较远。",
        0,
        "校车服务继续保留，今年新增两条线路，覆盖马营镇、石鼓镇的六个行政村。线路和时刻表开学前由学校通知家长。",
    ),
    (
        "关心教育的网友",
        "新建小区配建的学校什么时候能投入使用？",
        1,
        "高新二路配建小学已经完成主体建设，计划今年9月开学启用，提供学位一千零八十个。具体划片范围在招生简章中公布。",
    ),
    (
        "二年级学生家长",
        "课后服务是怎么收费的？能不能自愿参加？",
        0,
        "课后服务坚持学生自愿参加，每学期开学前由家长申请。收费标准按照市上核定的标准执行，家庭经济困难学生予以减免。",
    ),
    (
        "",
        "对于有特殊需要的儿童，入学方面有哪些保障？",
        1,
        "我们为残疾儿童少年建立了“一人一案”，能够随班就读的安排就近入学，不能随班就读的由特殊教育学校接收或送教上门。",
    ),
    (
        "桥南街道居民",
        "听说今年有学校实行集团化办学，会不会影响划片？",
        0,
        "集团化办学主要是共享师资和课程，不改变各成员学校的招生范围。家长仍按本校划片报名。",
    ),
    (
        "新渭滨人",
        "网上报名时填错了信息怎么办？",
        1,
        "报名期间可以自行修改；报名截止后发现错误的，请在审核期内联系报名学校，由学校核实后在系统中更正。",
    ),
    (
        "",
        "最后，请嘉宾对家长们说几句话。",
        0,
        "请家长们以平常心看待入学，就近的学校同样是好学校。招生过程中有任何问题，可以拨打区教育局招生咨询电话{phone}，或者通过区长信箱反映，我们会及时答复。",
    ),
]

NOT_TAKEN_UP = [
    ("某家长", "能不能帮我孩子换到实验小学？", QuestionStatus.REJECTED),
    ("网友", "明年的招生政策会有变化吗？", QuestionStatus.APPROVED),
]

ADVANCE_QUESTIONS = [
    "大学毕业两年内还能申请创业担保贷款吗？",
    "灵活就业人员的社保补贴怎么申请？",
    "企业吸纳就业困难人员有哪些补贴？",
]


def _picture(world: DemoWorld, title: str) -> object:
    collection = (
        Collection.objects.filter(name="演示素材").first() or Collection.get_first_root_node()
    )
    data = files.picture_png(world.rnd, 640, 400)
    image = get_image_model()(
        title=title, collection=collection, file=ImageFile(io.BytesIO(data), name="interview.png")
    )
    image._set_image_file_metadata()
    image.save()
    return image


def remove() -> None:
    Interview.objects.filter(title__in=[ARCHIVED_TITLE, UPCOMING_TITLE]).delete()


def load(world: DemoWorld) -> None:
    remove()
    now = world.now
    operator = world.users.get("operator")

    starts = (now - dt.timedelta(days=70)).replace(hour=9, minute=30, second=0, microsecond=0)
    archived = Interview.objects.create(
        title=ARCHIVED_TITLE,
        description="区教育局负责同志做客本网站在线访谈，解读今年秋季学期义务教育招生入学政策，并回答网友关心的问题。",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1, minutes=30),
        unit=world.units.get("jyj"),
        host_name="区融媒体中心 主持人 小秦",
        published=True,
        state=InterviewState.ENDED,
        started_at=starts,
        ended_at=starts + dt.timedelta(hours=1, minutes=25),
        summary="本期访谈共收到网友提问{received}个，嘉宾现场回答{answered}个。未及回答的问题已转区教育局，通过区长信箱答复。",
        created_at=starts - dt.timedelta(days=7),
    )
    guests = [
        InterviewGuest.objects.create(
            interview=archived,
            sort_order=0,
            name="韩立文",
            title="党组书记、局长",
            unit_name="区教育局",
        ),
        InterviewGuest.objects.create(
            interview=archived,
            sort_order=1,
            name="苏晓岚",
            title="基础教育科科长",
            unit_name="区教育局",
        ),
    ]
    InterviewImage.objects.create(
        interview=archived,
        sort_order=0,
        image=_picture(world, "在线访谈现场"),
        caption="区教育局负责同志在访谈现场回答网友提问",
    )
    education = world.units.get("jyj")
    phone = education.phone if education and education.phone else unit_phone(UNIT_INDEX_JYJ)
    received = 0
    for sequence, (asker, question, guest_index, answer) in enumerate(TRANSCRIPT, start=1):
        at = starts + dt.timedelta(minutes=7 * sequence)
        public = bool(asker)
        received += public
        guest = guests[guest_index]
        InterviewQuestion.objects.create(
            interview=archived,
            source=QuestionSource.PUBLIC if public else QuestionSource.HOST,
            nickname=asker or "主持人",
            content=question,
            submitted_at=at - dt.timedelta(days=3) if public else at,
            during_live=not public,
            status=QuestionStatus.ANSWERED,
            token=secrets.token_urlsafe(24),
            moderated_at=at - dt.timedelta(days=2) if public else at,
            moderated_by=operator,
            answer=answer.format(phone=phone),
            answered_by=guest,
            answerer=str(guest),
            answered_at=at,
            sequence=sequence,
        )
    for asker, question, status in NOT_TAKEN_UP:
        received += 1
        InterviewQuestion.objects.create(
            interview=archived,
            nickname=asker,
            content=question,
            submitted_at=starts + dt.timedelta(minutes=40),
            during_live=True,
            status=status,
            token=secrets.token_urlsafe(24),
            moderated_at=starts + dt.timedelta(minutes=45),
            moderated_by=operator,
        )
    answered = sum(1 for asker, *_ in TRANSCRIPT if asker)
    archived.summary = archived.summary.format(received=received, answered=answered)
    archived.save(update_fields=["summary"])

    upcoming_at = (now + dt.timedelta(days=9)).replace(hour=15, minute=0, second=0, microsecond=0)
    upcoming = Interview.objects.create(
        title=UPCOMING_TITLE,
        description="区人力资源和社会保障局负责同志将介绍今年就业创业扶持政策，欢迎网友提前提问。",
        starts_at=upcoming_at,
        ends_at=upcoming_at + dt.timedelta(hours=1, minutes=30),
        unit=world.units.get("rsj"),
        host_name="区融媒体中心 主持人 小秦",
        published=True,
        created_at=now - dt.timedelta(days=3),
    )
    InterviewGuest.objects.create(
        interview=upcoming,
        sort_order=0,
        name="孟庆和",
        title="副局长",
        unit_name="区人力资源和社会保障局",
    )
    InterviewGuest.objects.create(
        interview=upcoming,
        sort_order=1,
        name="邵雪芹",
        title="就业促进科科长",
        unit_name="区人力资源和社会保障局",
    )
    for n, question in enumerate(ADVANCE_QUESTIONS):
        InterviewQuestion.objects.create(
            interview=upcoming,
            content=question,
            submitted_at=now - dt.timedelta(days=2, hours=n * 5),
            status=QuestionStatus.APPROVED if n == 0 else QuestionStatus.PENDING,
            token=secrets.token_urlsafe(24),
            moderated_at=now - dt.timedelta(days=1) if n == 0 else None,
            moderated_by=operator if n == 0 else None,
        )
    world.log(
        f"在线访谈: 2 期（往期 {len(TRANSCRIPT)} 组问答，预告 {len(ADVANCE_QUESTIONS)} 个提前提问）"
    )
