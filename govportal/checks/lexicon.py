"""The compiled lexicon of flagged words (错敏词) and how a text is matched against it. Pure.

Words and text are normalised the same way (govportal.lib.textnorm): matching runs once, with
one Aho-Corasick automaton (``ahocorasick_rs``), over the *joined* text, in which skippable
separators are gone. Every candidate is then mapped back to the folded text and kept only if

- each gap between two characters of the word holds at most ``MAX_GAP`` skipped separators
  (so ``敏 * 感`` is found but two words far apart are never glued together; clause
  punctuation and line breaks are never skipped at all);
- a word of Latin letters or digits stands alone: no letter or digit right before or after
  it, and its letters are either written together or every one of them is separated
  (``s e x`` is found, ``is exciting`` is not);
- it is not inside one of the entry's exceptions (correct words that contain it: 以经 is a
  typo for 已经, but 以经济 is fine).

A match inside a longer match of the same category is dropped (the longer one is reported).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from ahocorasick_rs import BytesAhoCorasick, Implementation

from govportal.lib.textnorm import NormalisedText, normalise_term

__all__ = ["MAX_GAP", "Lexicon", "LexiconScan", "Term", "TermMatch", "starter_lexicon"]

MAX_GAP = 3
DATA_DIR = Path(__file__).resolve().parent / "data"
STARTER_LEXICON = DATA_DIR / "starter_lexicon.tsv"


@dataclass(frozen=True)
class Term:
    word: str
    category: str
    severity: str
    suggestion: str = ""
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermMatch:
    term: Term
    start: int  # offsets into the text that was normalised
    end: int


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class _Shape:
    latin: bool  # all ASCII letters or digits
    alnum_start: bool
    alnum_end: bool


@dataclass(frozen=True)
class LexiconScan:
    """What one pass over a text found: lexicon terms, and the checkers' declared words."""

    matches: list[TermMatch]
    # Declared word → its spans in the joined text, as found (no gap or boundary rules).
    words: dict[str, list[tuple[int, int]]]


