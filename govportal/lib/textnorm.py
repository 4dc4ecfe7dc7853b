"""Text normalisation for matching, with a map from every normalised position back to the input.

Two derived strings are built from the input text:

- ``folded``: each character folded to the form we match on. NFKC (full-width letters and
  digits become ASCII, compatibility ideographs become unified ones), lower case, traditional
  → simplified (OpenCC's character table), and invisible characters removed (format
  characters such as zero-width spaces and bidi marks, combining marks, variation selectors,
  control characters, Hangul fillers). Lone surrogates become U+FFFD so that every later step
  can encode the string. Common full-width Chinese punctuation (，；：！？（）) is left alone:
  it is never part of a word and folding it would only cost time.
- ``joined``: ``folded`` without the *skippable separators* that stand between two letters
  (CJK characters are letters): spaces and tabs, ASCII punctuation and symbols (also in full
  width), every symbol character (★, emoji, …) and the middle dots. Chinese clause
  punctuation (，。、；：！？“”‘’《》（）【】…— ) and line breaks stay: a writer separates
  clauses with them, so they are barriers that a match never crosses. Someone hiding a word
  inserts spaces, dots, asterisks or emoji instead, and those are skipped. Separators next to
  a digit stay too (``3.5``, ``6%``): they cannot hide a word.

Every character of a derived string comes from exactly one character of its source, so an
:class:`OffsetMap` maps any span back. The common case (Chinese text with nothing to fold and
few separators) costs one regular-expression scan per derived string.
"""

from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, cached_property

__all__ = [
    "NormalisedText",
    "OffsetMap",
    "Utf16",
    "fold",
    "has_astral",
    "is_skippable",
    "join",
    "normalise",
    "normalise_term",
]

# Characters that end a line: never skipped, never folded.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Full-width punctuation that Chinese text uses between clauses. NFKC would turn these into
# ASCII, which would make them skippable; they are barriers, so they stay as they are.
CLAUSE_PUNCTUATION_FULLWIDTH = frozenset("，；：！？（）")
# Invisible letters that render as nothing (Hangul fillers, the blank Braille pattern).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_MIDDLE_DOTS = frozenset("·•‧・･")
_ASCII_PUNCTUATION = frozenset(string.punctuation)

# Code points examined when the fold table is built: the whole BMP plus the astral blocks that
# hold compatibility forms, emoji, tags and variation selectors. CJK Extension B is added for
# traditional → simplified only.
_ASTRAL_RANGES = (
    (0x1BCA0, 0x1BCA4),  # shorthand format controls
    (0x1D173, 0x1D17B),  # musical format controls
    (0x1D400, 0x1D800),  # mathematical alphanumeric symbols (𝐚, 𝔞, 𝟏 …)
    (0x1F100, 0x1F300),  # enclosed alphanumerics and ideographs (🄰, 🈶 …)
    (0x2F800, 0x2FA20),  # CJK compatibility ideographs supplement
    (0xE0000, 0xE0080),  # tag characters
    (0xE0100, 0xE01F0),  # variation selectors supplement
)
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0x20000, 0x2A6E0))
_SYMBOL_RANGES_ASTRAL = ((0x1F000, 0x1FC00),)


def _is_deleted(ch: str) -> bool:
    """Characters that render as nothing and are dropped before matching."""
    category = unicodedata.category(ch)
    if category in ("Cf", "Mn", "Me"):
        return True
    if category == "Cc":
        return not ch.isspace()
    return ch in _INVISIBLE_LETTERS


def is_skippable(ch: str) -> bool:
    """Whether a (folded) character may sit between the characters of a word and be skipped."""
    if ch in LINE_BREAKS:
        return False
    if ch.isspace() or ch in _ASCII_PUNCTUATION or ch in _MIDDLE_DOTS:
        return True
    if 0xFF01 <= ord(ch) <= 0xFF5E:
        return ch not in CLAUSE_PUNCTUATION_FULLWIDTH and not ch.isalnum()
    return unicodedata.category(ch).startswith("S")


def _only_separators(s: str) -> bool:
    return all(c.isspace() or unicodedata.category(c)[0] in "PSZ" for c in s)


@cache
def _traditional_to_simplified() -> dict[str, str]:
    """OpenCC's traditional → simplified table, one character to one character."""
    import opencc  # imported here: building the table once is the only use

    converter = opencc.OpenCC("t2s")
    chars = [chr(cp) for start, stop in _CJK_RANGES for cp in range(start, stop)]
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps lines; be safe anyway
        converted = [converter.convert(c) for c in chars]
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def _fold_one(ch: str, t2s: dict[str, str]) -> str:
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return "\ufffd"  # a lone surrogate: keep the position, drop the unencodable value
    if _is_deleted(ch):
        return ""
    if ch in CLAUSE_PUNCTUATION_FULLWIDTH:
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    # Leave punctuation that NFKC merely re-spells (… → ..., ‥ → ..) alone, except the
    # full-width ASCII forms, which evasion uses (＊ ＠ ．).
    if folded != ch and _only_separators(folded) and not 0xFF01 <= ord(ch) <= 0xFF5E:
        folded = ch
    folded = folded.lower()
    folded = "".join(t2s.get(c, c) for c in folded)
    return "".join(c for c in folded if not _is_deleted(c))


