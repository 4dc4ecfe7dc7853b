"""The column responsibility table's rows: last update rolled up the tree, due dates, status.

Pure functions: no database.
"""

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from govportal.core.responsibility import (
    HEADERS,
    ColumnFacts,
    ColumnStatus,
    column_due,
    column_status,
    rows_build,
    rows_for_units,
    rows_to_csv,
    rows_to_xlsx,
)

TODAY = dt.date(2025, 6, 16)
HOME = "0001" + "0001"


def column(
    path_steps: str,
    title: str,
    *,
    pk: int,
    frequency: str = "monthly",
    archived: bool = False,
    amount: int | None = None,
    unit: str = "day",
    units: tuple[int, ...] = (),
    has_body: bool = False,
) -> ColumnFacts:
    return ColumnFacts(
        pk=pk,
        path=HOME + path_steps,
        title=title,
        kind_name="动态要闻" if amount else "概况/静态",
        freshness_amount=amount,
        freshness_unit=unit,
        frequency=frequency,
        archived=archived,
        has_body=has_body,
        unit_ids=units,
        unit_names=tuple(f"单位{u}" for u in units),
    )


NEWS = column("0001", "新闻", pk=10, units=(1,))
NEWS_TOWNS = column("00010001", "镇街动态", pk=11, units=(2,))
NEWS_OLD = column("00010002", "旧版新闻", pk=12, archived=True, units=(1,))
NEWS_OLD_SUB = column("000100020001", "旧版图片新闻", pk=13, units=(1,))
AFFAIRS = column("0002", "政务", pk=20, units=(3,))


def by_id(rows):
    return {row.column_id: row for row in rows}


def test_a_column_is_as_fresh_as_the_newest_article_anywhere_under_it() -> None:
    newest = {NEWS.path: dt.date(2025, 5, 1), NEWS_TOWNS.path: dt.date(2025, 6, 10)}
    rows = by_id(rows_build([NEWS, NEWS_TOWNS, AFFAIRS], newest, today=TODAY))
    assert rows[10].last_update == dt.date(2025, 6, 10)
    assert rows[11].last_update == dt.date(2025, 6, 10)
    assert rows[20].last_update is None


def test_an_archived_subcolumn_does_not_refresh_its_parent() -> None:
    newest = {NEWS.path: dt.date(2025, 1, 1), NEWS_OLD_SUB.path: dt.date(2025, 6, 15)}
    rows = by_id(rows_build([NEWS, NEWS_OLD, NEWS_OLD_SUB], newest, today=TODAY))
    assert rows[10].last_update == dt.date(2025, 1, 1)
    assert rows[12].last_update == dt.date(2025, 6, 15)


def test_columns_inside_an_archived_column_show_as_archived_without_a_due_date() -> None:
    rows = by_id(rows_build([NEWS, NEWS_OLD, NEWS_OLD_SUB], {}, today=TODAY))
    assert rows[12].status is ColumnStatus.ARCHIVED
    assert rows[13].status is ColumnStatus.ARCHIVED
    assert rows[13].next_due is None
    assert rows[10].status is ColumnStatus.EMPTY


def test_the_path_names_every_column_from_the_top_down() -> None:
    rows = by_id(rows_build([NEWS, NEWS_OLD, NEWS_OLD_SUB], {}, today=TODAY))
    assert rows[13].path_label == "新闻 > 旧版新闻 > 旧版图片新闻"
    assert rows[10].path_label == "新闻"


def test_rows_come_in_tree_order_whatever_order_the_columns_arrive_in() -> None:
    rows = rows_build([AFFAIRS, NEWS_TOWNS, NEWS], {}, today=TODAY)
    assert [row.column_id for row in rows] == [10, 11, 20]


def test_a_column_with_only_a_body_is_not_empty() -> None:
    profile = column("0003", "区情概况", pk=30, frequency="as_needed", has_body=True)
    rows = by_id(rows_build([profile], {}, today=TODAY))
    assert rows[30].status is ColumnStatus.NORMAL
    assert rows[30].next_due is None


def test_rows_for_a_unit_keep_only_the_columns_it_is_responsible_for() -> None:
    rows = rows_build([NEWS, NEWS_TOWNS, AFFAIRS], {}, today=TODAY)
    assert [row.column_id for row in rows_for_units(rows, {2, 3})] == [11, 20]


