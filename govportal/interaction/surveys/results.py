"""Results of a survey: counts and percentages per question, and bar charts drawn on the
server as SVG (no JavaScript; every bar carries its label, count and percentage as text, so
the chart reads without colour and in a screen reader)."""

from __future__ import annotations

from collections import Counter
from html import escape

from django.db.models import Count
from django.utils.safestring import SafeString, mark_safe

from govportal.interaction.models.surveys import (
    RATING_MAX,
    CommentStatus,
    QuestionKind,
    Survey,
    SurveyAnswer,
)
from govportal.interaction.surveys.rules import (
    OptionCount,
    QuestionSummary,
    article_labels,
    summarise_choices,
    summarise_ratings,
)


def survey_results(survey: Survey, *, with_texts: bool = False) -> list[QuestionSummary]:
    """One summary per question. Free-text answers are counted; their text is returned only
    for staff (`with_texts`), since people write names and numbers into them."""
    items = list(
        SurveyAnswer.objects.filter(response__survey=survey).values_list(
            "question_id", "response_id", "choice", "rating", "text"
        )
    )
    by_question: dict[int, list[tuple[int, str, int | None, str]]] = {}
    for question_id, response_id, choice, rating, text in items:
        by_question.setdefault(question_id, []).append((response_id, choice, rating, text))
    summaries = []
    for number, question in enumerate(survey.questions.all(), start=1):
        rows = by_question.get(question.pk, [])
        answered = len({row[0] for row in rows})
        summary = QuestionSummary(number, question.text, question.kind, answered=answered)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            summary.options = summarise_choices(
                question.options, [row[1] for row in rows], answered
            )
        elif question.kind == QuestionKind.RATING:
            ratings = [row[2] for row in rows if row[2] is not None]
            summary.options, summary.average = summarise_ratings(ratings, RATING_MAX)
        elif with_texts:
            summary.texts = [row[3] for row in rows]
        summaries.append(summary)
    return summaries


def comment_counts(survey: Survey) -> list[tuple[str, int, int]]:
    """(article, comments received, comments published) for 总体意见 and each article."""
    grouped = survey.comments.order_by().values("article", "status").annotate(n=Count("pk"))
    received: Counter[str] = Counter()
    published: Counter[str] = Counter()
    for row in grouped:
        received[row["article"]] += row["n"]
        if row["status"] == CommentStatus.APPROVED:
            published[row["article"]] += row["n"]
    labels = ["", *article_labels(survey.draft_text)]
    labels += sorted(set(received) - set(labels))
    return [(label or "总体意见", received[label], published[label]) for label in labels]


# The label sits above its bar, so the chart stays narrow and its text readable on a phone.
WIDTH = 400
BAR_WIDTH = 290
BAR_HEIGHT = 18
ROW_HEIGHT = 50
FONT_SIZE = 15


def bar_chart_svg(options: list[OptionCount], *, title: str, chart_id: str) -> SafeString:
    """A horizontal bar chart: per option its label, then a bar as long as its share and
    "n人 (p%)" beside it.

    Every piece of text is escaped here, which is why the result may be marked safe.
    """
    height = len(options) * ROW_HEIGHT + 4
    description = "；".join(f"{o.label}：{o.count}人，占{o.percent:g}%" for o in options)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="survey-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, option in enumerate(options):
        y = index * ROW_HEIGHT
        bar_y = y + 24
        bar = round(BAR_WIDTH * option.percent / 100, 1)
        label = option.label if len(option.label) <= 24 else option.label[:23] + "…"
        parts += [
            f'<text x="0" y="{y + 17}" font-size="{FONT_SIZE}" fill="#222">{escape(label)}</text>',
            f'<rect x="0" y="{bar_y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#e6ecf4"/>',
            f'<rect x="0" y="{bar_y}" width="{bar}" height="{BAR_HEIGHT}" fill="#1f5aa6"/>',
            f'<text x="{BAR_WIDTH + 6}" y="{bar_y + 14}" font-size="{FONT_SIZE - 1}" fill="#222">'
            f"{option.count}人 ({option.percent:g}%)</text>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def charts(summaries: list[QuestionSummary], *, prefix: str) -> list[tuple[QuestionSummary, str]]:
    """Each summary with its chart (empty for free-text questions)."""
    rows: list[tuple[QuestionSummary, str]] = []
    for summary in summaries:
        chart: str = ""
        if summary.options:
            chart = bar_chart_svg(
                summary.options,
                title=f"第{summary.number}题 {summary.text}",
                chart_id=f"{prefix}-q{summary.number}",
            )
        rows.append((summary, chart))
    return rows
