"""The column responsibility table (栏目责任明细表): build its rows, export them, read an import.

第二十一条(一)(二): every column has a responsible unit (责任单位) and an update cycle (更新周期).
The office keeps this table in Excel, so it travels as XLSX both ways (export → edit → import).

The functions on rows, dates, files and imports are pure; the two loaders at the end
(`column_facts_load`, `newest_article_dates`) are the only ones that read the database, with a
fixed number of queries however large the column tree is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Max, Q
from django.db.models.functions import Substr
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from govportal.core.freshness import (
    FREQUENCY_BY_LABEL,
    FREQUENCY_LABELS,
    UpdateFrequency,
    add_months,
    next_due,
)


class ColumnStatus(StrEnum):
    NORMAL = "normal"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    EMPTY = "empty"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[ColumnStatus, str] = {
    ColumnStatus.NORMAL: "正常",
    ColumnStatus.DUE_SOON: "即将到期",
    ColumnStatus.OVERDUE: "已超期",
    ColumnStatus.EMPTY: "空白栏目",
    ColumnStatus.ARCHIVED: "已归档",
}

# A column is "due soon" in the last quarter of its update period, at most 30 days before.
DUE_SOON_SHARE = 4
DUE_SOON_MAX_DAYS = 30
PATH_SEPARATOR = " > "


@dataclass(frozen=True)
class ColumnFacts:
    """What the database says about one column, as the table needs it."""

    pk: int
    path: str  # the page tree path (treebeard), e.g. "0001000100020003"
    title: str
    kind_name: str
    freshness_amount: int | None
    freshness_unit: str
    frequency: str
    archived: bool
    has_body: bool = False
    unit_ids: tuple[int, ...] = ()
    unit_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponsibilityRow:
    column_id: int
    path_label: str
    title: str
    kind_name: str
    unit_ids: tuple[int, ...]
    unit_names: tuple[str, ...]
    frequency: str
    last_update: dt.date | None
    next_due: dt.date | None
    status: ColumnStatus

    @property
    def units_label(self) -> str:
        return "、".join(self.unit_names)

    @property
    def frequency_label(self) -> str:
        return FREQUENCY_LABELS[UpdateFrequency(self.frequency)]


# Rows and dates ---------------------------------------------------------------------------------


def _parent_path(path: str, steplen: int) -> str:
    return path[:-steplen]


def _roll_up(
    columns: Sequence[ColumnFacts], newest_by_parent: Mapping[str, dt.date], steplen: int
) -> tuple[dict[str, dt.date | None], dict[str, bool], dict[str, bool]]:
    """Per column path: newest article date under it, whether it has content, whether archived.

    第十五条: archived pages are left out of freshness counting, so an archived subcolumn adds
    neither its date nor its content to its parent. A column inside an archived column counts as
    archived itself (it shows 已归档 through its ancestor).
    """
    by_path = {c.path: c for c in columns}
    archived: dict[str, bool] = {}
    for column in sorted(columns, key=lambda c: c.path):
        parent = by_path.get(_parent_path(column.path, steplen))
        archived[column.path] = column.archived or (parent is not None and archived[parent.path])
    newest: dict[str, dt.date | None] = {}
    content: dict[str, bool] = {}
    # Deepest first, so every child is final before its parent reads it.
    for column in sorted(columns, key=lambda c: len(c.path), reverse=True):
        newest.setdefault(column.path, None)
        content.setdefault(column.path, False)
        own = newest_by_parent.get(column.path)
        if own is not None and (newest[column.path] is None or own > newest[column.path]):  # type: ignore[operator]
            newest[column.path] = own
        if own is not None or column.has_body:
            content[column.path] = True
        parent_path = _parent_path(column.path, steplen)
        if parent_path not in by_path or column.archived:
            continue
        if content[column.path]:
            content[parent_path] = True
        child = newest[column.path]
        current = newest.get(parent_path)
        if child is not None and (current is None or child > current):
            newest[parent_path] = child
    return newest, content, archived


def column_due(
    last_update: dt.date | None,
    frequency: str,
    freshness_amount: int | None,
    freshness_unit: str,
    today: dt.date,
) -> dt.date | None:
    """The date by which the column must next be updated, or None when nothing requires it.

    The earlier of the unit's promised frequency (第二十一条(二)) and the national freshness class
    of the column kind (第十四条: 动态要闻 2 周, 通知公告/政策文件 6 个月 …).
    """
    dates = [next_due(last_update, frequency, today)]
    if freshness_amount is not None and last_update is not None:
        if freshness_unit == "month":
            dates.append(add_months(last_update, freshness_amount))
        else:
            dates.append(last_update + dt.timedelta(days=freshness_amount))
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def column_status(
    *,
    last_update: dt.date | None,
    due: dt.date | None,
    has_content: bool,
    archived: bool,
    today: dt.date,
) -> ColumnStatus:
    if archived:
        return ColumnStatus.ARCHIVED
    if not has_content:
        return ColumnStatus.EMPTY
    if due is None:
        return ColumnStatus.NORMAL
    if due < today:
        return ColumnStatus.OVERDUE
    span = (due - last_update).days if last_update is not None else 0
    window = min(DUE_SOON_MAX_DAYS, span // DUE_SOON_SHARE)
    if due <= today + dt.timedelta(days=window):
        return ColumnStatus.DUE_SOON
    return ColumnStatus.NORMAL


def rows_build(
    columns: Sequence[ColumnFacts],
    newest_by_parent: Mapping[str, dt.date],
    *,
    today: dt.date,
    steplen: int = 4,
) -> list[ResponsibilityRow]:
    """One row per column, in tree order.

    `newest_by_parent` maps a column's tree path to the newest publish date of the live,
    non-archived articles directly inside it.
    """
    newest, content, archived = _roll_up(columns, newest_by_parent, steplen)
    titles = {c.path: c.title for c in columns}
    rows = []
    for column in sorted(columns, key=lambda c: c.path):
        trail = [
            titles[column.path[:end]]
            for end in range(steplen, len(column.path) + 1, steplen)
            if column.path[:end] in titles
        ]
        last_update = newest[column.path]
        due = column_due(
            last_update, column.frequency, column.freshness_amount, column.freshness_unit, today
        )
        status = column_status(
            last_update=last_update,
            due=due,
            has_content=content[column.path],
            archived=archived[column.path],
            today=today,
        )
        rows.append(
            ResponsibilityRow(
                column_id=column.pk,
                path_label=PATH_SEPARATOR.join(trail),
                title=column.title,
                kind_name=column.kind_name,
                unit_ids=column.unit_ids,
                unit_names=column.unit_names,
                frequency=column.frequency,
                last_update=last_update,
                next_due=None if status is ColumnStatus.ARCHIVED else due,
                status=status,
            )
        )
    return rows


def rows_for_units(
    rows: Iterable[ResponsibilityRow], unit_ids: Collection[int]
) -> list[ResponsibilityRow]:
    wanted = set(unit_ids)
    return [row for row in rows if wanted.intersection(row.unit_ids)]


# Export -----------------------------------------------------------------------------------------

COLUMN_ID = "栏目ID"
COLUMN_PATH = "栏目路径"
COLUMN_TITLE = "栏目名称"
COLUMN_KIND = "栏目类型"
COLUMN_UNITS = "责任单位"
COLUMN_FREQUENCY = "更新频率"
HEADERS = (
    COLUMN_ID,
    COLUMN_PATH,
    COLUMN_TITLE,
    COLUMN_KIND,
    COLUMN_UNITS,
    COLUMN_FREQUENCY,
    "最近更新",
    "下次更新期限",
    "状态",
)
COLUMN_WIDTHS = (10, 40, 24, 14, 36, 10, 12, 14, 10)
SHEET_TITLE = "栏目责任明细表"
UNITS_SHEET_TITLE = "单位名称"
DATE_FORMAT = "yyyy-mm-dd"


def _row_values(row: ResponsibilityRow) -> list[Any]:
    return [
        row.column_id,
        row.path_label,
        row.title,
        row.kind_name,
        row.units_label,
        row.frequency_label,
        row.last_update,
        row.next_due,
        row.status.label,
    ]


def rows_to_xlsx(rows: Sequence[ResponsibilityRow], *, unit_names: Sequence[str] = ()) -> bytes:
    """The table as an XLSX workbook: Chinese header, column widths, frozen header row.

    Only 责任单位 and 更新频率 are read back on import; the other columns are for reading.
    A second sheet lists the unit names to copy from, and 更新频率 offers a drop-down.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook always has one sheet)
    sheet.title = SHEET_TITLE
    sheet.append(HEADERS)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        sheet.append(_row_values(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                # A title starting with "=" stays text: openpyxl would write it as a formula.
                cell.data_type = "s"
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    frequency_column = get_column_letter(HEADERS.index(COLUMN_FREQUENCY) + 1)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(FREQUENCY_LABELS.values()) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="更新频率",
        error="请选择：" + "、".join(FREQUENCY_LABELS.values()),
    )
    sheet.add_data_validation(choices)
    choices.add(f"{frequency_column}2:{frequency_column}{max(2, len(rows) + 1)}")

    units_sheet = workbook.create_sheet(UNITS_SHEET_TITLE)
    units_sheet.append(["单位名称（责任单位请填写以下全称，多个单位用“、”分隔）"])
    units_sheet["A1"].font = Font(bold=True)
    units_sheet.column_dimensions["A"].width = 60
    for name in unit_names:
        units_sheet.append([name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would run as a formula when Excel opens the file.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows_to_csv(rows: Sequence[ResponsibilityRow]) -> str:
    """The table as CSV, starting with a byte-order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in _row_values(row)])
    return buffer.getvalue()


# Import -----------------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
IMPORT_REQUIRED_HEADERS = (COLUMN_ID, COLUMN_UNITS, COLUMN_FREQUENCY)
UNIT_SEPARATORS = re.compile(r"[、,，;；\n]+")
NOT_XLSX = "文件不是 XLSX 格式的 Excel 表格。请上传由本系统导出、修改后仍以 .xlsx 格式保存的文件（.xls、.csv 不能导入）。"


@dataclass(frozen=True)
class RawRow:
    """One data row of an uploaded table, as text; `row_number` is the row number in Excel."""

    row_number: int
    column_id: str
    title: str
    units: str
    frequency: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row_number": self.row_number,
            "column_id": self.column_id,
            "title": self.title,
            "units": self.units,
            "frequency": self.frequency,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RawRow:
        return cls(
            row_number=int(data["row_number"]),
            column_id=str(data["column_id"]),
            title=str(data["title"]),
            units=str(data["units"]),
            frequency=str(data["frequency"]),
        )


@dataclass(frozen=True)
class CurrentColumn:
    """A column as it is now, to compare an imported row with."""

    pk: int
    title: str
    path_label: str
    unit_names: tuple[str, ...]
    frequency: str


@dataclass(frozen=True)
class Assignment:
    """What an imported row asks for: this column, these units, this frequency."""

    column_id: int
    unit_names: tuple[str, ...]
    frequency: str


@dataclass(frozen=True)
class RowChange:
    row_number: int
    column: CurrentColumn
    title_in_file: str
    new_unit_names: tuple[str, ...]
    new_frequency: str

    @property
    def units_changed(self) -> bool:
        return set(self.new_unit_names) != set(self.column.unit_names)

    @property
    def frequency_changed(self) -> bool:
        return self.new_frequency != self.column.frequency

    @property
    def changed(self) -> bool:
        return self.units_changed or self.frequency_changed

    @property
    def title_differs(self) -> bool:
        return bool(self.title_in_file) and self.title_in_file != self.column.title

    @property
    def old_units_label(self) -> str:
        return "、".join(self.column.unit_names)

    @property
    def new_units_label(self) -> str:
        return "、".join(self.new_unit_names)

    @property
    def old_frequency_label(self) -> str:
        return FREQUENCY_LABELS[UpdateFrequency(self.column.frequency)]

    @property
    def new_frequency_label(self) -> str:
        return FREQUENCY_LABELS[UpdateFrequency(self.new_frequency)]

    def assignment(self) -> Assignment:
        return Assignment(self.column.pk, self.new_unit_names, self.new_frequency)


@dataclass
class ImportPlan:
    rows: list[RowChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed_rows(self) -> list[RowChange]:
        return [row for row in self.rows if row.changed]

    @property
    def unchanged_count(self) -> int:
        return len(self.rows) - len(self.changed_rows)

    def assignments(self) -> list[Assignment]:
        return [row.assignment() for row in self.changed_rows]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def xlsx_read(data: bytes) -> tuple[list[RawRow], list[str]]:
    """The data rows of the table's first sheet, or the errors that make the file unreadable."""
    if len(data) > MAX_IMPORT_BYTES:
        return [], [f"文件太大：不能超过 {MAX_IMPORT_BYTES // (1024 * 1024)} MB。"]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [], [NOT_XLSX]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        return [], [NOT_XLSX]
    try:
        if not workbook.worksheets:
            return [], [NOT_XLSX]
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(lines, ())]
        positions: dict[str, int] = {}
        errors = []
        for index, name in enumerate(header):
            if name in positions and name in IMPORT_REQUIRED_HEADERS:
                errors.append(f"表头不正确：第 1 行有两列“{name}”。")
            positions.setdefault(name, index)
        missing = [name for name in IMPORT_REQUIRED_HEADERS if name not in positions]
        if missing:
            errors.append(
                "表头不正确：第 1 行缺少"
                + "、".join(f"“{name}”" for name in missing)
                + "列。请在本系统导出的表格上修改后再导入，不要改动表头。"
            )
        if errors:
            return [], errors

        def cell(values: tuple[Any, ...], name: str) -> str:
            index = positions.get(name)
            if index is None or index >= len(values):
                return ""
            return _cell_text(values[index])

        rows = []
        for row_number, values in enumerate(lines, start=2):
            if row_number - 1 > MAX_IMPORT_ROWS:
                return [], [f"表格行数太多：最多 {MAX_IMPORT_ROWS} 行。"]
            raw = RawRow(
                row_number=row_number,
                column_id=cell(values, COLUMN_ID),
                title=cell(values, COLUMN_TITLE),
                units=cell(values, COLUMN_UNITS),
                frequency=cell(values, COLUMN_FREQUENCY),
            )
            if raw.column_id or raw.units or raw.frequency:
                rows.append(raw)
        return rows, []
    finally:
        workbook.close()


def unit_names_split(text: str) -> tuple[str, ...]:
    """Unit names in a cell, separated by 、 or a comma; duplicates dropped, order kept."""
    names = (name.strip() for name in UNIT_SEPARATORS.split(text))
    return tuple(dict.fromkeys(name for name in names if name))


def import_validate(
    rows: Sequence[RawRow],
    *,
    columns: Mapping[int, CurrentColumn],
    unit_names: Collection[str],
) -> ImportPlan:
    """Check every row; any error anywhere means nothing is imported (see `ImportPlan.ok`)."""
    plan = ImportPlan()
    if not rows:
        plan.errors.append("表格中没有数据行。")
        return plan
    first_row_of: dict[int, int] = {}
    frequency_choices = "、".join(FREQUENCY_LABELS.values())
    for row in rows:
        problems = []
        column = None
        if not row.column_id:
            problems.append("“栏目ID”为空。")
        elif not row.column_id.isdigit():
            problems.append(f"栏目ID“{row.column_id}”不是数字。")
        elif int(row.column_id) not in columns:
            problems.append(f"栏目ID {row.column_id} 不存在，可能该栏目已被删除。")
        elif int(row.column_id) in first_row_of:
            problems.append(
                f"栏目ID {row.column_id} 与第 {first_row_of[int(row.column_id)]} 行重复。"
            )
        else:
            column = columns[int(row.column_id)]
            first_row_of[column.pk] = row.row_number
        names = unit_names_split(row.units)
        problems.extend(
            f"责任单位“{name}”不存在，请填写系统中的单位全称（见“{UNITS_SHEET_TITLE}”工作表）。"
            for name in names
            if name not in unit_names
        )
        frequency = FREQUENCY_BY_LABEL.get(row.frequency)
        if not row.frequency:
            problems.append("“更新频率”为空。")
        elif frequency is None:
            problems.append(f"更新频率“{row.frequency}”无法识别，应为 {frequency_choices} 之一。")
        plan.errors.extend(f"第 {row.row_number} 行：{problem}" for problem in problems)
        if not problems and column is not None and frequency is not None:
            plan.rows.append(
                RowChange(
                    row_number=row.row_number,
                    column=column,
                    title_in_file=row.title,
                    new_unit_names=names,
                    new_frequency=frequency.value,
                )
            )
    return plan


# Loading from the database ----------------------------------------------------------------------


def column_facts_load() -> list[ColumnFacts]:
    """Every column with its kind and units, in three queries."""
    from govportal.core.models import ColumnPage, Unit

    unit_rows = Unit.objects.order_by("sort_order", "name").values_list("pk", "name")
    unit_order = {pk: (position, name) for position, (pk, name) in enumerate(unit_rows)}
    units_of: dict[int, list[int]] = defaultdict(list)
    through = ColumnPage.responsible_units.through
    for column_id, unit_id in through.objects.values_list("columnpage_id", "unit_id"):
        units_of[column_id].append(unit_id)
    values = (
        ColumnPage.objects.annotate(
            has_body=ExpressionWrapper(
                ~Q(body="") & ~Q(body="<p></p>"), output_field=BooleanField()
            )
        )
        .order_by("path")
        .values(
            "pk",
            "path",
            "title",
            "kind__name",
            "kind__freshness_amount",
            "kind__freshness_unit",
            "update_frequency",
            "archived",
            "has_body",
        )
    )
    facts = []
    for v in values:
        unit_ids = sorted(units_of.get(v["pk"], ()), key=lambda pk: unit_order[pk][0])
        facts.append(
            ColumnFacts(
                pk=v["pk"],
                path=v["path"],
                title=v["title"],
                kind_name=v["kind__name"],
                freshness_amount=v["kind__freshness_amount"],
                freshness_unit=v["kind__freshness_unit"],
                frequency=v["update_frequency"],
                archived=v["archived"],
                has_body=bool(v["has_body"]),
                unit_ids=tuple(unit_ids),
                unit_names=tuple(unit_order[pk][1] for pk in unit_ids),
            )
        )
    return facts


def newest_article_dates() -> dict[str, dt.date]:
    """Newest publish date (Beijing date) of live, non-archived content, by parent column path.

    One grouped query per content type (articles, policy documents …); rolling the dates up the
    tree happens in `rows_build`.
    """
    from wagtail.models import Page

    from govportal.core.models import column_content_models

    newest: dict[str, dt.date] = {}
    for model in column_content_models():
        grouped = (
            model.objects.live()
            .filter(archived=False)
            .annotate(parent_path=Substr("path", 1, (F("depth") - 1) * Page.steplen))
            .values("parent_path")
            .annotate(newest=Max("pub_date"))
            .order_by()
        )
        for g in grouped:
            day = timezone.localdate(g["newest"])
            if g["parent_path"] not in newest or day > newest[g["parent_path"]]:
                newest[g["parent_path"]] = day
    return newest


def responsibility_rows(*, today: dt.date) -> list[ResponsibilityRow]:
    from wagtail.models import Page

    return rows_build(
        column_facts_load(), newest_article_dates(), today=today, steplen=Page.steplen
    )


def current_columns(rows: Iterable[ResponsibilityRow]) -> dict[int, CurrentColumn]:
    return {
        row.column_id: CurrentColumn(
            pk=row.column_id,
            title=row.title,
            path_label=row.path_label,
            unit_names=row.unit_names,
            frequency=row.frequency,
        )
        for row in rows
    }