def test_the_due_date_follows_the_promised_frequency() -> None:
    assert column_due(dt.date(2025, 1, 31), "monthly", None, "day", TODAY) == dt.date(2025, 2, 28)
    assert column_due(dt.date(2025, 6, 1), "weekly", None, "day", TODAY) == dt.date(2025, 6, 8)
    assert column_due(dt.date(2025, 6, 1), "as_needed", None, "day", TODAY) is None


def test_the_national_freshness_class_shortens_a_lax_promise() -> None:
    # 第十四条: 动态、要闻类栏目 2 周未更新 fails the site, whatever the unit promised.
    assert column_due(dt.date(2025, 6, 1), "yearly", 14, "day", TODAY) == dt.date(2025, 6, 15)
    assert column_due(dt.date(2025, 6, 1), "as_needed", 6, "month", TODAY) == dt.date(2025, 12, 1)


def test_status_is_overdue_the_day_after_the_due_date() -> None:
    last = dt.date(2025, 6, 1)

    def status(today: dt.date) -> ColumnStatus:
        return column_status(
            last_update=last,
            due=dt.date(2025, 7, 1),
            has_content=True,
            archived=False,
            today=today,
        )

    assert status(dt.date(2025, 6, 10)) is ColumnStatus.NORMAL
    assert status(dt.date(2025, 6, 24)) is ColumnStatus.DUE_SOON
    assert status(dt.date(2025, 7, 1)) is ColumnStatus.DUE_SOON
    assert status(dt.date(2025, 7, 2)) is ColumnStatus.OVERDUE


def test_an_empty_column_is_reported_as_empty_not_overdue() -> None:
    status = column_status(
        last_update=None, due=TODAY, has_content=False, archived=False, today=TODAY
    )
    assert status is ColumnStatus.EMPTY
    assert status.label == "空白栏目"


def test_a_stale_news_column_is_overdue_in_the_built_rows() -> None:
    news = column("0001", "要闻", pk=10, frequency="as_needed", amount=14)
    rows = by_id(rows_build([news], {news.path: dt.date(2025, 5, 1)}, today=TODAY))
    assert rows[10].next_due == dt.date(2025, 5, 15)
    assert rows[10].status is ColumnStatus.OVERDUE


def test_the_xlsx_export_has_a_chinese_header_frozen_with_widths_and_real_dates() -> None:
    rows = rows_build([NEWS, NEWS_TOWNS], {NEWS_TOWNS.path: dt.date(2025, 6, 10)}, today=TODAY)
    workbook = load_workbook(io.BytesIO(rows_to_xlsx(rows, unit_names=["单位1", "单位2"])))
    sheet = workbook.worksheets[0]
    assert sheet.title == "栏目责任明细表"
    assert tuple(c.value for c in sheet[1]) == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["A2"].value == 10
    assert sheet["E3"].value == "单位2"
    assert sheet["F3"].value == "每月"
    assert sheet["G3"].value.date() == dt.date(2025, 6, 10)
    assert [c.value for c in workbook["单位名称"]["A"]][1:] == ["单位1", "单位2"]


def test_a_title_that_looks_like_a_formula_stays_text_in_the_xlsx_export() -> None:
    odd = column("0001", "=1+1", pk=10)
    workbook = load_workbook(io.BytesIO(rows_to_xlsx(rows_build([odd], {}, today=TODAY))))
    assert workbook.worksheets[0]["C2"].data_type == "s"


def test_the_csv_export_starts_with_a_byte_order_mark_for_excel() -> None:
    rows = rows_build([NEWS, NEWS_TOWNS], {NEWS_TOWNS.path: dt.date(2025, 6, 10)}, today=TODAY)
    text = rows_to_csv(rows)
    assert text.startswith("\ufeff栏目ID,")
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert records[2][:7] == [
        "11",
        "新闻 > 镇街动态",
        "镇街动态",
        "概况/静态",
        "单位2",
        "每月",
        "2025-06-10",
    ]


def test_the_csv_export_neutralises_formula_like_cells() -> None:
    odd = column("0001", "=HYPERLINK(1)", pk=10)
    text = rows_to_csv(rows_build([odd], {}, today=TODAY))
    assert ",'=HYPERLINK(1)," in text
