"""Small real files for the demo: PNG pictures, and PDF, Word and Excel attachments.

Everything is generated at load time, so no binary file is committed and nothing is copied.
"""

from __future__ import annotations

import io
import random

from docx import Document as DocxDocument
from openpyxl import Workbook
from PIL import Image, ImageDraw

# Muted colours of the kind a government site uses for photos of streets, fields and rivers.
PALETTES: list[tuple[tuple[int, int, int], tuple[int, int, int]]] = [
    ((70, 130, 180), (176, 196, 222)),  # sky and river
    ((34, 102, 68), (152, 200, 120)),  # fields
    ((150, 75, 40), (230, 190, 140)),  # loess and brick
    ((60, 60, 110), (200, 200, 230)),  # evening
    ((120, 40, 40), (240, 200, 180)),  # red lanterns
    ((40, 90, 110), (190, 225, 220)),  # mountains
]


def picture_png(rnd: random.Random, width: int = 640, height: int = 400) -> bytes:
    """An abstract 'landscape': a gradient sky, hills and a few buildings."""
    top, bottom = rnd.choice(PALETTES)
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)),
        )
    for layer in range(3):
        base = height * (0.55 + 0.12 * layer)
        shade = tuple(max(0, c - 40 - 25 * layer) for c in top)
        points: list[tuple[float, float]] = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base - rnd.randint(0, 60)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    for _ in range(rnd.randint(3, 7)):
        w, h = rnd.randint(30, 70), rnd.randint(50, 160)
        x = rnd.randint(0, width - w)
        draw.rectangle([x, height - h, x + w, height], fill=(235, 235, 235), outline=(90, 90, 90))
        for wy in range(height - h + 10, height - 10, 18):
            draw.line([(x + 6, wy), (x + w - 6, wy)], fill=(120, 140, 170), width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def party_mark_png() -> bytes:
    """A stand-in for the 党政机关网站标识: a red badge with a white ring (not the real mark)."""
    img = Image.new("RGB", (110, 55), (200, 16, 46))
    draw = ImageDraw.Draw(img)
    draw.ellipse([8, 8, 47, 47], outline=(255, 255, 255), width=4)
    draw.rectangle([56, 14, 102, 20], fill=(255, 255, 255))
    draw.rectangle([56, 26, 102, 30], fill=(255, 230, 160))
    draw.rectangle([56, 36, 90, 40], fill=(255, 230, 160))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def banner_png(rnd: random.Random) -> bytes:
    return picture_png(rnd, width=1200, height=200)


def _pdf_text(text: str) -> str:
    # UniGB-UCS2-H takes big-endian UCS-2 codes; our demo text stays inside the BMP.
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def document_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF in the reader's built-in Chinese font (STSong-Light), written by hand."""
    ops = ["BT", "/F1 18 Tf", "72 770 Td", f"{_pdf_text(title)} Tj", "/F1 12 Tf"]
    for line in lines:
        ops += ["0 -28 Td", f"{_pdf_text(line)} Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def document_docx(title: str, paragraphs: list[str]) -> bytes:
    doc = DocxDocument()
    doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def document_xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "清单"
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for column, width in zip("ABCDEF", (8, 36, 24, 16, 16, 16), strict=False):
        ws.column_dimensions[column].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
