"""DOCX and PDF: read back, they carry the title, the text and every number of the tables."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from govportal.reports import exports, tables
from govportal.reports.models import DisclosureReport
from govportal.reports.tests.helpers import add_report

pytestmark = pytest.mark.django_db


def report() -> DisclosureReport:
    r = add_report(
        overview="2025年，全区坚持以公开为常态。\n全年主动公开政府信息1234条。",
        problems="政策解读形式还不够丰富。",
        other_matters="无其他需要报告的事项。",
    )
    r.fees_collected = 380
    r.proactive = {**r.proactive, "licensing": 4321}
    r.save()
    return r


def test_the_docx_has_the_sections_and_the_real_table_layouts() -> None:
    r = report()
    document = Document(io.BytesIO(exports.report_docx(r)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "渭滨区人民政府2025年政府信息公开工作年度报告" in text
    assert "全年主动公开政府信息1234条。" in text
    assert "本年度收取信息处理费380元。" in text
    assert "政策解读形式还不够丰富。" in text
    proactive, requests, appeals = document.tables
    assert len(requests.columns) == 10
    assert len(appeals.columns) == 15
    # 表二: 行政许可 row, the value merged across three columns.
    licensing = next(row for row in proactive.rows if row.cells[0].text == "行政许可")
    assert licensing.cells[1].text == "4321"
    # 表三: the 自然人 column of 一、本年新收 and the （七）总计 row.
    received = next(row for row in requests.rows if row.cells[0].text.startswith("一、"))
    assert [c.text for c in received.cells[3:]] == ["8", "2", "0", "0", "0", "0", "10"]
    total = next(row for row in requests.rows if row.cells[1].text == "（七）总计")
    assert total.cells[3].text == "7"
    assert total.cells[9].text == "9"
    assert [c.text for c in appeals.rows[3].cells][:5] == ["1", "0", "0", "0", "1"]


def test_the_pdf_carries_the_chinese_text_and_the_numbers() -> None:
    r = report()
    data = exports.report_pdf(r)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = "".join(text.split())
    assert "政府信息公开工作年度报告" in compact
    assert "全年主动公开政府信息1234条" in compact
    assert "4321" in compact
    assert "结转下年度继续办理" in compact
    assert "本年度收取信息处理费380元" in compact


def test_every_table_cell_is_in_the_pdf() -> None:
    # A distinct number in every cell, so a cell left out cannot hide behind another one.
    r = report()
    number = 1000
    for table, keys in tables.TABLES.items():
        values = {}
        for key in keys:
            number += 1
            values[key] = str(number) if key == tables.FEES else number
        setattr(r, table, values)
    reader = PdfReader(io.BytesIO(exports.report_pdf(r)))
    found = set(re.findall(r"\d{4}", " ".join(page.extract_text() for page in reader.pages)))
    assert {str(n) for n in range(1001, number + 1)} <= found


def test_fees_sentence() -> None:
    from decimal import Decimal

    assert exports.fees_sentence(Decimal("0")) == "本年度未收取信息处理费。"
    assert exports.fees_sentence(Decimal("380.00")) == "本年度收取信息处理费380元。"
    assert exports.fees_sentence(Decimal("12.50")) == "本年度收取信息处理费12.5元。"
