"""Lexicon files: rows checked one by one, bad rows reported with their row numbers."""

from govportal.checks.lexicon import STARTER_LEXICON, starter_lexicon
from govportal.checks.lexicon_io import parse_text, parse_xlsx, render_text, render_xlsx


def test_a_text_file_with_a_header_comments_and_empty_lines_is_read():
    rows, errors = parse_text(
        "# 注释\n词语\t类别\t级别\t建议写法\t例外词\n\n按装\t错别字\t\t安装\n测试词甲\t敏感词\n以经\ttypo\twarn\t已经\t以经济、以经营\n"
    )
    assert errors == []
    assert [(r.row, r.word, r.category, r.severity, r.suggestion, r.exceptions) for r in rows] == [
        (4, "按装", "typo", "warn", "安装", ()),
        (5, "测试词甲", "sensitive", "block", "", ()),
        (6, "以经", "typo", "warn", "已经", ("以经济", "以经营")),
    ]


def test_bad_rows_are_reported_with_their_line_numbers():
    _, errors = parse_text(
        "按装\t错别字\t\t安装\n"  # 1 fine
        "\t错别字\t\t安装\n"  # 2 no word
        "敏感\t不存在\n"  # 3 unknown category
        "甲乙\t敏感词\t严重\n"  # 4 unknown severity
        "丙丁\t错别字\n"  # 5 typo without suggestion
        "按 装\t错别字\t\t安装\n"  # 6 same as row 1 once normalised
        "開會\t错别字\t\t开会\n"  # 7 the suggestion is the same word in simplified form
        "以经\t错别字\t\t已经\t以往\n"  # 8 an exception without the word
        "戊己\t敏感词\t\t\t\t\t也许\n"  # 9 bad 启用 value
        "★ ★\t敏感词\n"  # 10 only punctuation
    )
    assert [e.row for e in errors] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    messages = {e.row: e.message for e in errors}
    assert "词语为空" in messages[2]
    assert "与第 1 行重复" in messages[6]
    assert "繁简" in messages[7]
    assert str(errors[0]).startswith("第 2 行：")


def test_a_suggestion_containing_the_word_needs_an_exception():
    _, errors = parse_text("人大主任\t不规范表述\t\t人大主任委员\n")
    assert "例外词" in errors[0].message
    rows, errors = parse_text("人大主任\t不规范表述\t\t人大主任委员\t人大主任委员\n")
    assert errors == [] and len(rows) == 1


def test_text_and_xlsx_exports_read_back_to_the_same_rows():
    rows, _ = parse_text(
        "按装\t错别字\t\t安装\t\t\t是\t常见\n=SUM(1)\t敏感词\n村长\t不规范表述\t警告\t村民委员会主任\t村长期\tportal.test\t否\n"
    )
    from_text, errors = parse_text(render_text(rows))
    assert errors == [] and from_text == rows
    from_xlsx, errors = parse_xlsx(render_xlsx(rows))
    assert errors == [] and from_xlsx == rows


def test_an_xlsx_that_is_not_a_workbook_is_rejected_with_a_message():
    rows, errors = parse_xlsx(b"not a workbook")
    assert rows == [] and "Excel" in errors[0].message


def test_xlsx_errors_carry_sheet_row_numbers():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["词语", "类别"])
    sheet.append(["按装", "错别字"])  # row 2: no suggestion
    sheet.append([None, None])  # row 3: empty, skipped
    sheet.append(["测试词", "敏感词"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows, errors = parse_xlsx(buffer.getvalue())
    assert [r.word for r in rows] == ["测试词"]
    assert [e.row for e in errors] == [2]


def test_the_starter_lexicon_file_is_valid_and_has_several_hundred_entries():
    rows, errors = parse_text(STARTER_LEXICON.read_text(encoding="utf-8"))
    assert errors == []
    categories = {row.category for row in rows}
    assert categories == {"sensitive", "typo", "wording", "advertising"}
    assert sum(row.category in ("typo", "wording") for row in rows) >= 300
    # The sensitive category ships with neutral test words only: the office adds its own.
    assert all(
        row.word.startswith("测试") or "test" in row.word
        for row in rows
        if row.category == "sensitive"
    )
    assert len(starter_lexicon()) == len(rows)