def _char_class(code_points: list[int]) -> str:
    """A regular-expression character class body for these code points (merged into ranges)."""
    parts: list[str] = []
    i = 0
    while i < len(code_points):
        j = i
        while j + 1 < len(code_points) and code_points[j + 1] == code_points[j] + 1:
            j += 1
        first, last = code_points[i], code_points[j]
        parts.append(
            re.escape(chr(first))
            if first == last
            else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        )
        i = j + 1
    return "".join(parts)


_ANY_ASTRAL = "\U00010000-\U0010ffff"


def has_astral(text: str) -> bool:
    """Whether ``text`` holds a character outside the BMP (emoji, CJK extension B …).

    Patterns come in two forms: BMP only, and with any astral character. A character class
    stays a fast bitmap only while it is all BMP; each astral range is tested one by one on
    every character, so the astral form is used only when the text needs it.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


@dataclass(frozen=True)
class _FoldData:
    table: dict[int, str]
    resizing: frozenset[str]  # characters dropped or expanded
    # Runs of characters to fold; the astral form also takes any astral character (most of
    # them stay as they are).
    pattern: re.Pattern[str]
    pattern_astral: re.Pattern[str]


@cache
def _fold_data() -> _FoldData:
    t2s = _traditional_to_simplified()
    table: dict[int, str] = {}
    code_points = [
        *range(0x10000),
        *(cp for start, stop in _ASTRAL_RANGES for cp in range(start, stop)),
    ]
    for cp in code_points:
        ch = chr(cp)
        folded = _fold_one(ch, t2s)
        if folded != ch:
            table[cp] = folded
    for ch, simplified in t2s.items():
        if ord(ch) not in table:
            table[ord(ch)] = _fold_one(simplified, t2s)
    bmp = _char_class([cp for cp in sorted(table) if cp < 0x10000])
    return _FoldData(
        table=table,
        resizing=frozenset(chr(cp) for cp, v in table.items() if len(v) != 1),
        pattern=re.compile(f"[{bmp}]+"),
        pattern_astral=re.compile(f"[{bmp}{_ANY_ASTRAL}]+"),
    )


@cache
def _skip_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of skippable separators with a letter (CJK included) on both sides (BMP, astral).

    A separator next to a digit or at a clause edge stays: it cannot hide a word, and keeping
    it keeps ``3.5`` and ``6%`` apart from the words around them (and is much faster).
    """
    bmp = _char_class(
        [
            cp
            for cp in (*range(0xD800), *range(0xE000, 0x10000))
            if is_skippable(chr(cp)) and _fold_one(chr(cp), {}) == chr(cp)
        ]
    )
    letter = r"[^\W\d_]"

    def pattern(separator: str) -> re.Pattern[str]:
        # The look-behind comes after the first separator so that the scan keeps its fast path.
        return re.compile(f"{separator}(?<={letter}{separator}){separator}*(?={letter})")

    return pattern(f"[{bmp}]"), pattern(f"[{bmp}{_ANY_ASTRAL}]")


def _is_skippable_astral(ch: str) -> bool:
    # Emoji and other symbols; a folded string holds no astral letter that folds further.
    return 0x1F000 <= ord(ch) < 0x1FC00 and is_skippable(ch)


