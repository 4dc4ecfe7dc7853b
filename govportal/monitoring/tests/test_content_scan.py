"""The content scan of one fetched address: an HTML page's visible text, or an attachment's,
through the shared checks engine, with personal data masked in everything it returns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

from docx import Document as DocxDocument
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from govportal.checks.engine import CheckContext
from govportal.checks.lexicon import Lexicon, Term
from govportal.monitoring.content_scan import SCAN_CHECKERS, ScanResult, mask, scan_body

# Fictional numbers with valid check characters (GB 11643; a 138 mobile).
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
WORD = "违禁测试词"
HTML = "text/html; charset=utf-8"


def context() -> CheckContext:
    lexicon = Lexicon([Term(WORD, "sensitive", "block")])
    return CheckContext(lexicon=lexicon, today=dt.date(2026, 6, 15), checkers=SCAN_CHECKERS)


def page(body: str) -> bytes:
    return f"<html><head><title>通知</title></head><body>{body}</body></html>".encode()


def pdf_bytes(text: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    document = DocxDocument()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rules(result: ScanResult) -> list[str]:
    return [f.rule for f in result.findings]


def everything(result: ScanResult) -> str:
    return " ".join(str(dataclasses.astuple(f)) for f in result.findings)


def test_a_classified_marking_in_the_visible_text_of_a_page_blocks() -> None:
    result = scan_body(
        url="http://127.0.0.1/a.html",
        content_type=HTML,
        body=page("<p>机密★1年</p><p>关于做好防汛工作的通知</p>"),
        context=context(),
    )
    assert result.kind == "html"
    assert rules(result) == ["classified.marking"]
    assert result.findings[0].blocks
    assert "机密★1年" in result.findings[0].excerpt


def test_markup_scripts_and_attribute_names_are_not_read_as_text() -> None:
    body = page(f'<script>var s = "{WORD}";</script><p class="机密">正文</p>')
    result = scan_body(url="http://127.0.0.1/", content_type=HTML, body=body, context=context())
    assert result.findings == []


def test_an_id_number_on_a_page_is_found_and_never_returned_in_clear() -> None:
    body = page(f"<p>申请人张某，身份证号 {ID_NUMBER}，手机 {MOBILE}。</p>")
    result = scan_body(url="http://127.0.0.1/", content_type=HTML, body=body, context=context())
    assert rules(result) == ["personal_data.resident_id", "personal_data.mobile"]
    assert all(f.blocks for f in result.findings)
    assert ID_NUMBER not in everything(result)
    assert MOBILE not in everything(result)
    assert ID_NUMBER[:3] in result.findings[0].excerpt
    assert "申请人张某" in result.findings[0].excerpt  # the context stays readable


def test_a_word_next_to_a_phone_number_has_the_number_masked_in_its_excerpt() -> None:
    body = page(f"<p>{WORD}请联系{MOBILE}</p>")
    result = scan_body(url="http://127.0.0.1/", content_type=HTML, body=body, context=context())
    word = next(f for f in result.findings if f.rule == "lexicon.sensitive")
    assert WORD in word.excerpt
    assert MOBILE not in word.excerpt
    assert mask(MOBILE) in word.excerpt


def test_a_word_repeated_on_a_page_is_one_finding() -> None:
    body = page(f"<p>{WORD}</p><p>{WORD}</p>")
    result = scan_body(url="http://127.0.0.1/", content_type=HTML, body=body, context=context())
    assert rules(result) == ["lexicon.sensitive"]


def test_a_gbk_page_is_decoded_before_it_is_checked() -> None:
    html = f'<html><head><meta charset="gbk"><title>通知</title></head><body>{WORD}</body></html>'
    result = scan_body(
        url="http://127.0.0.1/",
        content_type="text/html",
        body=html.encode("gbk"),
        context=context(),
    )
    assert rules(result) == ["lexicon.sensitive"]
    assert WORD in result.findings[0].excerpt


def test_a_flagged_word_in_a_pdf_attachment_is_found() -> None:
    result = scan_body(
        url="http://127.0.0.1/files/%E9%80%9A%E7%9F%A5.pdf",
        content_type="application/pdf",
        body=pdf_bytes(f"关于开展检查的通知：{WORD}。"),
        context=context(),
    )
    assert result.kind == "pdf"
    assert rules(result) == ["lexicon.sensitive"]
    assert result.unreadable == ""


def test_a_flagged_word_in_a_docx_without_an_extension_is_found_by_its_content() -> None:
    result = scan_body(
        url="http://127.0.0.1/documents/12/download",
        content_type="application/octet-stream",
        body=docx_bytes("第一段", f"第二段含{WORD}"),
        context=context(),
    )
    assert result.kind == "docx"
    assert rules(result) == ["lexicon.sensitive"]


def test_an_old_word_file_is_reported_as_not_read() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    result = scan_body(
        url="http://127.0.0.1/files/a.doc",
        content_type="application/msword",
        body=ole,
        context=context(),
    )
    assert result.kind == "ole"
    assert result.unreadable
    assert rules(result) == ["attachment.not_read"]
    assert not result.findings[0].blocks
    assert "未能读取" in result.findings[0].message


def test_an_attachment_cut_at_the_size_limit_is_reported_as_not_read() -> None:
    data = pdf_bytes(WORD)
    result = scan_body(
        url="http://127.0.0.1/files/a.pdf",
        content_type="application/pdf",
        body=data[: len(data) // 2],
        context=context(),
        truncated=True,
    )
    assert rules(result) == ["attachment.not_read"]
    assert "大小限制" in result.findings[0].message


def test_masking_keeps_only_the_ends_of_a_number() -> None:
    assert mask(ID_NUMBER) == "110*************2X"
    assert mask(MOBILE) == "138******78"
    assert mask("ab@cd.cn") == "a*@**.**"


def test_an_image_has_no_text_to_read_and_gives_no_finding_even_when_cut() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    result = scan_body(
        url="http://127.0.0.1/img/a.png",
        content_type="image/png",
        body=png,
        context=context(),
        truncated=True,
    )
    assert result.findings == []
