"""Pure rules of 征集调查: the feedback deadline, the draft's articles, the result summary.

No database here; everything takes `today`/`now` or plain data and is tested on its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# 第十条(一): 于活动结束后1个月内汇聚网民意见建议并公开反馈结果。
FEEDBACK_MONTHS = 1
# The operator's panel calls a deadline "due soon" this many days ahead.
DUE_SOON_DAYS = 7


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when that month is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def feedback_deadline(ended_on: dt.date) -> dt.date:
    """The last day on which the feedback (采纳情况) may be published (第十条(一)).

    "1个月内" counts one calendar month from the day the survey ended: ending on 15 March,
    the feedback is due by 15 April.
    """
    return add_months(ended_on, FEEDBACK_MONTHS)


class FeedbackState(StrEnum):
    NOT_DUE = "not_due"  # still open: nothing to publish yet
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"

    @property
    def label(self) -> str:
        return {
            "not_due": "征集尚未结束",
            "open": "待发布反馈",
            "due_soon": "即将到期",
            "overdue": "已逾期",
            "met": "已按期反馈",
            "met_late": "逾期后反馈",
        }[self.value]


@dataclass(frozen=True)
class FeedbackDue:
    state: FeedbackState
    deadline: dt.date
    days_left: int  # negative when overdue

    @property
    def is_open(self) -> bool:
        return self.state in (FeedbackState.OPEN, FeedbackState.DUE_SOON, FeedbackState.OVERDUE)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def feedback_due(*, ended_on: dt.date, published_on: dt.date | None, today: dt.date) -> FeedbackDue:
    deadline = feedback_deadline(ended_on)
    days_left = (deadline - today).days
    if published_on is not None:
        state = FeedbackState.MET if published_on <= deadline else FeedbackState.MET_LATE
    elif today < ended_on:
        state = FeedbackState.NOT_DUE
    elif days_left < 0:
        state = FeedbackState.OVERDUE
    elif days_left <= DUE_SOON_DAYS:
        state = FeedbackState.DUE_SOON
    else:
        state = FeedbackState.OPEN
    return FeedbackDue(state=state, deadline=deadline, days_left=days_left)


# --- The draft's articles -------------------------------------------------------------------

_NUMERAL = "零〇一二三四五六七八九十百千两"
_ARTICLE_RE = re.compile(rf"^\s*(第[{_NUMERAL}\d]{{1,6}}条)[\s\u3000　:：]*")


@dataclass(frozen=True)
class DraftArticle:
    label: str  # 第三条; "" for the text before the first article (title, preamble)
    text: str


def draft_articles(text: str) -> list[DraftArticle]:
    """Split a draft into its articles (条) by the lines that begin with 第…条.

    Lines before the first article form a block with an empty label; chapter headings
    (第一章) stay in the article before them, which is how a reader sees them anyway.
    """
    articles: list[DraftArticle] = []
    label, lines = "", []
    for line in text.splitlines():
        match = _ARTICLE_RE.match(line)
        if match:
            if label or any(part.strip() for part in lines):
                articles.append(DraftArticle(label, "\n".join(lines).strip()))
            label, lines = match.group(1), [line.strip()]
        else:
            lines.append(line.rstrip())
    if label or any(part.strip() for part in lines):
        articles.append(DraftArticle(label, "\n".join(lines).strip()))
    return articles


def article_labels(text: str) -> list[str]:
    return [a.label for a in draft_articles(text) if a.label]


# --- Result summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    percent: float  # of the people who answered the question


@dataclass
class QuestionSummary:
    number: int
    text: str
    kind: str
    answered: int = 0
    options: list[OptionCount] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def summarise_choices(
    options: Sequence[str], chosen: Iterable[str], answered: int
) -> list[OptionCount]:
    """Counts per option, in the order the options were shown; a label that is no longer an
    option (edited later) still counts, at the end."""
    counts: dict[str, int] = dict.fromkeys(options, 0)
    for label in chosen:
        counts[label] = counts.get(label, 0) + 1
    return [OptionCount(label, n, percent(n, answered)) for label, n in counts.items()]


def summarise_ratings(ratings: Sequence[int], scale: int) -> tuple[list[OptionCount], float | None]:
    counts = [OptionCount(f"{score}分", ratings.count(score), 0.0) for score in range(1, scale + 1)]
    total = len(ratings)
    counts = [OptionCount(c.label, c.count, percent(c.count, total)) for c in counts]
    average = round(sum(ratings) / total, 2) if total else None
    return counts, average
