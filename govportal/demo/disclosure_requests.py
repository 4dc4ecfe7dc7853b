"""Demo data for 依申请公开: about fifteen requests in every state, some carried over from last
year. Called once from builder._build (see builder.DemoWorld).

Everything goes through request_services, with each step's own date, as the clerks would have
done it. Applicants are fictional; their ID numbers have a wrong check character on purpose.
All demo requests share one query code (printed in the log) so the lookup page can be tried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from govportal.core.models.calendar import workday_calendar
from govportal.disclosure.models import DisclosureRequest
from govportal.disclosure.request_services import (
    ApplicantData,
    request_answer,
    request_archive,
    request_ask_correction,
    request_assign,
    request_consultation_end,
    request_consultation_start,
    request_extend,
    request_fee_decide,
    request_fee_paid,
    request_register,
    request_submit_correction,
)
from govportal.lib import tracking
from govportal.lib.idnumbers import resident_id_check_character
from govportal.lib.workdays import CalendarDataMissing

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld

DEMO_QUERY_CODE = "DEMO2345CODE"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
ORGANISATIONS = {
    "business": ("宝鸡市渭滨区某某建材有限公司", "91610302MA6X0", "赵某"),
    "legal_service": ("陕西某某律师事务所宝鸡分所", "31610000MD0Y1", "钱某"),
    "research": ("宝鸡某某城乡规划研究院", "12610300MB1Z2", "孙某"),
    "nonprofit": ("渭滨区某某公益服务中心", "52610302MJ2A3", "李某"),
}
DESCRIPTIONS = [
    "2025年渭滨区老旧小区改造项目的立项批复及实施方案",
    "经二路道路拓宽工程的征收补偿标准文件",
    "本区2025年度城乡居民最低生活保障资金发放情况",
    "某小区周边垃圾中转站建设项目的环境影响评价审批文件",
    "清姜街道某社区农贸市场改造工程的招标公告及中标结果",
    "2024年度区教育局部门决算中“三公”经费明细",
    "高家镇某村土地征收的批准文件及征地补偿安置方案",
    "区卫生健康局关于社区卫生服务中心设置规划的文件",
    "渭滨区2025年义务教育阶段学校招生划片范围的依据文件",
    "姜谭路某商住项目的建设工程规划许可证",
    "区人社局2025年公益性岗位招聘的名额及录用结果",
    "马营镇某河段防洪治理工程的竣工验收材料",
]


def _fake_id(rnd: Any) -> str:
    """An ID-shaped number with a wrong check character: never a real person's."""
    born = dt.date(1955, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 45))
    first17 = f"610302{born:%Y%m%d}{rnd.randrange(0, 1000):03d}"
    right = resident_id_check_character(first17)
    return first17 + next(c for c in "0123456789X" if c != right)


def _fake_credit_code(prefix: str, rnd: Any) -> str:
    body = prefix + "".join(rnd.choice("0123456789ABCDEFGH") for _ in range(17 - len(prefix)))
    return body + "0"  # not checked: demo organisations are fictional


