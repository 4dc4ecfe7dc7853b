"""Classified markings (涉密标识).

第十九条: 必须遵循“涉密信息不上网，上网信息不涉密”的原则. A document carrying a secrecy
marking must never be published, so these findings block.

- 内部资料, 注意保密 and 不得外传 are flagged wherever they appear.
- 绝密, 机密 and 秘密 are flagged only in the forms a marking takes, because 秘密 (and now and
  then 机密) is an ordinary word in running text (“秘密花园”, “揭开……的秘密”):
  - followed by a star: ``机密★1年``, ``秘密★``, ``绝密☆长期`` (also ``*``);
  - followed by 级 (``机密级``) or preceded by 密级 (``密级：秘密``);
  - in brackets: ``【机密】``, ``[秘密]``, ``（绝密）``;
  - alone on a line (after trimming spaces), as in a document header.
Matching runs on the normalised text, so ``機密``, ``机 密★`` and zero-width characters inside
the word are found too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from govportal.checks.engine import Category, Checker, Document, Finding, Severity, register

ALWAYS = ("内部资料", "注意保密", "不得外传")
LEVELS = ("绝密", "机密", "秘密")
_OPENING = "【[（(〔〖「"
_CLOSING = "】]）)〕〗」"
_STAR_TAIL = re.compile(r"[ \t]*[★☆*][ \t]*(?:\d{1,3}[ \t]*年|长期)?")
_LEVEL_PHRASE = re.compile(r"密级[ \t]*[:：]?[ \t]*$")


_NEAR = 20  # how far a marking alone on its line may be indented or followed by spaces


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Only spaces between the word and the line's start and end (looking a few characters)."""
    before = text[max(0, start - _NEAR) : start]
    after = text[end : end + _NEAR]
    line_start = max(before.rfind("\n"), before.rfind("\r"))
    if line_start == -1 and start > _NEAR:
        return False
    ends = [i for i in (after.find("\n"), after.find("\r")) if i != -1]
    if not ends and end + _NEAR < len(text):
        return False
    line_end = min(ends, default=len(after))
    return not before[line_start + 1 :].strip() and not after[:line_end].strip()


def _marking_end(folded: str, start: int, end: int) -> int | None:
    """Where a marking that starts with the level word at [start, end) ends; None if no marking."""
    star = _STAR_TAIL.match(folded, end)
    if star:
        return star.end()
    if folded.startswith("级", end):
        return end + 1
    if _LEVEL_PHRASE.search(folded, max(0, start - 8), start):
        return end
    if (
        start > 0
        and end < len(folded)
        and folded[start - 1] in _OPENING
        and folded[end] in _CLOSING
    ):
        return end
    if _alone_on_line(folded, start, end):
        return end
    return None


@register
class ClassifiedMarkings(Checker):
    name = "classified"
    words = (*ALWAYS, *LEVELS)

    def run(self, doc: Document) -> Iterator[Finding]:
        norm = doc.normalised
        hits = sorted((span, word) for word in self.words for span in doc.word_spans(word))
        for (joined_start, joined_end), word in hits:
            folded_start, folded_end = norm.joined_to_folded(joined_start, joined_end)
            if word in ALWAYS:
                marking_end: int | None = folded_end
                rule = "classified.notice"
                message = f"含涉密提示语“{word}”，涉密信息不得上网（第十九条）。"
            else:
                marking_end = _marking_end(norm.folded, folded_start, folded_end)
                rule = "classified.marking"
                message = f"含密级标识“{word}”，涉密信息不得上网（第十九条）。"
            if marking_end is not None:
                start, end = norm.folded_span(folded_start, marking_end)
                yield doc.finding(
                    start=start,
                    end=end,
                    category=Category.CLASSIFIED,
                    severity=Severity.BLOCK,
                    rule=rule,
                    message=message,
                )
