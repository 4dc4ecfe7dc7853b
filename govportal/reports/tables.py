"""The three tables of the annual disclosure report (2021 format, 国办公开办函〔2021〕30号;
regulations.md §5.5), their cells, and the checks that the numbers add up. No database here.

Each table is stored as a flat mapping "row.column" → number (the key of a single-value row is
just the row). The checks take such a mapping and return the cells that are wrong, with a Chinese
message that names them, so the admin form, the publish step and the tests share one rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from govportal.disclosure.request_stats import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    OUTCOME_GROUPS,
    OUTCOME_ROWS,
    RECEIVED,
)

# --- 二、主动公开政府信息情况 -------------------------------------------------------------------

# 第二十条第（一）项: 规章 and 行政规范性文件, counted three ways.
DOCUMENT_ROWS: list[tuple[str, str]] = [("rule", "规章"), ("normative", "行政规范性文件")]
DOCUMENT_COLUMNS: list[tuple[str, str]] = [
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
]
# 第二十条第（五）、（六）项: decisions taken in the year.
DECISION_ROWS: list[tuple[str, str, str]] = [
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("penalty", "行政处罚", "第二十条第（六）项"),
    ("enforcement", "行政强制", "第二十条第（六）项"),
]
# 第二十条第（八）项: the amount in 万元, the only non-integer cell of the report.
FEES = "fees"
FEES_LABEL = "行政事业性收费"
FEES_PLACES = 4  # 万元 with four decimals is one yuan

PROACTIVE_KEYS: list[str] = [
    *(f"{row}.{col}" for row, _ in DOCUMENT_ROWS for col, _ in DOCUMENT_COLUMNS),
    *(key for key, _, _ in DECISION_ROWS),
    FEES,
]

# --- 三、收到和处理政府信息公开申请情况 -----------------------------------------------------------

TOTAL = "total"  # the 总计 column, and the （七）总计 row
REQUEST_COLUMNS: list[tuple[str, str]] = [*APPLICANT_COLUMNS, (TOTAL, "总计")]
REQUEST_ROWS: list[tuple[str, str]] = [
    (RECEIVED, "一、本年新收政府信息公开申请数量"),
    (CARRIED_IN, "二、上年结转政府信息公开申请数量"),
    *((key, label) for key, label, _ in OUTCOME_ROWS),
    (TOTAL, "（七）总计"),
    (CARRIED_OUT, "四、结转下年度继续办理"),
]
_GROUP_LABELS = dict(OUTCOME_GROUPS)
OUTCOME_KEYS: list[str] = [key for key, _, _ in OUTCOME_ROWS]
REQUEST_KEYS: list[str] = [f"{row}.{col}" for row, _ in REQUEST_ROWS for col, _ in REQUEST_COLUMNS]

# --- 四、政府信息公开行政复议、行政诉讼情况 -------------------------------------------------------

APPEAL_BLOCKS: list[tuple[str, str]] = [
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼（未经复议直接起诉）"),
    ("suit_after_review", "行政诉讼（复议后起诉）"),
]
APPEAL_COLUMNS: list[tuple[str, str]] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    (TOTAL, "总计"),
]
APPEAL_KEYS: list[str] = [f"{b}.{c}" for b, _ in APPEAL_BLOCKS for c, _ in APPEAL_COLUMNS]

TABLES: dict[str, list[str]] = {
    "proactive": PROACTIVE_KEYS,
    "requests": REQUEST_KEYS,
    "appeals": APPEAL_KEYS,
}
TABLE_LABELS = {"proactive": "表二", "requests": "表三", "appeals": "表四"}


def cell_label(table: str, key: str) -> str:
    """The cell in words, as a reader finds it in the printed table: “表三 自然人/（七）总计”."""
    name = TABLE_LABELS[table]
    if table == "proactive":
        if key == FEES:
            return f"{name}“{FEES_LABEL}·本年收费金额”"
        decisions = {k: label for k, label, _ in DECISION_ROWS}
        if key in decisions:
            return f"{name}“{decisions[key]}·本年处理决定数量”"
        row, col = key.split(".")
        return f"{name}“{dict(DOCUMENT_ROWS)[row]}·{dict(DOCUMENT_COLUMNS)[col]}”"
    row, col = key.split(".")
    if table == "requests":
        return f"{name}“{request_row_label(row)}·{dict(REQUEST_COLUMNS)[col]}”"
    return f"{name}“{dict(APPEAL_BLOCKS)[row]}·{dict(APPEAL_COLUMNS)[col]}”"


def request_row_label(row: str) -> str:
    """A row's label with its group, so “1.属于国家秘密” says it is under （三）不予公开."""
    for key, label, group in OUTCOME_ROWS:
        if key == row:
            alone = sum(1 for _, _, g in OUTCOME_ROWS if g == group) == 1
            return label if alone else f"{_GROUP_LABELS[group]}{label}"
    return dict(REQUEST_ROWS)[row]


def zeros() -> dict[str, dict[str, Any]]:
    """Empty tables: every cell zero (the fees as a decimal string)."""
    tables: dict[str, dict[str, Any]] = {
        name: dict.fromkeys(keys, 0) for name, keys in TABLES.items()
    }
    tables["proactive"][FEES] = "0"
    return tables


# --- Checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """A problem with one or more cells; `cells` are (table, key) pairs, for the form."""

    cells: tuple[tuple[str, str], ...]
    message: str


def fees_parse(value: Any) -> Decimal | None:
    """The fee amount as a Decimal, or None if it is not a non-negative number (万元)."""
    if isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return amount


def count_parse(value: Any) -> int | None:
    """A count as int, or None unless it is a whole number ≥ 0 (1.0 and "3" are accepted)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        return None
    return int(number)


def numbers_check(tables: Mapping[str, Mapping[str, Any]]) -> list[CellError]:
    """Every cell present, counts whole and ≥ 0, the fee amount a number ≥ 0 with ≤ 4 decimals."""
    errors: list[CellError] = []
    for table, keys in TABLES.items():
        values = tables.get(table, {})
        for key in keys:
            label = cell_label(table, key)
            if key not in values or values[key] in (None, ""):
                errors.append(CellError(((table, key),), f"{label}未填写，没有发生请填 0。"))
            elif table == "proactive" and key == FEES:
                amount = fees_parse(values[key])
                if amount is None:
                    errors.append(
                        CellError(((table, key),), f"{label}须为不小于 0 的数字（单位：万元）。")
                    )
                elif -amount.as_tuple().exponent > FEES_PLACES:  # type: ignore[operator]
                    errors.append(
                        CellError(
                            ((table, key),), f"{label}最多保留 {FEES_PLACES} 位小数（万元）。"
                        )
                    )
            elif count_parse(values[key]) is None:
                errors.append(
                    CellError(
                        ((table, key),), f"{label}须为不小于 0 的整数，当前为“{values[key]}”。"
                    )
                )
    return errors


def totals_check(tables: Mapping[str, Mapping[str, Any]]) -> list[CellError]:
    """The sums of tables 三 and 四 (run after numbers_check passed).

    表三: each row's 总计 is the sum of the six applicant columns; in each column the （七）总计
    row is the sum of the outcome rows, and 一 + 二 = （七）总计 + 四 (本列数据的勾稽关系：第一项
    加第二项之和，等于第三项加第四项之和). 表四: each block's 总计 is the sum of its four results.
    """
    errors: list[CellError] = []
    req = {k: count_parse(v) or 0 for k, v in tables.get("requests", {}).items()}
    for row, _ in REQUEST_ROWS:
        parts = [req.get(f"{row}.{col}", 0) for col, _ in APPLICANT_COLUMNS]
        total = req.get(f"{row}.{TOTAL}", 0)
        if sum(parts) != total:
            errors.append(
                CellError(
                    (("requests", f"{row}.{TOTAL}"),),
                    f"{cell_label('requests', f'{row}.{TOTAL}')}为 {total}，"
                    f"但六类申请人之和为 {sum(parts)}，两者应相等。",
                )
            )
    for col, col_label in REQUEST_COLUMNS:
        outcomes = sum(req.get(f"{row}.{col}", 0) for row in OUTCOME_KEYS)
        answered = req.get(f"{TOTAL}.{col}", 0)
        if outcomes != answered:
            errors.append(
                CellError(
                    (("requests", f"{TOTAL}.{col}"),),
                    f"{cell_label('requests', f'{TOTAL}.{col}')}为 {answered}，"
                    f"但（一）至（六）各项办理结果之和为 {outcomes}，两者应相等。",
                )
            )
        received = req.get(f"{RECEIVED}.{col}", 0)
        carried_in = req.get(f"{CARRIED_IN}.{col}", 0)
        carried_out = req.get(f"{CARRIED_OUT}.{col}", 0)
        if received + carried_in != answered + carried_out:
            errors.append(
                CellError(
                    (
                        ("requests", f"{RECEIVED}.{col}"),
                        ("requests", f"{CARRIED_IN}.{col}"),
                        ("requests", f"{TOTAL}.{col}"),
                        ("requests", f"{CARRIED_OUT}.{col}"),
                    ),
                    f"表三“{col_label}”列：一、本年新收（{received}）加二、上年结转（{carried_in}）"
                    f"共 {received + carried_in}，应等于（七）总计（{answered}）"
                    f"加四、结转下年度（{carried_out}）共 {answered + carried_out}。",
                )
            )
    app = {k: count_parse(v) or 0 for k, v in tables.get("appeals", {}).items()}
    for block, _ in APPEAL_BLOCKS:
        parts = [app.get(f"{block}.{col}", 0) for col, _ in APPEAL_COLUMNS if col != TOTAL]
        total = app.get(f"{block}.{TOTAL}", 0)
        if sum(parts) != total:
            errors.append(
                CellError(
                    (("appeals", f"{block}.{TOTAL}"),),
                    f"{cell_label('appeals', f'{block}.{TOTAL}')}为 {total}，"
                    f"但结果维持、结果纠正、其他结果、尚未审结之和为 {sum(parts)}，两者应相等。",
                )
            )
    return errors


def tables_check(tables: Mapping[str, Mapping[str, Any]]) -> list[CellError]:
    """All problems of the report's tables; an empty list means the tables may be published."""
    return numbers_check(tables) or totals_check(tables)


# --- Totals from raw counts -------------------------------------------------------------------


def requests_table(counts: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """Table 三 from the platform's counts (row → applicant column → n): adds the 总计 column
    and the （七）总计 row. Missing rows or columns count as zero."""
    table: dict[str, int] = {}
    for row, _ in REQUEST_ROWS:
        if row == TOTAL:
            continue
        for col, _ in APPLICANT_COLUMNS:
            table[f"{row}.{col}"] = int(counts.get(row, {}).get(col, 0))
        table[f"{row}.{TOTAL}"] = sum(table[f"{row}.{col}"] for col, _ in APPLICANT_COLUMNS)
    for col, _ in REQUEST_COLUMNS:
        table[f"{TOTAL}.{col}"] = sum(table[f"{row}.{col}"] for row in OUTCOME_KEYS)
    return {key: table[key] for key in REQUEST_KEYS}


def appeals_totals(values: Mapping[str, int]) -> dict[str, int]:
    """Table 四 with each block's 总计 set to the sum of its four results."""
    table = {key: int(values.get(key, 0)) for key in APPEAL_KEYS}
    for block, _ in APPEAL_BLOCKS:
        table[f"{block}.{TOTAL}"] = sum(
            table[f"{block}.{col}"] for col, _ in APPEAL_COLUMNS if col != TOTAL
        )
    return table


@dataclass(frozen=True)
class Change:
    """One cell that “fill from data” changes."""

    table: str
    key: str
    label: str
    old: Any
    new: Any


def changes_between(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    """The cells of `new` whose value differs from `old` (in table order)."""
    changes: list[Change] = []
    for table, keys in TABLES.items():
        for key in keys:
            if key not in new.get(table, {}):
                continue
            before, after = old.get(table, {}).get(key), new[table][key]
            same = (
                fees_parse(before) == fees_parse(after)
                if key == FEES and table == "proactive"
                else count_parse(before) == count_parse(after) and before is not None
            )
            if not same:
                changes.append(Change(table, key, cell_label(table, key), before, after))
    return changes
