"""The content-checks engine: ``check(text_or_html) -> list[Finding]``.

Publishing, the monitoring crawler and ``manage.py scan_text`` all call :func:`check`. Each
check is a plug-in: a :class:`Checker` subclass with a ``name`` and one method,
``run(doc) -> Iterable[Finding]``, registered with :func:`register` (see CONTRIBUTING.md,
"Adding a content check"). The engine imports nothing from Django at module level, so the
matching, normalisation and number checks are tested without a database; whatever needs the
database (the lexicon of a site, the resolver for internal links, the site's own phone
numbers) arrives in the :class:`CheckContext`, built by
:func:`govportal.checks.services.context_for_site`.

Offsets in a :class:`Finding` are character offsets into the string passed to :func:`check`;
for HTML they point at the text inside the source (an entity counts as a whole).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, TypeVar

from govportal.lib.htmltext import LinkRef, html_text, looks_like_html, plain_text_links
from govportal.lib.textnorm import NormalisedText, OffsetMap, normalise

if TYPE_CHECKING:
    from govportal.checks.lexicon import Lexicon, LexiconScan

__all__ = [
    "Category",
    "CheckContext",
    "Checker",
    "Document",
    "Finding",
    "LinkStatus",
    "Severity",
    "check",
    "register",
    "registered_checkers",
]

logger = logging.getLogger(__name__)


class Severity(StrEnum):
    BLOCK = "block"  # stops submission and publishing
    WARN = "warn"  # the reviewer must acknowledge it


class Category(StrEnum):
    SENSITIVE = "sensitive"  # 敏感词
    TYPO = "typo"  # 错别字
    WORDING = "wording"  # 不规范表述
    ADVERTISING = "advertising"  # 广告用语
    PERSONAL_DATA = "personal_data"  # 个人隐私
    CLASSIFIED = "classified"  # 涉密标识
    LINK = "link"  # 链接
    ATTACHMENT = "attachment"  # 附件
    CHECK_ERROR = "check_error"  # a checker failed: fail closed


class LinkStatus(StrEnum):
    """What a resolver says about an internal link target."""

    OK = "ok"
    MISSING = "missing"  # no such page, document or file
    NOT_LIVE = "not_live"  # exists but is not published (draft, withdrawn, expired)


@dataclass(frozen=True)
class Finding:
    category: str
    severity: str
    start: int
    end: int
    match: str
    suggestion: str | None
    rule: str
    message: str

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "suggestion": self.suggestion,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass(frozen=True)
class CheckContext:
    """Everything a check needs to know beyond the text. All fields are optional."""

    site_id: int | None = None
    # The compiled lexicon; when None the provider set by the checks app is asked (the
    # database lexicon of ``site_id``), and outside Django the starter lexicon file is used.
    lexicon: Lexicon | None = None
    # Phone numbers that may be published (the units' and the site's own), as
    # govportal.lib.idnumbers.phone_keys gives them; e-mail addresses in lower case.
    allowed_numbers: frozenset[str] = frozenset()
    allowed_emails: frozenset[str] = frozenset()
    today: dt.date | None = None  # for birth dates in ID numbers; defaults to today
    # Links: hosts that count as this site, a resolver for internal targets (a path such as
    # "/news/a-1/", or "page:12", "document:3", "image:5"), and whether external targets are
    # fetched (with a short time-out, results cached for a day).
    internal_hosts: frozenset[str] = frozenset()
    resolve_internal: Callable[[str], LinkStatus] | None = None
    check_external_links: bool = False
    http_timeout: float = 5.0
    allow_private_hosts: bool = False  # tests fetch from 127.0.0.1; production never does
    blocked_domains: frozenset[str] = frozenset()  # added to checks/data/blocked_domains.txt
    commercial_domains: frozenset[str] = frozenset()  # added to commercial_domains.txt
    # Run only these checkers (by name); None runs all.
    checkers: frozenset[str] | None = None

    @property
    def check_date(self) -> dt.date:
        return self.today or dt.date.today()


@dataclass
class Document:
    """The input prepared once for all checkers: its text, links and normalised forms."""

    source: str
    is_html: bool
    text: str  # what a reader sees; for plain text the source itself
    text_map: OffsetMap  # text → source
    links: tuple[LinkRef, ...]
    context: CheckContext = field(default_factory=CheckContext)

    @classmethod
    def from_input(
        cls, source: str, *, html: bool | None = None, context: CheckContext | None = None
    ) -> Document:
        context = context or CheckContext()
        is_html = looks_like_html(source) if html is None else html
        if is_html:
            extracted = html_text(source)
            return cls(source, True, extracted.text, extracted.offsets, extracted.links, context)
        return cls(source, False, source, OffsetMap(), tuple(plain_text_links(source)), context)

    @cached_property
    def normalised(self) -> NormalisedText:
        return normalise(self.text)

    @cached_property
    def lexicon_scan(self) -> LexiconScan:
        """One pass of the lexicon's automaton over the joined text, shared by the checkers."""
        return lexicon_for(self.context).scan(self.normalised)

    def word_spans(self, word: str) -> list[tuple[int, int]]:
        """Where a word the checker declared in ``Checker.words`` stands in the joined text."""
        return self.lexicon_scan.words.get(word, [])

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the source of the text span ``[start, end)``."""
        if self.text_map.is_identity or end <= start:
            return start, end
        return self.text_map.span(start, end)

    def finding(
        self,
        *,
        start: int,
        end: int,
        category: str,
        severity: str,
        rule: str,
        message: str,
        suggestion: str | None = None,
        in_source: bool = False,
    ) -> Finding:
        """A finding for the text span ``[start, end)`` (or a source span if ``in_source``)."""
        if not in_source:
            start, end = self.source_span(start, end)
        return Finding(
            category=str(category),
            severity=str(severity),
            start=start,
            end=end,
            match=self.source[start:end],
            suggestion=suggestion,
            rule=rule,
            message=message,
        )


class Checker:
    """A content check. Subclasses set ``name`` and implement ``run``; see CONTRIBUTING.md."""

    name: ClassVar[str] = ""
    # Words this check looks for in the joined text. They are found in the lexicon's pass
    # (no extra scan); ``doc.word_spans(word)`` gives where.
    words: ClassVar[tuple[str, ...]] = ()

    def run(self, doc: Document) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError


_REGISTRY: dict[str, type[Checker]] = {}
_BUILTIN_CHECKERS = "govportal.checks.checkers"
C = TypeVar("C", bound=type[Checker])


def register(checker: C) -> C:
    """Class decorator: add a checker to the registry (names are unique)."""
    if not checker.name:
        raise ValueError(f"{checker.__qualname__} has no name")
    existing = _REGISTRY.get(checker.name)
    if existing is not None and existing is not checker:
        raise ValueError(f"a checker named {checker.name!r} is already registered")
    _REGISTRY[checker.name] = checker
    return checker


LexiconProvider = Callable[[int | None], "Lexicon"]
_lexicon_provider: LexiconProvider | None = None


def set_lexicon_provider(provider: LexiconProvider | None) -> None:
    """Where lexicons come from when the context has none (the checks app sets the database)."""
    global _lexicon_provider
    _lexicon_provider = provider


def lexicon_for(context: CheckContext) -> Lexicon:
    """The context's lexicon, else the provider's for its site, else the starter lexicon."""
    if context.lexicon is not None:
        return context.lexicon
    if _lexicon_provider is not None:
        return _lexicon_provider(context.site_id)
    from govportal.checks.lexicon import starter_lexicon

    return starter_lexicon()


def registered_checkers() -> dict[str, type[Checker]]:
    importlib.import_module(_BUILTIN_CHECKERS)
    return dict(_REGISTRY)


def registered_words() -> tuple[str, ...]:
    """The words all registered checkers declare, for the lexicon's automaton."""
    return tuple(sorted({w for c in registered_checkers().values() for w in c.words}))


def check(
    text_or_html: str, *, html: bool | None = None, context: CheckContext | None = None
) -> list[Finding]:
    """Run every registered check on a text or an HTML fragment.

    ``html=None`` guesses from the content (it looks for common tags). The findings come
    sorted by position. A checker that fails reports a blocking ``check_error`` finding
    instead of letting the content through unchecked.
    """
    if not isinstance(text_or_html, str):
        raise TypeError(
            "check() takes str; decode bytes first (errors='surrogateescape' keeps any byte)"
        )
    doc = Document.from_input(text_or_html, html=html, context=context)
    selected = doc.context.checkers
    findings: list[Finding] = []
    for name, checker_class in registered_checkers().items():
        if selected is not None and name not in selected:
            continue
        try:
            findings.extend(checker_class().run(doc))
        except Exception:
            logger.exception("content checker %s failed", name)
            findings.append(
                Finding(
                    category=Category.CHECK_ERROR,
                    severity=Severity.BLOCK,
                    start=0,
                    end=0,
                    match="",
                    suggestion=None,
                    rule=f"{name}.error",
                    message=f"检查程序“{name}”出错，内容未能完成检查，请联系运维人员。",
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.category, f.rule))
    return findings
