"""Demo data for 区长信箱: about sixty letters in every state. Called once from builder._build.

Everything goes through the mailbox services with each step's own time, as the office and the
units would have done it: new letters, accepted and assigned ones (on time, due soon, overdue,
escalated, with an extension asked for, with a reply waiting for review, with information asked
of the citizen), handed back, rejected, answered and published with ratings, one held for
moderation, and one valid letter unanswered for more than three months (so monitoring finds it).
Citizens are fictional; their mobile numbers are stored masked (138****1234), never real.
One letter's tracking number and query code are written to the log to try the look-up page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from govportal.core.models.calendar import workday_calendar
from govportal.interaction.mailbox import services
from govportal.interaction.mailbox.services import _event
from govportal.interaction.models import Message, MessageEvent, RejectReason
from govportal.lib.workdays import CalendarDataMissing

if TYPE_CHECKING:
    from govportal.core.models import Unit
    from govportal.demo.builder import DemoWorld

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽娟",
    "海涛",
    "春梅",
    "晓东",
    "玉兰",
    "文博",
    "雅琴",
    "子轩",
    "欣怡",
]


@dataclass(frozen=True)
class Topic:
    message_type: str
    subject: str
    content: str
    reply: str


TOPICS = [
    Topic(
        "consultation",
        "孩子入学需要准备哪些材料",
        "我家孩子今年满六周岁，户籍在石鼓镇，租住在城区，请问小学入学需要准备哪些材料，在哪里报名？",
        "您好！适龄儿童入学需准备户口簿、居住证明和儿童预防接种证。报名通过区教育局招生平台进行，"
        "具体时间以当年招生公告为准。如有疑问可拨打区教育局招生咨询电话 0917-3260000。",
    ),
    Topic(
        "suggestion",
        "建议在滨河公园增设健身器材",
        "滨河公园早晚锻炼的人很多，现有健身器材数量少且部分损坏，建议增设并定期维护。",
        "感谢您的建议。经实地查看，已安排对损坏器材进行维修，并将增设健身器材列入明年公园提升计划。",
    ),
    Topic(
        "complaint",
        "小区附近夜间施工噪音扰民",
        "经二路附近工地连续多日夜间施工到凌晨，严重影响周边居民休息，请有关部门查处。",
        "您反映的问题已转城市管理执法部门现场核查。该工地未办理夜间施工许可，已责令停止夜间施工并立案处理。",
    ),
    Topic(
        "help",
        "老人办理高龄补贴行动不便",
        "家中老人九十岁，行动不便，无法到窗口办理高龄补贴，能否上门办理？",
        "您好！对行动不便的高龄老人，社区工作人员可以上门代办。已通知所在社区与您联系，预约上门时间。",
    ),
    Topic(
        "consultation",
        "灵活就业人员如何缴纳养老保险",
        "我是个体工商户，想咨询灵活就业人员参加城镇职工养老保险的缴费标准和办理渠道。",
        "灵活就业人员可在社保经办窗口或手机应用办理参保登记，缴费基数在上下限之间自愿选择，"
        "详细标准见区人力资源和社会保障局网站公布的年度缴费标准。",
    ),
    Topic(
        "complaint",
        "社区卫生服务中心排队时间过长",
        "周一上午到社区卫生服务中心取药，排队近两个小时，希望增加窗口或实行预约。",
        "感谢您的监督。中心已在高峰时段增开一个取药窗口，并开通慢病患者预约取药服务。",
    ),
    Topic(
        "suggestion",
        "建议延长政务服务中心午间办理时间",
        "上班族中午时间有限，建议政务服务中心实行午间不间断服务。",
        "您的建议很好。政务服务中心已在工作日实行午间延时服务，部分高频事项窗口中午正常办理。",
    ),
    Topic(
        "help",
        "村道路灯损坏多日无人维修",
        "马营镇某村主干道路灯坏了半个月，晚上出行很不安全，请帮助协调维修。",
        "已协调镇村建办和供电部门进行检修，损坏路灯已于本周全部修复。",
    ),
    Topic(
        "consultation",
        "个体工商户注销需要多长时间",
        "准备注销个体工商户营业执照，请问需要哪些材料，多久能办好？",
        "个体工商户注销可通过简易注销程序办理，材料齐全的当场办结。可登录政务服务网在线申请。",
    ),
    Topic(
        "other",
        "对区政府网站改版的意见",
        "新版网站整体清晰，但手机上查找办事指南不太方便，建议优化移动端导航。",
        "感谢您的意见。网站已对移动端导航进行了调整，办事指南入口已放到首页显著位置。",
    ),
]
REPLY_HELD = "经核实，反映人邻居张某某多次违规占用消防通道，已约谈当事人。"


def _masked_phone(world: DemoWorld) -> str:
    rnd = world.rnd
    return f"1{rnd.choice('3589')}{rnd.randint(0, 9)}****{rnd.randint(0, 9999):04d}"


def _name(world: DemoWorld) -> str:
    return world.rnd.choice(SURNAMES) + world.rnd.choice(GIVEN)


def _staffed(world: DemoWorld) -> list[tuple[Unit, Any, Any]]:
    """(unit, editor, reviewer) of the units that have demo staff."""
    staffed = []
    for code, unit in world.units.items():
        editor = world.users.get(f"{code}_editor")
        reviewer = world.users.get(f"{code}_reviewer")
        if editor is not None and reviewer is not None and code not in ("szzx", "dsj"):
            staffed.append((unit, editor, reviewer))
    return staffed


class _Builder:
    def __init__(self, world: DemoWorld) -> None:
        self.world = world
        self.operator = world.users["operator"]
        self.staffed = _staffed(world)
        self.count = 0
        self.demo_receipt: services.Receipt | None = None
        services.reject_reasons_ensure()
        self.reasons = list(RejectReason.objects.all())

    def at(self, days_ago: float, hour: int = 9) -> dt.datetime:
        moment = self.world.now - dt.timedelta(days=days_ago)
        local = timezone.localtime(moment).replace(hour=hour, minute=self.world.rnd.randint(0, 59))
        return min(local, self.world.now)

    def workday_after(self, start: dt.datetime, days: int, hour: int) -> dt.datetime:
        try:
            day = workday_calendar().add(timezone.localdate(start), days)
        except CalendarDataMissing:
            day = timezone.localdate(start) + dt.timedelta(days=days)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))
        return min(moment, self.world.now)

    def submit(
        self, received: dt.datetime, topic: Topic | None = None, consent: bool = True
    ) -> Message:
        topic = topic or TOPICS[self.count % len(TOPICS)]
        self.count += 1
        token = services.form_token_read(services.form_token_new())
        assert token is not None  # noqa: S101  (just made)
        receipt = services.message_submit(
            form_token=token,
            message_type=topic.message_type,
            subject=topic.subject,
            content=topic.content,
            name=_name(self.world),
            phone=_masked_phone(self.world),
            consent_publish=consent,
            client_ip="127.0.0.1",
            now=received,
        )
        if self.demo_receipt is None:
            self.demo_receipt = receipt
        return receipt.message

    def staff(self, index: int) -> tuple[Unit, Any, Any]:
        return self.staffed[index % len(self.staffed)]

    def handling(
        self, received: dt.datetime, index: int, **kwargs: Any
    ) -> tuple[Message, Any, Any]:
        unit, editor, reviewer = self.staff(index)
        message = self.submit(received, **kwargs)
        accepted = min(received + dt.timedelta(hours=2), self.world.now)
        services.message_accept(message=message, user=self.operator, units=[unit], now=accepted)
        message.refresh_from_db()
        return message, editor, reviewer

    def answered(self, received: dt.datetime, index: int, days: int, **kwargs: Any) -> Message:
        topic = TOPICS[self.count % len(TOPICS)]
        message, editor, reviewer = self.handling(received, index, topic=topic, **kwargs)
        replied = (
            self.workday_after(received, days, 10) if days else received + dt.timedelta(hours=5)
        )
        replied = max(min(replied, self.world.now), received + dt.timedelta(hours=3))
        draft = services.reply_save(
            message=message, user=editor, text=topic.reply, submit=True, now=replied
        )
        approved = min(replied + dt.timedelta(hours=1), self.world.now)
        return services.reply_approve(reply=draft, user=reviewer, now=approved)

    def escalate(self, message: Message) -> None:
        """As `mailbox_remind` would have done the day after the due date (without the e-mail)."""
        if message.due_on is None:
            return
        when = timezone.make_aware(
            dt.datetime.combine(message.due_on + dt.timedelta(days=1), dt.time(8))
        )
        when = min(when, self.world.now)
        Message.objects.filter(pk=message.pk).update(escalated_at=when)
        _event(message, MessageEvent.Kind.ESCALATED, text="已超过答复期限，督办。", now=when)


def load(world: DemoWorld) -> None:
    b = _Builder(world)
    if not b.staffed:
        world.log("区长信箱：没有配备编辑和审核人员的单位，跳过演示留言。")
        return
    rnd = world.rnd
    ratings = ["satisfied"] * 6 + ["basic"] * 3 + ["unsatisfied"]
    # Answered over the last five months, most published with a rating.
    for i in range(24):
        received = b.at(rnd.randint(3, 150), hour=rnd.randint(8, 20))
        days = rnd.choice([0, 0, 1, 2, 3, 4, 5])
        message = b.answered(received, i, days, consent=i % 5 != 4)
        if i % 3 != 2 and message.answered_at is not None:
            rated = min(message.answered_at + dt.timedelta(days=1), world.now)
            services.message_rate(
                message=message, rating=rnd.choice(ratings), comment="", now=rated
            )
    # One answered late (7 working days): shown as 超期答复.
    b.answered(b.at(40), 1, 7)
    # Held for moderation: the reply names a third person.
    topic = Topic(
        "complaint",
        "消防通道长期被占用",
        "小区消防通道被私家车长期占用，多次劝说无效。",
        REPLY_HELD,
    )
    message, editor, reviewer = b.handling(b.at(12), 2, topic=topic)
    draft = services.reply_save(
        message=message, user=editor, text=topic.reply, submit=True, now=b.at(10)
    )
    message = services.reply_approve(reply=draft, user=reviewer, now=b.at(10, 11))
    if message.publication != Message.Publication.HELD:
        Message.objects.filter(pk=message.pk).update(
            publication=Message.Publication.HELD,
            published_at=None,
            publication_note="答复涉及第三方，需人工核对后公开。",
        )
    # New (待受理), from today and yesterday.
    for i in range(5):
        b.submit(b.at(i % 2, hour=8 + i))
    # In hand: on time, due soon, overdue, overdue and escalated.
    for i in range(6):
        b.handling(b.at(rnd.choice([0, 1])), i)
    for i in range(3):
        b.handling(b.at(5), i)  # due about now
    for i in range(2):
        b.handling(b.at(12), i)  # overdue, not yet escalated
    for i in range(3):
        message, _, _ = b.handling(b.at(20 + i), i)
        b.escalate(message)
    # A valid letter unanswered for more than three months (国办秘函〔2019〕19号: veto).
    message, _, _ = b.handling(b.at(110), 3)
    b.escalate(message)
    # Reply drafted and waiting for the reviewer; extension asked for; information asked.
    for i in range(3):
        message, editor, _ = b.handling(b.at(2), i)
        services.reply_save(
            message=message, user=editor, text=TOPICS[i].reply, submit=True, now=b.at(1)
        )
    for i in range(2):
        message, editor, _ = b.handling(b.at(4), i)
        services.extension_request(
            message=message, user=editor, days=3, reason="需会同相关部门现场核实。", now=b.at(3)
        )
    message, editor, _ = b.handling(b.at(3), 1)
    services.extension_request(
        message=message, user=editor, days=2, reason="需等待检测结果。", now=b.at(2)
    )
    extension = message.extensions.get()
    services.extension_decide(
        extension=extension, user=b.operator, approve=True, note="同意。", now=b.at(2, 15)
    )
    for i in range(2):
        message, editor, _ = b.handling(b.at(3), i)
        services.message_request_info(
            message=message,
            user=editor,
            text="请补充问题发生的具体位置（如门牌号附近）。",
            now=b.at(2),
        )
    # Asked for more, the citizen never answered: closed as 未补充办结 after 10 working days.
    message, editor, _ = b.handling(b.at(25), 0)
    services.message_request_info(
        message=message, user=editor, text="请补充具体地址。", now=b.at(24)
    )
    services.message_close_no_info(message=message, user=editor, now=b.at(5))
    # Handed back by the unit: waiting for the operator to assign again.
    for i in range(2):
        message, editor, _ = b.handling(b.at(2), i)
        services.message_hand_back(
            message=message, user=editor, reason="不属于本单位职责，建议转交有关部门。", now=b.at(1)
        )
    # Rejected.
    for i in range(4):
        message = b.submit(b.at(rnd.randint(5, 60)))
        services.message_reject(
            message=message,
            user=b.operator,
            reason=b.reasons[i % len(b.reasons)],
            text="",
            now=min(message.received_at + dt.timedelta(hours=3), world.now),
        )
    receipt = b.demo_receipt
    if receipt is not None:
        world.log(
            f"区长信箱：{b.count} 条演示留言；查询页可试 留言编号 {receipt.message.tracking_number}"
            f" 查询码 {receipt.query_code}"
        )


def remove() -> None:
    """Delete the demo letters with everything hanging off them (demo_remove only)."""
    Message.objects.all().delete()
