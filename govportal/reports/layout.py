"""The printed layout of tables 二、三、四 (2021 format) as grids of cells with spans.

One layout serves the public page, the admin form (a cell with a `key` becomes an input), the
DOCX and the PDF, so the four always show the same rows and columns. No database here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govportal.disclosure.request_stats import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    OUTCOME_GROUPS,
    OUTCOME_ROWS,
    RECEIVED,
)
from govportal.reports import tables


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    scope: str = ""  # col, colgroup, row, rowgroup (HTML th scope)
    key: tuple[str, str] | None = None  # (table, key) for a value cell
    field: Any = None  # the bound form field, set by the admin view


@dataclass
class Grid:
    number: str  # 二、三、四
    caption: str
    columns: int
    rows: list[list[Cell]] = field(default_factory=list)


def _th(text: str, scope: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text=text, colspan=colspan, rowspan=rowspan, header=True, scope=scope)


def value_text(table: str, key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if table == "proactive" and key == tables.FEES:
        amount = tables.fees_parse(value)
        return "" if amount is None else f"{amount.normalize():f}"
    number = tables.count_parse(value)
    return "" if number is None else str(number)


def _td(values: Mapping[str, Mapping[str, Any]], table: str, key: str, colspan: int = 1) -> Cell:
    value = values.get(table, {}).get(key)
    return Cell(text=value_text(table, key, value), colspan=colspan, key=(table, key))


def proactive_grid(values: Mapping[str, Mapping[str, Any]]) -> Grid:
    grid = Grid("二", "二、主动公开政府信息情况", 4)
    grid.rows.append([_th("第二十条第（一）项", "colgroup", colspan=4)])
    grid.rows.append(
        [_th("信息内容", "col")] + [_th(label, "col") for _, label in tables.DOCUMENT_COLUMNS]
    )
    for row, label in tables.DOCUMENT_ROWS:
        grid.rows.append(
            [_th(label, "row")]
            + [_td(values, "proactive", f"{row}.{col}") for col, _ in tables.DOCUMENT_COLUMNS]
        )
    sections: list[tuple[str, list[tuple[str, str]], str]] = [
        ("第二十条第（五）项", [("licensing", "行政许可")], "本年处理决定数量"),
        (
            "第二十条第（六）项",
            [("penalty", "行政处罚"), ("enforcement", "行政强制")],
            "本年处理决定数量",
        ),
        ("第二十条第（八）项", [(tables.FEES, tables.FEES_LABEL)], "本年收费金额（单位：万元）"),
    ]
    for heading, rows, column in sections:
        grid.rows.append([_th(heading, "colgroup", colspan=4)])
        grid.rows.append([_th("信息内容", "col"), _th(column, "col", colspan=3)])
        for key, label in rows:
            grid.rows.append([_th(label, "row"), _td(values, "proactive", key, colspan=3)])
    return grid


def requests_grid(values: Mapping[str, Mapping[str, Any]]) -> Grid:
    grid = Grid("三", "三、收到和处理政府信息公开申请情况", 3 + len(tables.REQUEST_COLUMNS))
    organisations = APPLICANT_COLUMNS[1:]
    grid.rows.append(
        [
            # The printed note in the corner: text, not a header of the cells below it.
            Cell(
                text="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                colspan=3,
                rowspan=3,
            ),
            _th("申请人情况", "colgroup", colspan=len(tables.REQUEST_COLUMNS)),
        ]
    )
    grid.rows.append(
        [
            _th(APPLICANT_COLUMNS[0][1], "col", rowspan=2),
            _th("法人或其他组织", "colgroup", colspan=len(organisations)),
            _th("总计", "col", rowspan=2),
        ]
    )
    grid.rows.append([_th(label, "col") for _, label in organisations])

    def values_of(row: str) -> list[Cell]:
        return [_td(values, "requests", f"{row}.{col}") for col, _ in tables.REQUEST_COLUMNS]

    labels = dict(tables.REQUEST_ROWS)
    for row in (RECEIVED, CARRIED_IN):
        grid.rows.append([_th(labels[row], "row", colspan=3), *values_of(row)])
    group_sizes: dict[str, int] = {}
    for _, _, group in OUTCOME_ROWS:
        group_sizes[group] = group_sizes.get(group, 0) + 1
    group_labels = dict(OUTCOME_GROUPS)
    seen: set[str] = set()
    for index, (key, label, group) in enumerate(OUTCOME_ROWS):
        cells: list[Cell] = []
        if index == 0:
            cells.append(_th("三、本年度办理结果", "rowgroup", rowspan=len(OUTCOME_ROWS) + 1))
        if group_sizes[group] == 1:  # （一）予以公开 and （二）部分公开 have no sub-rows
            cells.append(_th(label, "row", colspan=2))
        else:
            if group not in seen:
                cells.append(_th(group_labels[group], "rowgroup", rowspan=group_sizes[group]))
            cells.append(_th(label, "row"))
        seen.add(group)
        grid.rows.append(cells + values_of(key))
    grid.rows.append([_th(labels[tables.TOTAL], "row", colspan=2), *values_of(tables.TOTAL)])
    grid.rows.append([_th(labels[CARRIED_OUT], "row", colspan=3), *values_of(CARRIED_OUT)])
    return grid


def appeals_grid(values: Mapping[str, Mapping[str, Any]]) -> Grid:
    width = len(tables.APPEAL_COLUMNS)
    grid = Grid("四", "四、政府信息公开行政复议、行政诉讼情况", width * 3)
    review, direct, after = tables.APPEAL_BLOCKS
    grid.rows.append(
        [
            _th(review[1], "colgroup", colspan=width),
            _th("行政诉讼", "colgroup", colspan=width * 2),
        ]
    )
    grid.rows.append(
        [_th(label, "col", rowspan=2) for _, label in tables.APPEAL_COLUMNS]
        + [
            _th("未经复议直接起诉", "colgroup", colspan=width),
            _th("复议后起诉", "colgroup", colspan=width),
        ]
    )
    grid.rows.append(
        [_th(label, "col") for _ in (direct, after) for _, label in tables.APPEAL_COLUMNS]
    )
    grid.rows.append(
        [
            _td(values, "appeals", f"{block}.{col}")
            for block, _ in tables.APPEAL_BLOCKS
            for col, _ in tables.APPEAL_COLUMNS
        ]
    )
    return grid


def report_grids(values: Mapping[str, Mapping[str, Any]]) -> list[Grid]:
    return [proactive_grid(values), requests_grid(values), appeals_grid(values)]


def positions(grid: Grid) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell, columns counted as in the printed table (the
    HTML rule: a cell takes the first column not covered by a span from above)."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, Cell]] = []
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed
