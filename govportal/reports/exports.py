"""The report as DOCX (python-docx) and PDF (reportlab, built-in CID font STSong-Light).

Both follow `document_parts`: the six sections in order, the tables from layout.py with their
merged cells, so the files read like the printed 2021 format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from govportal.reports import layout

if TYPE_CHECKING:
    from govportal.reports.models import DisclosureReport

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
PDF_FONT = "STSong-Light"


@dataclass
class Part:
    heading: str
    paragraphs: list[str]
    grid: layout.Grid | None = None


def fees_sentence(amount: Decimal) -> str:
    """Section 六 states the 信息处理费 collected (国办函〔2020〕109号)."""
    amount = Decimal(amount)
    if amount <= 0:
        return "本年度未收取信息处理费。"
    return f"本年度收取信息处理费{amount.normalize():f}元。"


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def document_parts(report: DisclosureReport) -> list[Part]:
    proactive, requests, appeals = layout.report_grids(report.tables_dict())
    return [
        Part("一、总体情况", paragraphs(report.overview) or ["（未填写）"]),
        Part(proactive.caption, [], proactive),
        Part(requests.caption, [], requests),
        Part(appeals.caption, [], appeals),
        Part("五、存在的主要问题及改进情况", paragraphs(report.problems) or ["无。"]),
        Part(
            "六、其他需要报告的事项",
            [fees_sentence(report.fees_collected), *paragraphs(report.other_matters)],
        ),
    ]


def filename(report: DisclosureReport, extension: str) -> str:
    return f"{report.title}.{extension}"


# --- DOCX ---------------------------------------------------------------------------------------


def report_docx(report: DisclosureReport) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"  # type: ignore[attr-defined]
    style.font.size = Pt(10.5)  # type: ignore[attr-defined]
    # East Asian text takes the eastAsia font, not the Latin one.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # type: ignore[union-attr]
    for name in ("Title", "Heading 1"):
        heading_style = document.styles[name]
        heading_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in document_parts(report):
        document.add_heading(part.heading, level=1)
        for text in part.paragraphs:
            document.add_paragraph(text)
        if part.grid is None:
            continue
        grid = part.grid
        table = document.add_table(rows=len(grid.rows), cols=grid.columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, c, cell in layout.positions(grid):
            target = table.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = cell.text
            paragraph = target.paragraphs[0]
            if cell.header:
                for run in paragraph.runs:
                    run.bold = True
            if cell.key is not None:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def report_pdf(report: DisclosureReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _pdf_font()
    # CJK text has no spaces: wordWrap="CJK" breaks lines between characters.
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER)
    cell_style = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9.5)
    number_style = ParagraphStyle("number", parent=cell_style, alignment=TA_CENTER)
    page = landscape(A4)
    width = page[0] - 30 * mm
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=report.title,
    )
    story: list[object] = [Paragraph(_escape(report.title), title), Spacer(1, 4 * mm)]
    for part in document_parts(report):
        story.append(Paragraph(_escape(part.heading), heading))
        for text in part.paragraphs:
            story.append(Paragraph(_escape(text), body))
        if part.grid is None:
            continue
        grid = part.grid
        data: list[list[object]] = [["" for _ in range(grid.columns)] for _ in grid.rows]
        spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
        for r, c, cell in layout.positions(grid):
            data[r][c] = Paragraph(
                _escape(cell.text), number_style if cell.key is not None else cell_style
            )
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        widths = _column_widths(grid, width)
        table = Table(data, colWidths=widths, repeatRows=0)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    *spans,
                ]
            )
        )
        story.append(table)
    doc.build(story)  # type: ignore[arg-type]
    return buffer.getvalue()


def _column_widths(grid: layout.Grid, width: float) -> list[float]:
    if grid.number == "三":
        # Three label columns (the outcome labels are long), then seven numbers.
        numbers = grid.columns - 3
        label = [width * 0.07, width * 0.1, width * 0.33]
        rest = (width - sum(label)) / numbers
        return label + [rest] * numbers
    return [width / grid.columns] * grid.columns


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
