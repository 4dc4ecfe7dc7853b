"""Reading and checking an imported responsibility table, with real files written by openpyxl.

Pure functions: no database.
"""

import io
from typing import Any

from openpyxl import Workbook

from govportal.core.responsibility import (
    HEADERS,
    NOT_XLSX,
    CurrentColumn,
    RawRow,
    import_validate,
    unit_names_split,
    xlsx_read,
)

COLUMNS = {
    4: CurrentColumn(4, "新闻", "新闻", ("区政府办公室",), "weekly"),
    6: CurrentColumn(6, "通知公告", "政务 > 通知公告", ("区教育局",), "monthly"),
}
UNITS = {"区政府办公室", "区教育局", "高家镇人民政府"}


def xlsx(*rows: list[Any], header: tuple[str, ...] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(column_id: Any, units: str, frequency: str, title: str = "") -> list[Any]:
    return [column_id, "", title, "", units, frequency, None, None, ""]


def plan_of(data: bytes):
    rows, errors = xlsx_read(data)
    assert errors == []
    return import_validate(rows, columns=COLUMNS, unit_names=UNITS)


def test_a_valid_table_becomes_one_change_per_edited_row() -> None:
    plan = plan_of(
        xlsx(
            row(4, "区政府办公室、高家镇人民政府", "每日", "新闻"),
            row(6, "区教育局", "每月", "通知公告"),
        )
    )
    assert plan.ok
    assert [c.column.pk for c in plan.changed_rows] == [4]
    change = plan.changed_rows[0]
    assert change.new_unit_names == ("区政府办公室", "高家镇人民政府")
    assert change.new_frequency == "daily"
    assert (change.old_frequency_label, change.new_frequency_label) == ("每周", "每日")
    assert plan.unchanged_count == 1


def test_units_may_be_separated_by_the_chinese_enumeration_comma_or_a_comma() -> None:
    assert unit_names_split("区政府办公室、区教育局") == ("区政府办公室", "区教育局")
    assert unit_names_split(" 区政府办公室, 区教育局，区教育局 ") == ("区政府办公室", "区教育局")
    assert unit_names_split("") == ()


def test_a_column_id_written_by_excel_as_a_number_or_text_is_read_the_same() -> None:
    plan = plan_of(xlsx(row(4.0, "区政府办公室", "每周"), row("6", "区教育局", "每周")))
    assert plan.ok
    assert [c.column.pk for c in plan.rows] == [4, 6]


def test_every_bad_row_is_reported_in_chinese_with_its_excel_row_number() -> None:
    plan = plan_of(
        xlsx(
            row(999, "区政府办公室", "每周"),
            row(4, "区财政局", "每周"),
            row(6, "区教育局", "每两周"),
            row(4, "区政府办公室", "每周"),
            row(None, "区教育局", "每周"),
            row(6, "区教育局", ""),
            row("abc", "区教育局", "每周"),
        )
    )
    assert not plan.ok
    assert plan.errors == [
        "第 2 行：栏目ID 999 不存在，可能该栏目已被删除。",
        "第 3 行：责任单位“区财政局”不存在，请填写系统中的单位全称（见“单位名称”工作表）。",
        "第 4 行：更新频率“每两周”无法识别，应为 实时、每日、每周、每月、每季、每年、按需 之一。",
        "第 5 行：栏目ID 4 与第 3 行重复。",
        "第 6 行：“栏目ID”为空。",
        "第 7 行：栏目ID 6 与第 4 行重复。",
        "第 7 行：“更新频率”为空。",
        "第 8 行：栏目ID“abc”不是数字。",
    ]


def test_blank_rows_between_data_rows_are_skipped_and_numbering_follows_excel() -> None:
    plan = plan_of(xlsx(row(4, "区政府办公室", "每周"), [None] * 9, row(6, "区财政局", "每周")))
    assert plan.errors == [
        "第 4 行：责任单位“区财政局”不存在，请填写系统中的单位全称（见“单位名称”工作表）。"
    ]


def test_a_file_that_is_not_xlsx_is_refused() -> None:
    assert xlsx_read("栏目ID,责任单位\n4,区教育局\n".encode()) == ([], [NOT_XLSX])
    assert xlsx_read(b"PK\x03\x04 not really a zip") == ([], [NOT_XLSX])


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert xlsx_read(buffer.getvalue()) == ([], [NOT_XLSX])


def test_a_table_without_the_expected_header_is_refused() -> None:
    rows, errors = xlsx_read(xlsx(row(4, "区教育局", "每周"), header=("编号", "单位", "频率")))
    assert rows == []
    assert errors == [
        "表头不正确：第 1 行缺少“栏目ID”、“责任单位”、“更新频率”列。请在本系统导出的表格上修改后再导入，不要改动表头。"
    ]


def test_columns_may_be_reordered_as_long_as_the_header_names_them() -> None:
    data = xlsx(["每日", 4, "区教育局"], header=("更新频率", "栏目ID", "责任单位"))
    plan = plan_of(data)
    assert plan.ok
    assert plan.rows[0].new_frequency == "daily"
    assert plan.rows[0].new_unit_names == ("区教育局",)


def test_a_table_with_only_a_header_has_nothing_to_import() -> None:
    plan = plan_of(xlsx())
    assert plan.errors == ["表格中没有数据行。"]


def test_a_row_naming_a_different_title_is_flagged_for_the_preview() -> None:
    plan = plan_of(xlsx(row(4, "区教育局", "每周", "通知公告")))
    assert plan.rows[0].title_differs


def test_raw_rows_survive_the_session_as_plain_data() -> None:
    raw = RawRow(row_number=3, column_id="4", title="新闻", units="区教育局", frequency="每周")
    assert RawRow.from_dict(raw.as_dict()) == raw