class Lexicon:
    """A set of terms compiled for matching. Build once, use from many threads.

    The automaton also holds the words the registered checkers declare (``Checker.words``),
    so that they are found in the same pass instead of one more scan each.
    """

    def __init__(self, terms: Iterable[Term], *, words: Iterable[str] | None = None) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        if words is None:
            from govportal.checks.engine import registered_words

            words = registered_words()
        index: dict[str, int] = {}
        owners: list[list[tuple[int, bool]]] = []  # per pattern: (term index, is an exception)
        declared: dict[int, list[str]] = defaultdict(list)  # pattern → declared words
        shapes: list[_Shape] = []

        def add(pattern: str, term_index: int, exception: bool) -> None:
            if pattern not in index:
                index[pattern] = len(owners)
                owners.append([])
            owners[index[pattern]].append((term_index, exception))

        for i, term in enumerate(self.terms):
            key = normalise_term(term.word)
            shapes.append(
                _Shape(
                    latin=bool(key) and all(_is_ascii_alnum(c) for c in key),
                    alnum_start=bool(key) and _is_ascii_alnum(key[0]),
                    alnum_end=bool(key) and _is_ascii_alnum(key[-1]),
                )
            )
            if not key:
                continue
            add(key, i, False)
            for exception in term.exceptions:
                exception_key = normalise_term(exception)
                if key in exception_key and exception_key != key:
                    add(exception_key, i, True)
        for word in words:
            key = normalise_term(word)
            if key:
                if key not in index:
                    index[key] = len(owners)
                    owners.append([])
                declared[index[key]].append(word)
        self._owners = owners
        self._declared = dict(declared)
        self._shapes = shapes
        # One automaton over UTF-16 code units (see textnorm.Utf16), overlapping matches: every
        # word is found even where another, or an exception, overlaps it.
        self._automaton = (
            BytesAhoCorasick(
                [p.encode("utf-16-le", "surrogatepass") for p in index],
                implementation=Implementation.ContiguousNFA,
            )
            if index
            else None
        )

    def __len__(self) -> int:
        return len(self.terms)

    def matches(self, norm: NormalisedText) -> list[TermMatch]:
        """The terms found in a normalised text, with spans in ``norm.text``."""
        return self.scan(norm).matches

    def scan(self, norm: NormalisedText) -> LexiconScan:
        """Terms (with spans in ``norm.text``) and declared words (joined spans) in a text."""
        words: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if self._automaton is None or not norm.joined:
            return LexiconScan([], {})
        utf16 = norm.joined_utf16
        raw = self._automaton.find_matches_as_indexes(utf16.data, overlapping=True)
        if not raw:
            return LexiconScan([], {})
        folded = norm.folded
        joined_map = norm.joined_map
        identity = joined_map.is_identity
        allowed: dict[int, list[tuple[int, int]]] = defaultdict(list)
        candidates: list[tuple[int, int, int]] = []  # (term index, folded start, folded end)
        for pattern_index, byte_start, byte_end in raw:
            if byte_start & 1:
                continue  # straddles two characters
            start, end = utf16.char_index(byte_start), utf16.char_index(byte_end)
            for word in self._declared.get(pattern_index, ()):
                words[word].append((start, end))
            if not self._owners[pattern_index]:
                continue
            if identity:
                positions: list[int] | range = range(start, end)
            else:
                positions = joined_map.starts(start, end)
            folded_start, folded_end = positions[0], positions[-1] + 1
            gaps = [b - a - 1 for a, b in pairwise(positions)]
            for term_index, is_exception in self._owners[pattern_index]:
                if is_exception:
                    allowed[term_index].append((folded_start, folded_end))
                    continue
                shape = self._shapes[term_index]
                if gaps and max(gaps) > MAX_GAP:
                    continue
                if shape.latin and gaps and 0 in gaps and max(gaps) > 0:
                    continue  # letters partly spaced: parts of different words
                if (
                    shape.alnum_start
                    and folded_start > 0
                    and _is_ascii_alnum(folded[folded_start - 1])
                ):
                    continue
                if (
                    shape.alnum_end
                    and folded_end < len(folded)
                    and _is_ascii_alnum(folded[folded_end])
                ):
                    continue
                candidates.append((term_index, folded_start, folded_end))
        covers = {i: _Cover(spans) for i, spans in allowed.items()}
        kept = [c for c in candidates if c[0] not in covers or not covers[c[0]].covers(c[1], c[2])]
        kept = _drop_contained(kept, self.terms)
        result = []
        for term_index, folded_start, folded_end in kept:
            start, end = norm.folded_span(folded_start, folded_end)
            result.append(TermMatch(self.terms[term_index], start, end))
        return LexiconScan(result, dict(words))


class _Cover:
    """Spans sorted by start with the furthest end reached so far: covers() is one bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach: list[int] = []
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end


def _drop_contained(
    candidates: list[tuple[int, int, int]], terms: tuple[Term, ...]
) -> list[tuple[int, int, int]]:
    """Drop duplicates and matches inside a longer match of the same category."""
    by_category: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for c in candidates:
        by_category[terms[c[0]].category].append(c)
    kept: list[tuple[int, int, int]] = []
    for group in by_category.values():
        # Longest first among those starting earliest; then a kept span covers later ones.
        group.sort(key=lambda c: (c[1], -(c[2] - c[1])))
        reach = -1
        seen: set[tuple[int, int]] = set()
        for c in group:
            if (c[1], c[2]) in seen:
                continue
            if c[2] <= reach:
                continue  # inside an earlier, longer match
            seen.add((c[1], c[2]))
            reach = max(reach, c[2])
            kept.append(c)
    kept.sort(key=lambda c: (c[1], c[2]))
    return kept


@cache
def starter_lexicon() -> Lexicon:
    """The lexicon shipped with the code (used outside Django and as a fallback)."""
    from govportal.checks.lexicon_io import parse_text

    rows, _errors = parse_text(STARTER_LEXICON.read_text(encoding="utf-8"))
    return Lexicon(row.term() for row in rows if row.active)
