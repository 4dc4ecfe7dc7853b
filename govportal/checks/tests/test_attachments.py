"""Attachments: the content must match the extension; their text is checked like a page."""

import io

import pytest
from docx import Document as DocxDocument
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from govportal.checks.attachments import check_attachment, content_kind
from govportal.checks.tests.helpers import context

ID_NUMBER = "11010519491231002X"


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF with a line of ASCII text in Helvetica."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = DocxDocument()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_the_text_of_a_pdf_is_checked():
    result = check_attachment(
        pdf_bytes(f"ID {ID_NUMBER} mail a.b@example.com"), "notice.pdf", context=context()
    )
    assert result.kind == "pdf"
    assert ID_NUMBER in result.text
    assert rules(result) == ["personal_data.resident_id", "personal_data.email"]
    finding = result.findings[0]
    assert result.text[finding.start : finding.end] == ID_NUMBER


def test_the_paragraphs_and_tables_of_a_docx_are_checked():
    data = docx_bytes(
        "关于按装设备的通知", "机密★1年", table=[["姓名", "身份证号"], ["张三", ID_NUMBER]]
    )
    result = check_attachment(data, "通知.docx", context=context())
    assert result.kind == "docx"
    assert sorted(rules(result)) == [
        "classified.marking",
        "lexicon.typo",
        "personal_data.resident_id",
    ]


def test_the_cells_of_an_xlsx_are_checked():
    data = xlsx_bytes([["姓名", "手机"], ["李四", "13812345678"], ["合计", 2]])
    result = check_attachment(data, "名单.xlsx", context=context())
    assert result.kind == "xlsx"
    assert rules(result) == ["personal_data.mobile"]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_plain_text_in_utf8_or_gb18030_is_checked(encoding):
    data = "内部资料，请勿外传。".encode(encoding)
    result = check_attachment(data, "说明.txt", context=context())
    assert result.kind == "text"
    assert rules(result) == ["classified.notice"]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (lambda: pdf_bytes("hello"), "report.docx"),
        (lambda: docx_bytes("正文"), "table.xlsx"),
        (lambda: "纯文本".encode(), "report.pdf"),
        (lambda: b"MZ\x90\x00" + b"\x00" * 200, "setup.pdf"),  # a Windows program
        (lambda: xlsx_bytes([["a"]]), "readme.txt"),
    ],
)
def test_an_attachment_whose_content_does_not_match_its_extension_is_blocked(data, filename):
    result = check_attachment(data(), filename, context=context())
    assert [(f.rule, f.severity) for f in result.findings] == [
        ("attachment.type_mismatch", "block")
    ]
    assert result.blocks


def test_an_extension_that_may_not_be_uploaded_is_blocked():
    result = check_attachment(b"echo hi", "run.sh", context=context())
    assert rules(result) == ["attachment.extension"]


def test_old_office_files_are_type_checked_and_left_to_a_person():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    result = check_attachment(ole, "旧文件.doc", context=context())
    assert [(f.rule, f.severity) for f in result.findings] == [("attachment.not_extracted", "warn")]


def test_a_broken_pdf_warns_instead_of_failing():
    result = check_attachment(b"%PDF-1.7\n garbage", "broken.pdf", context=context())
    assert [f.rule for f in result.findings] in (["attachment.unreadable"], ["attachment.no_text"])
    assert not result.blocks


def test_content_kinds_are_read_from_the_bytes():
    assert content_kind(pdf_bytes("x")) == "pdf"
    assert content_kind(docx_bytes("x")) == "docx"
    assert content_kind(xlsx_bytes([["x"]])) == "xlsx"
    assert content_kind("中文".encode("gb18030")) == "text"
    assert content_kind(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64) == "png"
