"""Demo data for 政府信息公开工作年度报告. Called once from builder._build (see builder.DemoWorld).

The district's report on the previous year is filled from the platform's data (policy documents,
disclosure requests), completed with the figures the platform does not hold, and published; one
department has a draft. The text is written for the demo; the figures are invented.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from govportal.reports import services, tables
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import PublisherKind

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld

DRAFT_UNIT = "jyj"  # 区教育局: its report is still being written

OVERVIEW = [
    "{year}年，渭滨区人民政府坚持以公开为常态、不公开为例外，围绕优化营商环境、保障和改善民生等"
    "重点工作，持续深化政务公开，推动政府信息公开工作规范化、标准化。",
    "（一）主动公开。全年通过区政府门户网站主动公开政府信息，其中制发行政规范性文件{issued}件，"
    "现行有效行政规范性文件{in_force}件；对涉及面广、社会关注度高的政策文件同步发布文字、图解、"
    "视频等形式的政策解读。",
    "（二）依申请公开。全年新收政府信息公开申请{received}件，上年结转{carried_in}件，"
    "已办结{answered}件，结转下年度继续办理{carried_out}件。申请均按照条例规定的期限答复。",
    "（三）政府信息管理。严格执行公开前保密审查和“先审后发”制度，对现行有效的规范性文件开展清理，"
    "及时在政策文件页面标注失效、废止状态并链接替代文件。",
    "（四）平台建设。区政府门户网站政府信息公开专栏按照条例第二十条、第二十一条设置公开目录，"
    "提供按类别、主题、发文机关和年份检索，以及目录数据下载。",
    "（五）监督保障。将政务公开纳入年度目标责任考核，开展日常监测和季度通报，"
    "全年未发生因政府信息公开工作引发的责任追究。",
]

PROBLEMS = [
    "一是部分单位政策解读形式较为单一，图解、视频等解读占比不高。"
    "下一步将推行“一文一解读、多形式解读”。",
    "二是个别栏目更新不够及时。下一步将落实栏目责任明细表，按月提醒、按季通报。",
    "三是依申请公开答复文书规范性有待提高。下一步将组织业务培训，统一答复文书格式。",
]

OTHER = ["本年度无其他需要报告的事项。"]

UNIT_OVERVIEW = (
    "{year}年，区教育局按照区政府政务公开工作部署，主动公开义务教育招生、学前教育资助等信息，"
    "及时回应群众关切。（草稿，待补充依申请公开台账数据。）"
)


def _appeals(rnd: random.Random, answered: int) -> dict[str, int]:
    """A few reviews and suits, in proportion to the requests answered (usually a handful)."""
    reviews = min(answered, rnd.randint(0, 3))
    suits = min(answered - reviews, rnd.randint(0, 1))
    upheld = rnd.randint(0, reviews)
    values = {
        "review.upheld": upheld,
        "review.corrected": reviews - upheld,
        "suit_direct.upheld": suits,
    }
    return tables.appeals_totals(values)


def _text(lines: list[str], **words: Any) -> str:
    return "\n".join(line.format(**words) for line in lines)


def load(world: DemoWorld) -> None:
    year = world.now.year - 1
    today = world.now.date()
    operator = world.users["operator"]
    rnd = world.rnd

    report = services.report_create(
        year=year,
        publisher_kind=PublisherKind.DISTRICT,
        unit=None,
        user=operator,
        today=today,
    )
    plan = services.report_fill_from_data(report=report, user=operator, now=world.now)
    values = plan.values
    requests = values["requests"]
    answered = int(requests["total.total"])
    # The figures the platform does not hold: 许可、处罚、强制、收费 and 复议、诉讼.
    values["proactive"].update(
        {
            "licensing": rnd.randint(1800, 4200),
            "penalty": rnd.randint(300, 900),
            "enforcement": rnd.randint(5, 40),
            tables.FEES: str(Decimal(rnd.randint(1500, 9000)) / 100),
        }
    )
    values["appeals"] = _appeals(rnd, answered)
    words = {
        "year": year,
        "issued": values["proactive"]["normative.issued"],
        "in_force": values["proactive"]["normative.in_force"],
        "received": requests["received.total"],
        "carried_in": requests["carried_in.total"],
        "answered": answered,
        "carried_out": requests["carried_out.total"],
    }
    try:
        services.report_update(
            report=report,
            user=operator,
            overview=_text(OVERVIEW, **words),
            problems="\n".join(PROBLEMS),
            other_matters="\n".join(OTHER),
            fees_collected=plan.fees_collected or Decimal("0"),
            tables_new=values,
        )
        services.report_publish(report=report, user=operator, now=world.now)
    except services.ReportError as exc:
        # The platform's own request figures do not add up: leave the draft for the operator.
        world.log(f"年度报告: {year}年区政府报告留作草稿（{exc.messages[0]}）")
    else:
        world.log(f"年度报告: {year}年区政府报告已发布")

    unit = world.units.get(DRAFT_UNIT)
    if unit is not None:
        draft = services.report_create(
            year=year, publisher_kind=PublisherKind.UNIT, unit=unit, user=operator, today=today
        )
        services.report_fill_from_data(report=draft, user=operator, now=world.now)
        DisclosureReport.objects.filter(pk=draft.pk).update(
            overview=UNIT_OVERVIEW.format(year=year)
        )
        world.log(f"年度报告: {unit.name}{year}年报告（草稿）")


def remove() -> None:
    """Delete the district's and the demo units' reports (demo_remove only)."""
    from govportal.demo.units import UNITS

    DisclosureReport.objects.filter(unit__isnull=True).delete()
    DisclosureReport.objects.filter(unit__name__in=[u.name for u in UNITS]).delete()
