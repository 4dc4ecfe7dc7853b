"""Pure rules for policy documents: 发文字号, 索引号 and validity. No database here.

Each takes what it needs as arguments (`today` included), so it is tested without a database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models


class Validity(models.TextChoices):
    """有效性 of a policy document."""

    IN_FORCE = "in_force", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


def validity_on(
    *, valid_until: dt.date | None, repealed_on: dt.date | None, today: dt.date
) -> Validity:
    """The validity on `today`: repealed from the repeal date on, expired after the last valid
    day, otherwise in force. Dates in the future announce a change; they do not apply yet."""
    if repealed_on is not None and repealed_on <= today:
        return Validity.REPEALED
    if valid_until is not None and valid_until < today:
        return Validity.EXPIRED
    return Validity.IN_FORCE


# 发文字号 (GB/T 9704-2012 7.2.4): 发文机关代字 + 年份 in 六角括号〔〕 + 发文顺序号 + 号,
# e.g. 宝渭政办发〔2020〕19号. The year is complete, the number has no leading zero.
DOCUMENT_NUMBER_RE = re.compile(
    r"^(?P<organ>[\u4e00-\u9fff]{1,20})〔(?P<year>\d{4})〕(?P<seq>[1-9]\d{0,4})号$"
)
_WRONG_BRACKETS = re.compile(r"[\[\]【】()（）{}<>《》]")


@dataclass(frozen=True)
class DocumentNumber:
    organ: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.organ}〔{self.year}〕{self.seq}号"


def document_number_parse(value: str, *, today: dt.date | None = None) -> DocumentNumber:
    """Parse a 发文字号 or raise ValidationError with a message that says what to fix."""
    value = value.strip()
    example = "如：宝渭政办发〔2020〕19号"
    match = DOCUMENT_NUMBER_RE.match(value)
    if match is None:
        if _WRONG_BRACKETS.search(value) and "〔" not in value:
            message = f"发文字号“{value}”的年份须用六角括号〔〕括入，{example}。"
        elif not value.endswith("号"):
            message = f"发文字号“{value}”须以“号”结尾，{example}。"
        elif re.search(r"〔\d{2}〕", value):
            message = f"发文字号“{value}”的年份须写全四位，{example}。"
        elif re.search(r"〕0\d*号$", value):
            message = f"发文字号“{value}”的序号不编虚位（不加“0”），{example}。"
        else:
            message = (
                f"发文字号“{value}”格式不正确，应为机关代字、〔年份〕、序号和“号”，{example}。"
            )
        raise ValidationError(message, code="document_number")
    year = int(match["year"])
    latest = (today or dt.date.today()).year + 1
    if not 1949 <= year <= latest:
        raise ValidationError(f"发文字号“{value}”中的年份 {year} 不合理。", code="document_number")
    return DocumentNumber(organ=match["organ"], year=year, seq=int(match["seq"]))


def document_number_validate(value: str) -> None:
    """Model-field validator: an empty number is allowed (some documents have none)."""
    if value:
        document_number_parse(value)


# 索引号: unit code - category - year - sequence. The format is a setting
# (DISCLOSURE_INDEX_NUMBER_FORMAT) so that an office can follow its province's scheme.
DEFAULT_INDEX_NUMBER_FORMAT = "{unit}-{category}-{year}-{seq:05d}"


def index_number_prefix(*, fmt: str, unit: str, category: str, year: int) -> str:
    """The part of the index number before the sequence (used to find the next sequence)."""
    marker = "\x00"
    full = fmt.replace("{seq", marker + "{seq", 1)
    return full.split(marker, 1)[0].format(unit=unit, category=category, year=year)


def index_number_make(*, fmt: str, unit: str, category: str, year: int, seq: int) -> str:
    return fmt.format(unit=unit, category=category, year=year, seq=seq)


def index_number_seq(*, fmt: str, prefix: str, number: str) -> int | None:
    """The sequence of an index number made with `fmt` and `prefix`, or None."""
    if not number.startswith(prefix):
        return None
    digits = re.match(r"\d+", number[len(prefix) :])
    return int(digits.group()) if digits else None


# --- Title words in the catalogue (第二十四条: 检索) ---------------------------------------------
# A word typed into the catalogue's filter matches a document whose title or 发文字号 contains it.
# Chinese has no spaces, so the index keeps every pair of adjacent characters (a "gram") of both
# texts: a text that contains a word contains all of the word's pairs, so the pairs narrow the
# search through an index and the contains-match then decides. Pairs are lower-cased on both
# sides, which only widens the narrowing step.
TITLE_GRAMS_PER_WORD = 4


def title_grams(*texts: str) -> set[str]:
    """Every pair of adjacent characters of each text (pairs do not span two texts)."""
    grams: set[str] = set()
    for text in texts:
        text = text.lower()
        grams.update(text[i : i + 2] for i in range(len(text) - 1))
    grams.discard("")
    return {g for g in grams if len(g) == 2 and not g.isspace()}


def title_grams_of_word(word: str, *, limit: int = TITLE_GRAMS_PER_WORD) -> list[str]:
    """Up to `limit` pairs of `word` that every text containing it has: the first, the last and
    pairs spread between (a one-character word has none and is matched by scanning)."""
    word = word.lower()
    if len(word) < 2:
        return []
    starts = list(range(0, len(word) - 1, 2))
    if starts[-1] != len(word) - 2:
        starts.append(len(word) - 2)
    if len(starts) > limit:
        step = (len(starts) - 1) / (limit - 1)
        starts = [starts[round(i * step)] for i in range(limit)]
    return list(dict.fromkeys(word[s : s + 2] for s in starts))
