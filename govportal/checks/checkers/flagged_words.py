"""Flagged words (错敏词): sensitive words, typos, wrong official wording, advertising."""

from __future__ import annotations

from collections.abc import Iterator

from govportal.checks.engine import Category, Checker, Document, Finding, register


def _message(category: str, word: str, suggestion: str) -> str:
    if category == Category.SENSITIVE:
        return f"含敏感词“{word}”，须删除或改写后才能发布。"
    if category == Category.TYPO:
        return f"疑似错别字“{word}”，应为“{suggestion}”。"
    if category == Category.WORDING:
        return f"不规范表述“{word}”，规范写法为“{suggestion}”。"
    if category == Category.ADVERTISING:
        # 第八条(二): 不得刊登商业广告或链接商业广告页面。
        return f"含广告用语“{word}”，政府网站不得刊登商业广告。"
    return f"命中词库词语“{word}”。"


@register
class FlaggedWords(Checker):
    name = "flagged_words"

    def run(self, doc: Document) -> Iterator[Finding]:
        for m in doc.lexicon_scan.matches:
            term = m.term
            yield doc.finding(
                start=m.start,
                end=m.end,
                category=term.category,
                severity=term.severity,
                rule=f"lexicon.{term.category}",
                suggestion=term.suggestion or None,
                message=_message(term.category, term.word, term.suggestion),
            )
