"""季发文通报 and 年绩效考核 (第二十二条(一)): the quarterly circular (DOCX and PDF) and the
annual score of each unit (XLSX), from the stored daily checks and work orders.

The figures are pure functions of plain facts (`OrderFacts`, `RunFacts`, `MeasureFacts`) and the
period; `facts_load` is the only part that reads the database.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "MEASURE_PENALTY",
    "CircularData",
    "MeasureFacts",
    "OrderFacts",
    "RunFacts",
    "UnitScore",
    "circular_build",
    "circular_docx",
    "circular_pdf",
    "facts_load",
    "quarter_bounds",
    "unit_scores",
    "unit_scores_xlsx",
]


@dataclass(frozen=True)
class OrderFacts:
    pk: int
    unit_ids: tuple[int, ...]
    level: str
    message: str
    opened_on: dt.date
    due_on: dt.date
    # The day the problem was dealt with: the unit's 已整改 that the check then confirmed (or
    # that awaits the check), else the check's 已核验; None while it is open.
    resolved_on: dt.date | None
    verified_on: dt.date | None
    reopen_count: int = 0

    def open_at(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.verified_on is None or self.verified_on > day)

    def resolved_by(self, day: dt.date) -> bool:
        return self.resolved_on is not None and self.resolved_on <= day

    def overdue_at(self, day: dt.date) -> bool:
        """Not dealt with by its deadline: still unresolved after it, or resolved late."""
        if self.opened_on > day or self.due_on >= day:
            return False
        return not self.resolved_by(day) or (
            self.resolved_on is not None and self.resolved_on > self.due_on
        )


@dataclass(frozen=True)
class RunFacts:
    date: dt.date
    passed: bool | None
    score: Decimal | None
    vetoes: tuple[str, ...]


@dataclass(frozen=True)
class MeasureFacts:
    unit_id: int
    kind: str  # AccountabilityMeasure.Kind
    kind_label: str
    decided_on: dt.date


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("季度应为 1 到 4。")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


# The quarterly circular (季发文通报) ----------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    found: int  # orders opened in the period
    open: int  # not verified at the period's end
    fixed: int  # dealt with in the period
    overdue: int  # past their deadline at the period's end (unresolved or resolved late)


@dataclass
class CircularData:
    year: int
    quarter: int
    start: dt.date
    end: dt.date
    runs: list[RunFacts]
    units: list[UnitRow]
    veto_counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"关于{self.year}年第{'一二三四'[self.quarter - 1]}季度政府网站监管情况的通报"

    @property
    def checked_days(self) -> int:
        return len(self.runs)

    @property
    def failed_days(self) -> int:
        return sum(1 for r in self.runs if r.passed is False)

    @property
    def passed_days(self) -> int:
        return sum(1 for r in self.runs if r.passed)

    @property
    def latest(self) -> RunFacts | None:
        return max(self.runs, key=lambda r: r.date) if self.runs else None


def circular_build(
    *,
    year: int,
    quarter: int,
    orders: Sequence[OrderFacts],
    runs: Sequence[RunFacts],
    unit_names: dict[int, str],
) -> CircularData:
    """Rank the units, worst first: overdue problems, then open ones, then problems found."""
    start, end = quarter_bounds(year, quarter)
    rows = []
    for unit_id, name in unit_names.items():
        mine = [o for o in orders if unit_id in o.unit_ids and o.opened_on <= end]
        relevant = [o for o in mine if o.opened_on >= start or o.open_at(start)]
        if not relevant:
            continue
        rows.append(
            UnitRow(
                unit_id=unit_id,
                name=name,
                found=sum(1 for o in relevant if o.opened_on >= start),
                open=sum(1 for o in relevant if o.open_at(end)),
                fixed=sum(
                    1
                    for o in relevant
                    if o.resolved_on is not None and start <= o.resolved_on <= end
                ),
                overdue=sum(1 for o in relevant if o.overdue_at(end)),
            )
        )
    rows.sort(key=lambda r: (-r.overdue, -r.open, -r.found, r.name))
    in_quarter = [r for r in runs if start <= r.date <= end]
    vetoes = Counter(v for r in in_quarter for v in r.vetoes)
    return CircularData(
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        runs=sorted(in_quarter, key=lambda r: r.date),
        units=rows,
        veto_counts=vetoes.most_common(),
    )


def _circular_paragraphs(data: CircularData) -> list[tuple[str, str]]:
    """(style, text) pairs shared by the DOCX and the PDF: "h" heading, "p" paragraph."""
    out: list[tuple[str, str]] = [
        (
            "p",
            "各镇人民政府、街道办事处，区政府各工作部门，各直属机构："
            if data.units
            else "各有关单位：",
        ),
        (
            "p",
            "根据《渭滨区人民政府网站管理办法》第二十二条“日监测读网、月单独提醒、季发文通报、"
            f"年绩效考核”的要求，现将{data.start:%Y年%m月%d日}至{data.end:%Y年%m月%d日}"
            "区政府网站监测和问题整改情况通报如下。",
        ),
        ("h", "一、总体情况"),
    ]
    if data.runs:
        latest = data.latest
        assert latest is not None  # noqa: S101 - runs is not empty
        out.append(
            (
                "p",
                f"本季度共开展日监测读网 {data.checked_days} 天，按《政府网站与政务新媒体检查指标》"
                f"评估合格 {data.passed_days} 天、不合格 {data.failed_days} 天。"
                f"季度末（{latest.date:%m月%d日}）评估结论为"
                f"{'合格' if latest.passed else '不合格'}"
                + (f"，得分 {latest.score}。" if latest.score is not None else "。"),
            )
        )
        if data.veto_counts:
            items = "；".join(f"{name}（{days} 天）" for name, days in data.veto_counts)
            out.append(("p", f"触发单项否决的指标：{items}。"))
    else:
        out.append(("p", "本季度没有日监测读网记录。"))
    out.append(("h", "二、各单位问题整改情况"))
    if data.units:
        out.append(
            (
                "p",
                "下表按超期未整改问题数、未整改问题数、发现问题数从多到少排列。"
                "超期指超过整改期限仍未整改或逾期才整改。",
            )
        )
    else:
        out.append(("p", "本季度未发现需要各单位整改的问题。"))
    out.append(("h", "三、工作要求"))
    out.append(
        (
            "p",
            "请各单位对照问题清单立即整改（第二十三条），在网站管理后台“工单”中填写整改说明；"
            "对整改不积极不到位的单位，区政府办将视情况采取约谈、书面检查、通报批评等措施"
            "（第二十四条）。",
        )
    )
    return out


UNIT_HEADERS = ("排名", "单位", "发现问题", "未整改", "已整改", "超期")


def _unit_cells(data: CircularData) -> list[list[str]]:
    return [
        [str(n), r.name, str(r.found), str(r.open), str(r.fixed), str(r.overdue)]
        for n, r in enumerate(data.units, start=1)
    ]


def circular_docx(data: CircularData, *, issuer: str = "渭滨区人民政府办公室") -> bytes:
    """The circular as an editable Word document (the office edits it before issuing)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # type: ignore[attr-defined]
    heading = document.add_heading(data.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraphs = _circular_paragraphs(data)
    for kind, text in paragraphs:
        if kind == "h":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
        if text == "二、各单位问题整改情况" and data.units:
            table = document.add_table(rows=1, cols=len(UNIT_HEADERS))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, UNIT_HEADERS, strict=True):
                cell.text = header
            for values in _unit_cells(data):
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.text = value
    signature = document.add_paragraph(f"{issuer}\n{data.end:%Y年%m月%d日}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def circular_pdf(data: CircularData, *, issuer: str = "渭滨区人民政府办公室") -> bytes:
    """The same circular as PDF, with the built-in CID font (no font file needed)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    head = ParagraphStyle("head", parent=body, fontSize=13, leading=22, spaceBefore=6)
    right = ParagraphStyle("right", parent=body, alignment=2)
    story: list[object] = [Paragraph(data.title, title), Spacer(1, 6 * mm)]
    for kind, text in _circular_paragraphs(data):
        story.append(Paragraph(text, head if kind == "h" else body))
        if text == "二、各单位问题整改情况" and data.units:
            table = Table([list(UNIT_HEADERS), *_unit_cells(data)], repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), font),
                        ("FONTSIZE", (0, 0), (-1, -1), 10),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ]
                )
            )
            story.append(table)
    story += [Spacer(1, 10 * mm), Paragraph(f"{issuer}<br/>{data.end:%Y年%m月%d日}", right)]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=data.title, leftMargin=25 * mm, rightMargin=25 * mm
    ).build(story)  # type: ignore[arg-type]
    return out.getvalue()


# The annual assessment (年绩效考核) -------------------------------------------------------------

# Points per problem (docs/monitoring.md, "年绩效考核"); a veto-level problem counts double.
FOUND_PENALTY = Decimal("0.5")
LATE_PENALTY = Decimal(2)
UNRESOLVED_PENALTY = Decimal(5)
REOPEN_PENALTY = Decimal(1)
MEASURE_PENALTY = {"talk": Decimal(3), "written_review": Decimal(5), "criticism": Decimal(10)}


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    name: str
    found: int
    on_time: int
    late: int
    unresolved: int
    reopened: int
    measures: int
    score: Decimal


def unit_scores(
    *,
    year: int,
    orders: Sequence[OrderFacts],
    measures: Sequence[MeasureFacts],
    unit_names: dict[int, str],
    today: dt.date,
) -> list[UnitScore]:
    """Each unit's score for the year, out of 100, best first.

    Per problem found in the year: −0.5; dealt with after its deadline: −2 more; still not dealt
    with and past its deadline at the year's end (or today, within the year): −5 more; each time
    the next check reopened it: −1. A veto-level problem counts double. Each accountability
    measure of the year: 约谈 −3, 书面检查 −5, 通报批评 −10. Never below 0.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cutoff = min(end, today)
    out = []
    for unit_id, name in unit_names.items():
        mine = [o for o in orders if unit_id in o.unit_ids and start <= o.opened_on <= end]
        penalty = Decimal(0)
        on_time = late = unresolved = reopened = 0
        for order in mine:
            weight = 2 if order.level == "veto" else 1
            cost = FOUND_PENALTY + REOPEN_PENALTY * order.reopen_count
            reopened += order.reopen_count
            if order.resolved_by(cutoff):
                assert order.resolved_on is not None  # noqa: S101 - resolved_by says so
                if order.resolved_on > order.due_on:
                    late += 1
                    cost += LATE_PENALTY
                else:
                    on_time += 1
            elif order.due_on < cutoff:
                unresolved += 1
                cost += UNRESOLVED_PENALTY
            penalty += cost * weight
        own_measures = [
            m for m in measures if m.unit_id == unit_id and start <= m.decided_on <= end
        ]
        penalty += sum((MEASURE_PENALTY.get(m.kind, Decimal(0)) for m in own_measures), Decimal(0))
        out.append(
            UnitScore(
                unit_id=unit_id,
                name=name,
                found=len(mine),
                on_time=on_time,
                late=late,
                unresolved=unresolved,
                reopened=reopened,
                measures=len(own_measures),
                score=max(Decimal(0), Decimal(100) - penalty),
            )
        )
    out.sort(key=lambda s: (-s.score, s.name))
    return out


SCORE_HEADERS = (
    "排名",
    "单位",
    "发现问题",
    "按期整改",
    "逾期整改",
    "超期未整改",
    "复查重新打开",
    "责任追究",
    "得分",
)


def unit_scores_xlsx(scores: Sequence[UnitScore], *, year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet
    sheet.title = f"{year}年绩效考核"
    sheet.append([f"{year}年度政府网站工作绩效考核（各单位得分）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(SCORE_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for n, s in enumerate(scores, start=1):
        sheet.append(
            [
                n,
                s.name,
                s.found,
                s.on_time,
                s.late,
                s.unresolved,
                s.reopened,
                s.measures,
                float(s.score),
            ]
        )
    sheet.column_dimensions["B"].width = 28
    sheet.append([])
    sheet.append(
        [
            "计分方法：每发现一个问题扣0.5分，逾期整改再扣2分，超期未整改再扣5分，每次复查重新打开扣1分，"
            "单项否决类问题加倍；约谈扣3分，书面检查扣5分，通报批评扣10分；最低0分。"
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Loading the facts -------------------------------------------------------------------------------


def facts_load(
    *, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[list[OrderFacts], list[RunFacts], list[MeasureFacts], dict[int, str]]:
    """Orders, stored daily checks and accountability measures, and the unit names."""
    from django.db.models import Max

    from govportal.core.models import Unit
    from govportal.monitoring.models import (
        AccountabilityMeasure,
        CheckRun,
        WorkOrder,
        WorkOrderEvent,
    )

    orders_qs = WorkOrder.objects.prefetch_related("units")
    if end is not None:
        orders_qs = orders_qs.filter(opened_on__lte=end)
    last_fix = dict(
        WorkOrderEvent.objects.filter(kind=WorkOrderEvent.Kind.FIXED)
        .values("order_id")
        .annotate(last=Max("on"))
        .values_list("order_id", "last")
    )
    orders = []
    for o in orders_qs:
        fixed_on = last_fix.get(o.pk)
        if o.state == WorkOrder.State.VERIFIED:
            resolved = [d for d in (fixed_on, o.verified_on) if d is not None]
        elif o.state == WorkOrder.State.FIXED:
            resolved = [fixed_on] if fixed_on is not None else []
        else:
            resolved = []
        orders.append(
            OrderFacts(
                pk=o.pk,
                unit_ids=tuple(u.pk for u in o.units.all()),
                level=o.level,
                message=o.message,
                opened_on=o.opened_on,
                due_on=o.due_on,
                resolved_on=min(resolved) if resolved else None,
                verified_on=o.verified_on,
                reopen_count=o.reopen_count,
            )
        )
    runs_qs = CheckRun.objects.filter(finished_at__isnull=False)
    if start is not None:
        runs_qs = runs_qs.filter(date__gte=start)
    if end is not None:
        runs_qs = runs_qs.filter(date__lte=end)
    runs = [
        RunFacts(
            date=r.date,
            passed=r.passed,
            score=r.score,
            vetoes=tuple((r.summary or {}).get("vetoes", [])),
        )
        for r in runs_qs
    ]
    measures = [
        MeasureFacts(m.unit_id, m.kind, m.get_kind_display(), m.decided_on)
        for m in AccountabilityMeasure.objects.all()
    ]
    names = dict(Unit.objects.order_by("sort_order", "name").values_list("id", "name"))
    return orders, runs, measures, names
