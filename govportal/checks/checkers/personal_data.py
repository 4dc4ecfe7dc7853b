"""Personal data (个人隐私).

第八条(二): 不得公开……包含公民身份证、详细居住地址、联系方式等个人隐私信息.

Numbers are read from the folded text (full-width digits, zero-width characters and the like
are already dealt with). A *candidate* is a run of at least seven digits in which single
spaces or hyphens may separate groups (``138 1234 5678``, ``6222-0212-3456-7890``). Its groups
are first read together when they follow a layout a number is written in, else one by one:

- resident ID (block): 18 characters with a valid GB 11643 check character, a province code
  and a real birth date, or 15 digits with a province code and a real birth date. A number
  shaped like an ID whose check character is wrong is not reported, and is never taken for
  a bank card;
- bank card (block): 16-19 digits of a card scheme issued in China that pass Luhn;
- mobile (block): 11 digits 13x-19x, also after +86 / 0086 / 86;
- landline (warn): area code and a 7- or 8-digit number, also as ``(0917)3212345``;
- passport (block): E + 8 digits, E + a letter + 7 digits, G + 8 digits, D/S/P(E) + 7 digits,
  H/M + 8 or 10 digits (home-return permits);
- e-mail address (warn);
- detailed home address (warn): a clause with a road, village or housing estate and a unit or
  room number (``……路88号3号楼2单元501室``). Addresses down to the street number only, such as
  an office's, are not reported.

Phone numbers and e-mail addresses in the context's allow-lists (the units' and the site's
own) are not reported. Landlines, e-mail addresses and addresses only warn: a page often
names another office's switchboard or mailbox on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from govportal.checks.engine import Category, Checker, Document, Finding, Severity, register
from govportal.lib import idnumbers

# One scan for both: digits with spaces or hyphens between them, seven characters or more
# (groups separated by more than one character are read apart, see _sub_candidates); or the
# last digit of a number followed by a unit or room word (an address anchor).
_CANDIDATE = re.compile(r"[0-9](?:(?P<number>[0-9 \t\-]{5,}[0-9x])|(?=室|户|单元))")
_GROUP = re.compile(r"[0-9]+x?")
_ROOM = re.compile(r"室|户|单元")
_PAREN_AREA = re.compile(r"[(（](0\d{2,3})[)）][ \t]?$")
_COUNTRY_PREFIX = re.compile(r"\+[ \t]?$")
_PASSPORT_PREFIX = re.compile(r"(?<![a-z0-9])([a-z]{1,2})$")
_EMAIL = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?![a-z0-9\-])"
)
# Addresses: the clause around a unit or room number must name a road, village or estate.
_CLAUSE_BREAKS = "，。；：！？、,;!?\n\r"
_ADDRESS_PLACE = re.compile(
    r"路|街|巷|弄|胡同|大道|村|小区|社区|花园|公寓|家园|新村|苑|大厦|号院|楼"
)
_ADDRESS_NUMBER = re.compile(r"\d+(?:号|栋|幢|号楼|座)")
_ADDRESS_LABEL = re.compile(
    r"^.*?(?:家庭住址|家住|住址|地址|住在|现住|居住在|居住于|户籍地|居住地|住所|位于)[ \t:：]*"
)
# Bounded: an address has a few levels; an unbounded tail would be re-read at every anchor.
_ADDRESS_TAIL = re.compile(r"(?:[ \t\-]?\d{1,5}(?:室|户|单元|层|楼|号)){1,4}")


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int  # folded offsets
    end: int
    key: str = ""  # digits, for the allow-list


_KINDS = {
    "resident_id": (Severity.BLOCK, "身份证号码"),
    "old_resident_id": (Severity.BLOCK, "15 位身份证号码"),
    "bank_card": (Severity.BLOCK, "银行卡号"),
    "mobile": (Severity.BLOCK, "手机号码"),
    "landline": (Severity.WARN, "固定电话号码"),
    "passport": (Severity.BLOCK, "护照或通行证号码"),
    "email": (Severity.WARN, "电子邮箱地址"),
    "address": (Severity.WARN, "详细住址"),
}


def _digits(groups: list[tuple[str, int, int]]) -> str:
    return "".join(g[0] for g in groups)


def _layout(groups: list[tuple[str, int, int]]) -> tuple[int, ...]:
    return tuple(len(g[0]) for g in groups)


class _Reader:
    def __init__(self, folded: str, doc: Document) -> None:
        self.folded = folded
        self.today = doc.context.check_date

    def read(self, start: int, end: int) -> list[_Hit]:
        hits = []
        for groups in self._sub_candidates(start, end):
            first, last = groups[0][1], groups[-1][2]
            if sum(len(g[0]) for g in groups) < 7:
                continue
            # Inside a word of Latin letters (an order number, a code): only a passport reads.
            before = self.folded[first - 1] if first else ""
            after = self.folded[last] if last < len(self.folded) else ""
            if (after.isascii() and after.isalpha()) or (before.isascii() and before.isalpha()):
                passport = self.passport(groups[0]) if len(groups) == 1 else None
                if passport is not None and not (after.isascii() and after.isalpha()):
                    hits.append(passport)
                continue
            hit = self.whole(groups)
            if hit is not None:
                if hit.kind:
                    hits.append(hit)
                continue
            if len(groups) > 1:
                for group in groups:
                    single = self.whole([group])
                    if single is not None and single.kind:
                        hits.append(single)
        return hits

    def _sub_candidates(self, start: int, end: int) -> list[list[tuple[str, int, int]]]:
        """Groups of digits, split where more than one separator stands between two groups."""
        result: list[list[tuple[str, int, int]]] = []
        current: list[tuple[str, int, int]] = []
        for m in _GROUP.finditer(self.folded, start, end):
            if current and (m.start() - current[-1][2] > 1 or current[-1][0].endswith("x")):
                result.append(current)
                current = []
            current.append((m.group(), m.start(), m.end()))
        if current:
            result.append(current)
        return result

    def whole(self, groups: list[tuple[str, int, int]]) -> _Hit | None:
        """A reading of all the groups together; a hit with kind "" means "not personal data"."""
        digits = _digits(groups)
        layout = _layout(groups)
        start, end = groups[0][1], groups[-1][2]
        id_layout = layout in ((18,), (6, 8, 4), (6, 4, 4, 4))
        if id_layout and idnumbers.looks_like_resident_id(digits):
            valid = idnumbers.is_resident_id(digits, today=self.today)
            return _Hit("resident_id" if valid else "", start, end)
        if "x" in digits:
            return None
        if layout in ((15,), (6, 6, 3)) and idnumbers.is_old_resident_id(digits, today=self.today):
            return _Hit("old_resident_id", start, end)
        mobile = self.mobile(groups, digits, layout)
        if mobile is not None:
            return mobile
        landline = self.landline(groups, digits, layout)
        if landline is not None:
            return landline
        card_layout = layout in ((16,), (17,), (18,), (19,), (6, 13)) or (
            len(layout) >= 4 and all(n == 4 for n in layout[:-1]) and 1 <= layout[-1] <= 4
        )
        if card_layout and idnumbers.is_bank_card(digits):
            return _Hit("bank_card", start, end)
        if len(groups) == 1 and len(digits) in (7, 8, 10):
            return self.passport(groups[0])
        return None

    def mobile(
        self, groups: list[tuple[str, int, int]], digits: str, layout: tuple[int, ...]
    ) -> _Hit | None:
        start, end = groups[0][1], groups[-1][2]
        body, body_layout = digits, layout
        if len(layout) > 1 and groups[0][0] in ("86", "0086"):
            body, body_layout = digits[len(groups[0][0]) :], layout[1:]
        elif len(layout) == 1 and len(digits) in (13, 15) and digits.startswith(("86", "0086")):
            body, body_layout = digits[-11:], (11,)
        if body_layout not in ((11,), (3, 4, 4), (3, 8)) or not idnumbers.is_mobile(body):
            return None
        if body != digits:
            plus = _COUNTRY_PREFIX.search(self.folded, max(0, start - 2), start)
            start = plus.start() if plus else start
        return _Hit("mobile", start, end, body)

    def landline(
        self, groups: list[tuple[str, int, int]], digits: str, layout: tuple[int, ...]
    ) -> _Hit | None:
        start, end = groups[0][1], groups[-1][2]
        if len(layout) in (2, 3) and layout[0] in (3, 4) and (len(layout) == 2 or layout[2] <= 6):
            area, local = groups[0][0], groups[1][0]
            if idnumbers.is_landline(area, local):
                return _Hit("landline", start, end, area + local)
        if len(layout) == 1 and len(digits) in (10, 11, 12) and digits.startswith("0"):
            for area_length in (3, 4):
                if idnumbers.is_landline(digits[:area_length], digits[area_length:]):
                    return _Hit("landline", start, end, digits)
        if len(layout) == 1 and len(digits) in (7, 8):
            paren = _PAREN_AREA.search(self.folded, max(0, start - 8), start)
            if paren and idnumbers.is_landline(paren.group(1), digits):
                return _Hit("landline", paren.start(), end, paren.group(1) + digits)
        return None

    def passport(self, group: tuple[str, int, int]) -> _Hit | None:
        digits, start, end = group
        prefix_match = _PASSPORT_PREFIX.search(self.folded, max(0, start - 3), start)
        if prefix_match is None:
            return None
        prefix = prefix_match.group(1)
        n = len(digits)
        valid = (
            (prefix in ("e", "g") and n == 8)
            or (len(prefix) == 2 and prefix[0] == "e" and prefix[1] not in "io" and n == 7)
            or (prefix in ("d", "s", "p", "de", "se", "pe") and n == 7)
            or (prefix in ("h", "m") and n in (8, 10))
        )
        return _Hit("passport", prefix_match.start(), end) if valid else None


def _address(folded: str, anchor_start: int, anchor_end: int) -> _Hit | None:
    clause_start = anchor_start
    limit = max(0, anchor_start - 60)
    while clause_start > limit and folded[clause_start - 1] not in _CLAUSE_BREAKS:
        clause_start -= 1
    tail = _ADDRESS_TAIL.match(folded, anchor_end)
    end = tail.end() if tail else anchor_end
    clause = folded[clause_start:anchor_start]
    if not _ADDRESS_PLACE.search(clause) or not _ADDRESS_NUMBER.search(folded, clause_start, end):
        return None
    label = _ADDRESS_LABEL.match(clause)
    start = clause_start + (label.end() if label else 0)
    while start < anchor_start and folded[start] in " \t":
        start += 1
    return _Hit("address", start, end)


@register
class PersonalData(Checker):
    name = "personal_data"

    def run(self, doc: Document) -> Iterator[Finding]:
        norm = doc.normalised
        folded = norm.folded
        allowed_numbers = doc.context.allowed_numbers
        reader = _Reader(folded, doc)
        hits: list[_Hit] = []
        covered_until = -1
        for m in _CANDIDATE.finditer(folded):
            if m.group("number") is not None:
                for hit in reader.read(m.start(), m.end()):
                    if hit.kind in ("mobile", "landline") and hit.key in allowed_numbers:
                        continue
                    hits.append(hit)
                continue
            number_start = m.start()
            while number_start > 0 and folded[number_start - 1] in "0123456789":
                number_start -= 1
            room = _ROOM.match(folded, m.end())
            if room is None or m.end() - number_start > 5 or number_start < covered_until:
                continue
            address = _address(folded, number_start, room.end())
            if address is not None:
                hits.append(address)
                covered_until = address.end
        if "@" in folded:
            allowed_emails = doc.context.allowed_emails
            for m in _EMAIL.finditer(folded):
                if m.group() not in allowed_emails:
                    hits.append(_Hit("email", m.start(), m.end()))
        for hit in hits:
            severity, label = _KINDS[hit.kind]
            start, end = norm.folded_span(hit.start, hit.end)
            yield doc.finding(
                start=start,
                end=end,
                category=Category.PERSONAL_DATA,
                severity=severity,
                rule=f"personal_data.{hit.kind}",
                message=f"疑似{label}，属于个人隐私，不得公开（第八条(二)）。"
                if severity == Severity.BLOCK
                else f"疑似{label}，请确认不是个人隐私（第八条(二)）。",
            )