@dataclass
class _Loader:
    world: DemoWorld
    code_hash: str
    today: dt.date
    made: list[DisclosureRequest] = field(default_factory=list)

    def back(self, n: int) -> dt.date:
        """The n-th working day before today (weekdays when the year has no calendar data)."""
        calendar = workday_calendar()
        day, count = self.today, 0
        while count < n:
            day -= dt.timedelta(days=1)
            try:
                workday = calendar.is_workday(day)
            except CalendarDataMissing:
                workday = day.weekday() < 5
            count += workday
        return day

    def at(self, day: dt.date) -> dt.datetime:
        hour = 9 + self.world.rnd.randrange(0, 8)
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 12))

    def user(self, name: str) -> Any:
        return self.world.users[name]

    def new(self, unit_code: str, received_on: dt.date, *, kind: str = "natural_person") -> Any:
        rnd = self.world.rnd
        if kind == "natural_person":
            surname = rnd.choice(SURNAMES)
            name, id_type, number, person = f"{surname}某某", "resident_id", _fake_id(rnd), ""
        else:
            name, prefix, person = ORGANISATIONS[kind]
            id_type, number = "credit_code", _fake_credit_code(prefix, rnd)
        applicant = ApplicantData(
            id_number=number,
            applicant_kind=kind,
            applicant_name=name,
            legal_representative=person,
            id_type=id_type,
            contact_phone=f"0917-32{rnd.randrange(10000, 99999)}",
            contact_address="宝鸡市渭滨区经二路某号",
            postal_code="721000",
            description=rnd.choice(DESCRIPTIONS),
            delivery_form=rnd.choice(["paper", "electronic"]),
            delivery_channel=rnd.choice(["post", "pickup", "online"]),
        )
        editor = self.user(f"{unit_code}_editor")
        online = rnd.random() < 0.6
        request, _ = request_register(
            applicant=applicant,
            unit=self.world.units[unit_code],
            intake_channel="online" if online else "in_person",
            received_on=received_on,
            by=None if online else editor,
            query_code_hash=self.code_hash,
            now=self.at(received_on),
        )
        next_day = min(self.back(0), received_on + dt.timedelta(days=1))
        request_assign(request=request, handler=editor, by=editor, now=self.at(next_day))
        self.made.append(request)
        return request, editor

    def answer(
        self, request: Any, by: Any, on: dt.date, reply: str, outcome: str, text: str
    ) -> None:
        request_answer(
            request=request, by=by, reply_type=reply, outcome=outcome, text=text, on=on,
            now=self.at(on),
        )  # fmt: skip


def load(world: DemoWorld) -> None:
    today = timezone.localdate(world.now)
    loader = _Loader(world=world, code_hash=tracking.query_code_hash(DEMO_QUERY_CODE), today=today)
    steps: list[Callable[[_Loader], None]] = [
        _fresh,
        _due_soon,
        _overdue,
        _awaiting_correction,
        _corrected,
        _consulting,
        _extended,
        _answered,
        _carried_over,
    ]
    for step in steps:
        step(loader)
    world.log(
        f"依申请公开：{len(loader.made)} 件申请；演示查询码（所有演示申请通用）：{DEMO_QUERY_CODE}"
    )


def _fresh(d: _Loader) -> None:
    d.new("zfb", d.back(2))
    d.new("jyj", d.back(1), kind="research")


def _due_soon(d: _Loader) -> None:
    d.new("wjj", d.back(18))  # 2 working days left


def _overdue(d: _Loader) -> None:
    d.new("xzsp", d.back(24))


def _awaiting_correction(d: _Loader) -> None:
    request, editor = d.new("rsj", d.back(4))
    asked = d.back(3)
    request_ask_correction(
        request=request, by=editor, text="申请内容不明确：请写明所需文件的名称、文号或形成时间。",
        due_on=d.today + dt.timedelta(days=14), now=d.at(asked),
    )  # fmt: skip


def _corrected(d: _Loader) -> None:
    request, editor = d.new("sgz", d.back(12))
    request_ask_correction(
        request=request, by=editor, text="请补充所需信息的具体路段。",
        due_on=d.back(3), now=d.at(d.back(10)),
    )  # fmt: skip
    request_submit_correction(
        request=request, text="经二路（宝平路至清姜路段）。", now=d.at(d.back(6))
    )


def _consulting(d: _Loader) -> None:
    request, editor = d.new("zfb", d.back(10), kind="business")
    request_consultation_start(
        request=request, by=editor, note="涉及第三方商业信息，书面征求中标企业意见。",
        on=d.back(5), now=d.at(d.back(5)),
    )  # fmt: skip


def _extended(d: _Loader) -> None:
    request, editor = d.new("jyj", d.back(19), kind="legal_service")
    request_extend(
        request=request, by=editor, approver=d.user("jyj_reviewer"), days=15,
        reason="所需信息分散在多个科室，需调取历年档案。",
        notice="您申请的政府信息需要调取档案，经负责人同意，答复期限延长15个工作日。",
        now=d.at(d.back(2)),
    )  # fmt: skip


