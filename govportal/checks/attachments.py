"""Attachments: is the file what its extension says, and what does its text contain.

The type is read from the content (magic bytes; inside ZIP containers, the parts that make
a DOCX, XLSX or OFD), never from the name or the browser's content type. A file whose content
does not match its extension blocks: a renamed file may be something else entirely.

Text is extracted from PDF (pypdf), DOCX (python-docx), XLSX (openpyxl) and plain text (UTF-8
or GB18030), then checked with the same engine as page content. Offsets in the findings are
offsets into ``AttachmentResult.text``. Other kinds (DOC, XLS, WPS, ET, OFD, ZIP) are
type-checked only, and a warning asks a person to read them.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field

import filetype

from govportal.checks.engine import Category, CheckContext, Finding, Severity, check

__all__ = ["AttachmentResult", "check_attachment", "content_kind", "extract_text"]

logger = logging.getLogger(__name__)

# Extension → the content kinds it may hold.
EXPECTED_KINDS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "docx": frozenset({"docx"}),
    "xlsx": frozenset({"xlsx"}),
    "doc": frozenset({"ole"}),
    "xls": frozenset({"ole"}),
    "wps": frozenset({"ole"}),
    "et": frozenset({"ole"}),
    "ofd": frozenset({"ofd"}),
    "zip": frozenset({"zip", "docx", "xlsx", "ofd"}),
    "txt": frozenset({"text"}),
    "csv": frozenset({"text"}),
    "vtt": frozenset({"text"}),
    "mp3": frozenset({"mp3"}),
    "m4a": frozenset({"m4a", "mp4"}),
    "ogg": frozenset({"ogg"}),
    "mp4": frozenset({"mp4", "m4v", "mov"}),
    "webm": frozenset({"webm"}),
}
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "ole": "Office 97-2003 或 WPS 文档",
    "ofd": "OFD",
    "zip": "ZIP 压缩包",
    "text": "纯文本",
    "unknown": "无法识别的类型",
}
TEXT_KINDS = frozenset({"pdf", "docx", "xlsx", "text"})
MAX_TEXT_CHARS = 20_000_000
# A ZIP (DOCX, XLSX) that unpacks to more than this is not opened (zip bombs).
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class AttachmentUnreadable(Exception):
    pass


@dataclass
class AttachmentResult:
    filename: str
    kind: str  # what the content is (see KIND_LABELS), whatever the name says
    text: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocks(self) -> bool:
        return any(f.blocks for f in self.findings)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "unknown"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_kind(data: bytes) -> str:
    """What the bytes are: pdf, docx, xlsx, ofd, zip, ole, text, a media kind, or unknown."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE_MAGIC):
        return "ole"
    guess = filetype.guess(data[:8192])
    if guess is not None:
        return str(guess.extension)
    if _looks_like_text(data):
        return "text"
    return "unknown"


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise AttachmentUnreadable("PDF 已加密，无法读取其中的文字")
        pages = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        return "\n".join(pages)
    except AttachmentUnreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise AttachmentUnreadable(f"PDF 文件已损坏或格式不规范（{type(exc).__name__}）") from exc


def _unpacked_size_ok(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist()) <= MAX_UNPACKED_BYTES


def _docx_text(data: bytes) -> str:
    import docx

    if not _unpacked_size_ok(data):
        raise AttachmentUnreadable("文件解压后过大，未读取")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise AttachmentUnreadable(f"Word 文件已损坏（{type(exc).__name__}）") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    for section in document.sections:
        for container in (section.header, section.footer):
            parts.extend(p.text for p in container.paragraphs)
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    if not _unpacked_size_ok(data):
        raise AttachmentUnreadable("文件解压后过大，未读取")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise AttachmentUnreadable(f"Excel 文件已损坏（{type(exc).__name__}）") from exc
    lines = []
    total = 0
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join("" if v is None else str(v) for v in row).rstrip("\t")
                if line:
                    lines.append(line)
                    total += len(line)
                if total > MAX_TEXT_CHARS:
                    break
    finally:
        workbook.close()
    return "\n".join(lines)


def extract_text(data: bytes, kind: str) -> str:
    """The text of a PDF, DOCX, XLSX or plain-text file; AttachmentUnreadable if it fails."""
    if kind == "pdf":
        return _pdf_text(data)
    if kind == "docx":
        return _docx_text(data)
    if kind == "xlsx":
        return _xlsx_text(data)
    if kind == "text":
        return _decode_text(data)
    raise AttachmentUnreadable("不支持从该类型提取文字")


def _attachment_finding(filename: str, severity: str, rule: str, message: str) -> Finding:
    return Finding(
        category=Category.ATTACHMENT,
        severity=severity,
        start=0,
        end=0,
        match=filename,
        suggestion=None,
        rule=rule,
        message=message,
    )


def check_attachment(
    data: bytes, filename: str, *, context: CheckContext | None = None
) -> AttachmentResult:
    """Check an attachment's type against its extension, then its text with every check."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = content_kind(data)
    result = AttachmentResult(filename=filename, kind=kind)
    expected = EXPECTED_KINDS.get(extension)
    if expected is None:
        result.findings.append(
            _attachment_finding(
                filename,
                Severity.BLOCK,
                "attachment.extension",
                f"附件“{filename}”的扩展名（.{extension}）不在允许上传的类型中。"
                if extension
                else f"附件“{filename}”没有扩展名，无法判断类型。",
            )
        )
        return result
    if kind not in expected:
        label = KIND_LABELS.get(kind, kind.upper())
        result.findings.append(
            _attachment_finding(
                filename,
                Severity.BLOCK,
                "attachment.type_mismatch",
                f"附件“{filename}”的实际内容是{label}，与扩展名 .{extension} 不符，不能发布。",
            )
        )
        return result
    if kind not in TEXT_KINDS:
        if kind in ("ole", "ofd", "zip"):
            result.findings.append(
                _attachment_finding(
                    filename,
                    Severity.WARN,
                    "attachment.not_extracted",
                    f"无法自动读取 .{extension} 文件中的文字，请人工检查有无涉密和个人隐私信息"
                    "（建议另存为 PDF 或 DOCX 后上传）。",
                )
            )
        return result
    try:
        result.text = extract_text(data, kind)[:MAX_TEXT_CHARS]
    except AttachmentUnreadable as exc:
        result.findings.append(
            _attachment_finding(
                filename,
                Severity.WARN,
                "attachment.unreadable",
                f"附件“{filename}”的文字无法读取：{exc}。请人工检查。",
            )
        )
        return result
    if kind == "pdf" and not result.text.strip():
        result.findings.append(
            _attachment_finding(
                filename,
                Severity.WARN,
                "attachment.no_text",
                f"附件“{filename}”中没有可读取的文字（可能是扫描件），请人工检查其内容。",
            )
        )
    result.findings.extend(check(result.text, html=False, context=context))
    return result
