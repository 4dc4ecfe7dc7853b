"""Reading and writing lexicon files (plain text and XLSX), and checking each row. Pure.

One entry per line (or per spreadsheet row), fields separated by tabs, in this order:

    词语  类别  级别  建议写法  例外词  适用网站  启用  备注

Only the first two are required. 类别 is 敏感词 / 错别字 / 不规范表述 / 广告用语 (or the code
names sensitive / typo / wording / advertising); 级别 is 阻断 / 警告 (block / warn) and
defaults by category; 例外词 lists correct words that contain the entry, separated by 、;
适用网站 is a site's host name, empty for the whole platform; 启用 is 是 / 否 (default 是).
A first row starting with 词语 is a header. In text files, empty lines and lines starting
with # are skipped. Row numbers in errors are line numbers (text) or sheet rows (XLSX).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from govportal.checks.engine import Category, Severity
from govportal.checks.lexicon import Term
from govportal.lib.textnorm import normalise_term

__all__ = [
    "CATEGORY_LABELS",
    "COLUMNS",
    "DEFAULT_SEVERITY",
    "LexiconRow",
    "RowError",
    "parse_text",
    "parse_xlsx",
    "render_text",
    "render_xlsx",
]

COLUMNS = ("词语", "类别", "级别", "建议写法", "例外词", "适用网站", "启用", "备注")
LEXICON_CATEGORIES = (
    Category.SENSITIVE,
    Category.TYPO,
    Category.WORDING,
    Category.ADVERTISING,
)
CATEGORY_LABELS = {
    Category.SENSITIVE: "敏感词",
    Category.TYPO: "错别字",
    Category.WORDING: "不规范表述",
    Category.ADVERTISING: "广告用语",
}
SEVERITY_LABELS = {Severity.BLOCK: "阻断", Severity.WARN: "警告"}
DEFAULT_SEVERITY = {
    Category.SENSITIVE: Severity.BLOCK,
    Category.TYPO: Severity.WARN,
    Category.WORDING: Severity.WARN,
    Category.ADVERTISING: Severity.WARN,
}
_CATEGORY_NAMES = {
    **{label: code for code, label in CATEGORY_LABELS.items()},
    **{code.value: code for code in LEXICON_CATEGORIES},
}
_SEVERITY_NAMES = {
    **{label: code for code, label in SEVERITY_LABELS.items()},
    **{code.value: code for code in Severity},
}
_YES = {"", "是", "启用", "1", "true", "yes", "y"}
_NO = {"否", "停用", "0", "false", "no", "n"}
_EXCEPTION_SEPARATORS = re.compile(r"[、,，;；|\s]+")
MAX_WORD_LENGTH = 100
MAX_ROWS = 100_000


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}"


@dataclass
class LexiconRow:
    row: int = field(compare=False)  # where it came from; two rows are equal regardless
    word: str = ""
    category: str = ""
    severity: str = ""
    suggestion: str = ""
    exceptions: tuple[str, ...] = ()
    site: str = ""  # host name; empty for the whole platform
    active: bool = True
    note: str = ""
    key: str = field(default="", compare=False)  # the normalised word

    def term(self) -> Term:
        return Term(self.word, self.category, self.severity, self.suggestion, self.exceptions)


def split_exceptions(value: str) -> tuple[str, ...]:
    return tuple(w for w in _EXCEPTION_SEPARATORS.split(value.strip()) if w)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def entry_errors(
    word: str, category: str | None, suggestion: str, exceptions: Sequence[str]
) -> list[tuple[str, str]]:
    """What is wrong with an entry, as (field, message) pairs; empty when it is fine."""
    errors: list[tuple[str, str]] = []
    key = normalise_term(word)
    if not word:
        errors.append(("word", "词语为空"))
    elif len(word) > MAX_WORD_LENGTH:
        errors.append(("word", f"词语过长（最多 {MAX_WORD_LENGTH} 个字符）"))
    elif len(key) < 2:
        errors.append(("word", "词语去掉空白和标点后不足两个字符，无法可靠匹配"))
    if category in (Category.TYPO, Category.WORDING) and not suggestion:
        errors.append(("suggestion", "错别字和不规范表述须填写建议写法"))
    if len(key) >= 2:
        for exception in exceptions:
            if key not in normalise_term(exception):
                errors.append(("exceptions", f"例外词“{exception}”不包含词语“{word}”"))
        suggestion_key = normalise_term(suggestion)
        if suggestion and suggestion_key == key:
            errors.append(
                (
                    "suggestion",
                    "建议写法与词语只在繁简、全半角、大小写或标点上不同，改正后仍会被标出",
                )
            )
        elif (
            suggestion
            and key in suggestion_key
            and not any(normalise_term(e) in suggestion_key for e in exceptions)
        ):
            errors.append(
                ("suggestion", "建议写法包含词语本身，改正后仍会被标出；请把建议写法列入例外词")
            )
    return errors


def parse_cells(row: int, cells: Sequence[object]) -> tuple[LexiconRow | None, list[RowError]]:
    """One row of cells → a checked row, or the reasons it is rejected."""
    values = [_cell(c) for c in cells][: len(COLUMNS)]
    values += [""] * (len(COLUMNS) - len(values))
    word, category_name, severity_name, suggestion, exceptions, site, active, note = values
    messages: list[str] = []
    category = _CATEGORY_NAMES.get(category_name) or _CATEGORY_NAMES.get(category_name.lower())
    if category is None:
        messages.append(
            f"类别“{category_name}”无效，应为 敏感词、错别字、不规范表述 或 广告用语"
            if category_name
            else "类别为空，应为 敏感词、错别字、不规范表述 或 广告用语"
        )
    severity = None
    if severity_name:
        severity = _SEVERITY_NAMES.get(severity_name) or _SEVERITY_NAMES.get(severity_name.lower())
        if severity is None:
            messages.append(f"级别“{severity_name}”无效，应为 阻断 或 警告")
    elif category is not None:
        severity = DEFAULT_SEVERITY[category]
    exception_words = split_exceptions(exceptions)
    messages += [
        message for _, message in entry_errors(word, category, suggestion, exception_words)
    ]
    active_value = active.lower()
    if active_value not in _YES and active_value not in _NO:
        messages.append(f"启用“{active}”无效，应为 是 或 否")
    if messages or category is None or severity is None:
        return None, [RowError(row, "；".join(messages))]
    return (
        LexiconRow(
            row=row,
            word=word,
            category=category,
            severity=severity,
            suggestion=suggestion,
            exceptions=exception_words,
            site=site.lower(),
            active=active_value in _YES,
            note=note,
            key=normalise_term(word),
        ),
        [],
    )


def _is_header(cells: Sequence[object]) -> bool:
    return bool(cells) and _cell(cells[0]) == COLUMNS[0]


def _collect(
    numbered_rows: Iterable[tuple[int, Sequence[object]]],
) -> tuple[list[LexiconRow], list[RowError]]:
    rows: list[LexiconRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in numbered_rows:
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(number, f"文件超过 {MAX_ROWS} 行，请分批导入"))
            break
        row, row_errors = parse_cells(number, cells)
        errors.extend(row_errors)
        if row is None:
            continue
        first = seen.get((row.key, row.site))
        if first is not None:
            errors.append(RowError(number, f"词语“{row.word}”与第 {first} 行重复"))
            continue
        seen[(row.key, row.site)] = number
        rows.append(row)
    return rows, errors


def parse_text(text: str) -> tuple[list[LexiconRow], list[RowError]]:
    """Rows and errors of a tab-separated text file."""
    text = text.removeprefix("\ufeff")

    def numbered() -> Iterable[tuple[int, list[str]]]:
        first = True
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = line.split("\t")
            if first and _is_header(cells):
                first = False
                continue
            first = False
            yield number, cells

    return _collect(numbered())


def parse_xlsx(data: bytes) -> tuple[list[LexiconRow], list[RowError]]:
    """Rows and errors of the first sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        return [], [
            RowError(0, f"无法读取 Excel 文件（{type(exc).__name__}），请确认是 .xlsx 格式")
        ]
    try:
        sheet = workbook.worksheets[0]

        def numbered() -> Iterable[tuple[int, Sequence[object]]]:
            first = True
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if all(_cell(c) == "" for c in cells):
                    continue
                if first and _is_header(cells):
                    first = False
                    continue
                first = False
                yield number, cells

        return _collect(numbered())
    finally:
        workbook.close()


def _render_row(row: LexiconRow) -> list[str]:
    return [
        row.word,
        CATEGORY_LABELS.get(Category(row.category), row.category),
        SEVERITY_LABELS.get(Severity(row.severity), row.severity),
        row.suggestion,
        "、".join(row.exceptions),
        row.site,
        "是" if row.active else "否",
        row.note,
    ]


def _clean_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def render_text(rows: Iterable[LexiconRow]) -> str:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(_clean_cell(v) for v in _render_row(row)) for row in rows]
    return "\n".join(lines) + "\n"


def render_xlsx(rows: Iterable[LexiconRow]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "词库"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(_render_row(row))
        for cell in sheet[sheet.max_row]:
            # A value starting with = is text here, never a formula.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