def _answered(d: _Loader) -> None:
    request, editor = d.new("zfb", d.back(40))
    d.answer(request, editor, d.back(25), "disclosed", "disclosed",
             "您申请的文件已通过电子邮件发送，请查收。")  # fmt: skip

    request, editor = d.new("wjj", d.back(45), kind="business")
    request_consultation_start(
        request=request, by=editor, note="征求相关企业意见。", on=d.back(40), now=d.at(d.back(40))
    )
    request_consultation_end(
        request=request, by=editor, note="企业不同意公开报价明细。", on=d.back(33),
        now=d.at(d.back(33)),
    )  # fmt: skip
    d.answer(request, editor, d.back(28), "partly_disclosed", "partly_disclosed",
             "申请的信息中报价明细涉及商业秘密，经区分处理，其余部分予以公开。")  # fmt: skip
    request_archive(request=request, by=editor, now=d.at(d.back(20)))

    request, editor = d.new("xzsp", d.back(35))
    d.answer(request, editor, d.back(20), "withheld", "withheld_process",
             "所申请信息为讨论中的过程性信息，依据第十六条第二款不予公开。")  # fmt: skip

    request, editor = d.new("rsj", d.back(50))
    d.answer(request, editor, d.back(38), "not_exist", "unavailable_not_held",
             "经检索，本机关未制作或获取该政府信息。")  # fmt: skip

    request, editor = d.new("sgz", d.back(22))
    d.answer(request, editor, d.back(15), "not_our_duty", "unavailable_not_held",
             "该信息由宝鸡市自然资源和规划局负责公开，联系电话 0917-32xxxxx。")  # fmt: skip

    request, editor = d.new("jyj", d.back(60), kind="research")
    request_fee_decide(
        request=request, by=editor, method="per_page", pages=120, now=d.at(d.back(55))
    )
    request_fee_paid(request=request, by=editor, on=d.back(50), now=d.at(d.back(50)))
    d.answer(request, editor, d.back(45), "disclosed", "disclosed",
             "已按纸质文本提供，共120页。")  # fmt: skip
    request_archive(request=request, by=editor, now=d.at(d.back(40)))

    request, editor = d.new("zfb", d.back(35))
    request_ask_correction(
        request=request, by=editor, text="请写明所需信息的名称或文号。",
        due_on=d.back(25), now=d.at(d.back(33)),
    )  # fmt: skip
    d.answer(request, editor, d.back(20), "other", "other_no_correction",
             "申请人逾期未补正，视为放弃申请（第三十条）。")  # fmt: skip


def _carried_over(d: _Loader) -> None:
    """Last year's requests: one answered in January (carried over), one answered last year."""
    last = d.today.year - 1
    request, editor = d.new("wjj", dt.date(last, 12, 22))
    # Answered in January when the demo is built later than that.
    answered_on = min(dt.date(d.today.year, 1, 13), d.back(1))
    d.answer(request, editor, answered_on, "already_public", "disclosed",
             "该信息已在区政府门户网站“法定主动公开内容”栏目公开，请自行查阅。")  # fmt: skip
    request_archive(
        request=request, by=editor, now=d.at(min(answered_on + dt.timedelta(7), d.today))
    )

    d.new("zfb", dt.date(last, 12, 29), kind="business")  # still open: carried over and overdue

    request, editor = d.new("xzsp", dt.date(last, 11, 10), kind="nonprofit")
    d.answer(request, editor, dt.date(last, 12, 1), "repeat", "not_processed_repeat",
             "该申请与贵单位此前的申请内容相同，本机关已于此前答复，不予重复处理。")  # fmt: skip
    request_archive(request=request, by=editor, now=d.at(dt.date(last, 12, 8)))


def remove() -> None:
    """Delete the demo's requests with their logs (demo_remove only).

    The models refuse an instance's delete(): a real request is never deleted through the
    application. Removing the demo district is a reset of demo data, done on the querysets.
    """
    from govportal.demo.units import UNITS
    from govportal.disclosure.models import DisclosureRequestEvent

    demo = DisclosureRequest.objects.filter(unit__name__in=[u.name for u in UNITS])
    DisclosureRequestEvent.objects.filter(request__in=demo).delete()
    demo.delete()
