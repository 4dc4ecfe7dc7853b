"""The report's tables: cells, the sums that must agree, and the layout. No database."""

from __future__ import annotations

from typing import Any

from govportal.disclosure.request_stats import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    OUTCOME_ROWS,
    RECEIVED,
)
from govportal.reports import layout, tables


def balanced() -> dict[str, dict[str, Any]]:
    """A consistent report: 5 new + 2 carried in = 6 answered + 1 carried out (自然人)."""
    counts = {
        RECEIVED: {"natural_person": 5, "business": 2},
        CARRIED_IN: {"natural_person": 2},
        "disclosed": {"natural_person": 3, "business": 1},
        "withheld_state_secret": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 2, "business": 1},
        CARRIED_OUT: {"natural_person": 1},
    }
    data = tables.zeros()
    data["requests"] = tables.requests_table(counts)
    data["appeals"] = tables.appeals_totals({"review.upheld": 2, "review.corrected": 1})
    data["proactive"].update({"normative.issued": 4, "licensing": 120, "fees": "3.5"})
    return data


def messages(errors: list[tables.CellError]) -> list[str]:
    return [e.message for e in errors]


def test_requests_table_adds_the_total_column_and_the_total_row() -> None:
    data = balanced()["requests"]
    assert data[f"{RECEIVED}.total"] == 7
    assert data["total.natural_person"] == 6
    assert data["total.business"] == 2
    assert data["total.total"] == 8
    assert set(data) == set(tables.REQUEST_KEYS)


def test_a_balanced_report_passes_every_check() -> None:
    assert tables.tables_check(balanced()) == []


def test_a_total_column_that_is_not_the_sum_of_the_applicants_is_named() -> None:
    data = balanced()
    data["requests"][f"{RECEIVED}.total"] = 9
    errors = tables.tables_check(data)
    assert ("requests", f"{RECEIVED}.total") in errors[0].cells
    assert "一、本年新收政府信息公开申请数量·总计" in errors[0].message
    assert "六类申请人之和为 7" in errors[0].message


def test_the_total_row_must_be_the_sum_of_the_outcomes() -> None:
    data = balanced()
    data["requests"]["total.business"] = 3
    data["requests"]["total.total"] = 9
    data["requests"][f"{CARRIED_OUT}.business"] = 0
    found = messages(tables.tables_check(data))
    assert any("“（七）总计·商业企业”为 3" in m and "之和为 2" in m for m in found)


def test_new_plus_carried_in_must_equal_answered_plus_carried_out() -> None:
    data = balanced()
    data["requests"][f"{CARRIED_OUT}.natural_person"] = 0
    data["requests"][f"{CARRIED_OUT}.total"] = 0
    errors = tables.tables_check(data)
    assert len(errors) == 2  # the 自然人 column and the 总计 column
    assert "表三“自然人”列" in errors[0].message
    assert ("requests", f"{CARRIED_OUT}.natural_person") in errors[0].cells


def test_an_appeal_total_that_does_not_add_up_is_refused() -> None:
    data = balanced()
    data["appeals"]["suit_direct.pending"] = 1
    errors = tables.tables_check(data)
    assert errors[0].cells == (("appeals", "suit_direct.total"),)
    assert "行政诉讼（未经复议直接起诉）·总计" in errors[0].message


def test_negative_and_fractional_counts_are_refused_and_named() -> None:
    data = balanced()
    data["proactive"]["licensing"] = -1
    data["appeals"]["review.other"] = 1.5
    data["requests"][f"{RECEIVED}.research"] = "abc"
    found = messages(tables.tables_check(data))
    assert any("行政许可" in m and "不小于 0 的整数" in m for m in found)
    assert any("行政复议·其他结果" in m for m in found)
    assert any("科研机构" in m and "“abc”" in m for m in found)


def test_a_missing_cell_is_reported() -> None:
    data = balanced()
    del data["appeals"]["review.pending"]
    assert "未填写" in tables.tables_check(data)[0].message


def test_fees_accept_decimals_but_not_negative_or_too_precise() -> None:
    assert tables.numbers_check(balanced()) == []
    data = balanced()
    data["proactive"]["fees"] = "-2"
    assert "万元" in tables.numbers_check(data)[0].message
    data["proactive"]["fees"] = "1.23456"
    assert "4 位小数" in tables.numbers_check(data)[0].message


def test_counts_written_as_whole_decimals_are_whole() -> None:
    assert tables.count_parse("3") == 3
    assert tables.count_parse(3.0) == 3
    assert tables.count_parse(True) is None
    assert tables.count_parse("3.2") is None


def test_changes_list_only_cells_that_differ() -> None:
    old = balanced()
    new = balanced()
    new["proactive"]["normative.issued"] = 6
    new["proactive"]["fees"] = "3.50"  # the same amount
    changes = tables.changes_between(old, new)
    assert [(c.key, c.old, c.new) for c in changes] == [("normative.issued", 4, 6)]
    assert changes[0].label == "表二“行政规范性文件·本年制发件数”"


def test_every_value_cell_appears_once_in_the_layout() -> None:
    grids = layout.report_grids(balanced())
    keys = [cell.key for grid in grids for row in grid.rows for cell in row if cell.key]
    expected = [(t, k) for t, ks in tables.TABLES.items() for k in ks]
    assert sorted(keys) == sorted(expected)


def test_layout_rows_fill_the_table_width() -> None:
    for grid in layout.report_grids(balanced()):
        covered: dict[int, int] = {}
        for r, _c, cell in layout.positions(grid):
            for dr in range(cell.rowspan):
                covered[r + dr] = covered.get(r + dr, 0) + cell.colspan
        assert set(covered.values()) == {grid.columns}, grid.caption


def test_request_layout_follows_the_2021_rows() -> None:
    grid = layout.requests_grid(balanced())
    headers = [c.text for row in grid.rows for c in row if c.header]
    assert headers.index("一、本年新收政府信息公开申请数量") < headers.index("（三）不予公开")
    assert headers.index("1.属于国家秘密") < headers.index("（七）总计")
    assert headers[-1] == "四、结转下年度继续办理"
    assert len(grid.rows) == 3 + 2 + len(OUTCOME_ROWS) + 2  # headers, 一二, 三, （七）, 四
    assert [c.text for c in grid.rows[2]] == [label for _, label in APPLICANT_COLUMNS[1:]]


def test_the_other_row_is_named_with_its_group() -> None:
    assert tables.request_row_label("other") == "（六）其他处理3.其他"
    assert tables.request_row_label("disclosed") == "（一）予以公开"