class OffsetMap:
    """Maps each character of a derived string to the span of the source character it came from.

    Stored as segments: from derived index ``d`` on, characters map one-to-one onto the source
    from index ``s`` (``width`` 0), or all map onto the one source span ``[s, s + width)``
    (an expansion such as ㈠ → (一), or an HTML entity).
    """

    __slots__ = ("_derived", "_source", "_width")

    def __init__(self) -> None:
        self._derived: list[int] = [0]
        self._source: list[int] = [0]
        self._width: list[int] = [0]

    def add(self, derived: int, source: int, width: int = 0) -> None:
        """Start a segment at ``derived`` (segments must be added in order)."""
        if self._derived[-1] == derived:
            self._source[-1], self._width[-1] = source, width
        else:
            self._derived.append(derived)
            self._source.append(source)
            self._width.append(width)

    @property
    def is_identity(self) -> bool:
        return len(self._derived) == 1 and self._source[0] == 0 and self._width[0] == 0

    def start(self, i: int) -> int:
        """The source index where derived character ``i`` starts."""
        k = bisect_right(self._derived, i) - 1
        if self._width[k]:
            return self._source[k]
        return self._source[k] + i - self._derived[k]

    def end(self, i: int) -> int:
        """The source index just after derived character ``i``."""
        k = bisect_right(self._derived, i) - 1
        if self._width[k]:
            return self._source[k] + self._width[k]
        return self._source[k] + i - self._derived[k] + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the (non-empty) derived span ``[start, end)``."""
        return self.start(start), self.end(end - 1)

    def starts(self, start: int, end: int) -> list[int]:
        """The source start of each derived character in ``[start, end)``."""
        return [self.start(i) for i in range(start, end)]


def fold(text: str, *, astral: bool | None = None) -> tuple[str, OffsetMap]:
    """``text`` folded for matching, and the map back to ``text``.

    ``astral`` says whether the text holds characters outside the BMP (found out if None).
    """
    data = _fold_data()
    table = data.table
    if astral is None:
        astral = has_astral(text)
    offsets = OffsetMap()
    pieces: list[str] = []
    out = 0  # length of the result so far
    last = 0
    for m in (data.pattern_astral if astral else data.pattern).finditer(text):
        start, end = m.span()
        run = m.group()
        if start > last:
            pieces.append(text[last:start])
            out += start - last
        last = end
        if data.resizing.isdisjoint(run):  # one-to-one: the map stays as it is
            pieces.append(run.translate(table))
            out += len(run)
            continue
        for i, ch in enumerate(run, start):
            replacement = table.get(ord(ch), ch)
            if len(replacement) == 1:
                pieces.append(replacement)
                out += 1
                continue
            if replacement:
                offsets.add(out, i, 1)
                pieces.append(replacement)
                out += len(replacement)
            offsets.add(out, i + 1)
    if last == 0:  # nothing matched: the text is already folded
        return text, offsets
    pieces.append(text[last:])
    return "".join(pieces), offsets


def _removed_spans(folded: str, astral: bool) -> list[tuple[int, int]]:
    """The spans of skippable separators in ``folded``."""
    bmp_pattern, astral_pattern = _skip_patterns()
    if not astral:
        return [m.span() for m in bmp_pattern.finditer(folded)]
    spans: list[tuple[int, int]] = []
    for m in astral_pattern.finditer(folded):
        start, end = m.span()
        # The class takes any astral character: keep those that are not symbols.
        span_start = None
        for i, ch in enumerate(m.group(), start):
            if ch <= "\uffff" or _is_skippable_astral(ch):
                if span_start is None:
                    span_start = i
            elif span_start is not None:
                spans.append((span_start, i))
                span_start = None
        if span_start is not None:
            spans.append((span_start, end))
    return spans


def join(folded: str, *, astral: bool | None = None) -> tuple[str, OffsetMap]:
    """``folded`` without skippable separators, and the map back to ``folded``."""
    if astral is None:
        astral = has_astral(folded)
    offsets = OffsetMap()
    pieces: list[str] = []
    out = 0
    last = 0
    for start, end in _removed_spans(folded, astral):
        pieces.append(folded[last:start])
        out += start - last
        offsets.add(out, end)
        last = end
    if not pieces:
        return folded, offsets
    pieces.append(folded[last:])
    return "".join(pieces), offsets


class Utf16:
    """A string as UTF-16-LE bytes, for byte-level matchers, and the way back to characters.

    Two bytes per character for CJK text instead of three in UTF-8: the matcher reads a third
    less. A match must start at an even byte; characters outside the BMP take four bytes.
    """

    __slots__ = ("_astral_units", "data")

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-16-le", "surrogatepass")
        self._astral_units: list[int] = []
        if len(self.data) != 2 * len(text):
            self._astral_units = [m.start() + k for k, m in enumerate(_ASTRAL.finditer(text))]

    def char_index(self, byte_offset: int) -> int:
        units = byte_offset // 2
        if not self._astral_units:
            return units
        return units - bisect_left(self._astral_units, units)


_ASTRAL = re.compile(f"[{_ANY_ASTRAL}]")


@dataclass(frozen=True)
class NormalisedText:
    """The input text, its folded and joined forms, and the maps between them."""

    text: str
    folded: str
    joined: str
    folded_map: OffsetMap  # folded → text
    joined_map: OffsetMap  # joined → folded

    @cached_property
    def joined_utf16(self) -> Utf16:
        return Utf16(self.joined)

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in ``text`` of the folded span ``[start, end)``."""
        return self.folded_map.span(start, end)

    def joined_to_folded(self, start: int, end: int) -> tuple[int, int]:
        return self.joined_map.span(start, end)

    def joined_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in ``text`` of the joined span ``[start, end)``."""
        return self.folded_span(*self.joined_to_folded(start, end))


def normalise(text: str) -> NormalisedText:
    astral = has_astral(text)  # folding never turns BMP characters into astral ones
    folded, folded_map = fold(text, astral=astral)
    joined, joined_map = join(folded, astral=astral)
    return NormalisedText(text, folded, joined, folded_map, joined_map)


def normalise_term(term: str) -> str:
    """A lexicon word in the form it is matched in; empty if nothing is left.

    Joined like the text (so ``按 装`` is ``按装`` and ``pm2.5`` keeps its dot, as ``PM2.5``
    in a text does), with separators at either end trimmed.
    """
    folded, _ = fold(term)
    joined, _ = join(folded)
    start, end = 0, len(joined)
    while start < end and (joined[start] in LINE_BREAKS or is_skippable(joined[start])):
        start += 1
    while end > start and (joined[end - 1] in LINE_BREAKS or is_skippable(joined[end - 1])):
        end -= 1
    return joined[start:end]


def warm_up() -> None:
    """Build the tables now (they are otherwise built on first use, about 0.3 s)."""
    _fold_data()
    _skip_patterns()
