"""Pure rules of 征集调查: the feedback deadline (第十条(一)), the draft's articles, the summary
and the SVG chart. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from govportal.interaction.surveys.results import bar_chart_svg
from govportal.interaction.surveys.rules import (
    FeedbackState,
    OptionCount,
    draft_articles,
    feedback_deadline,
    feedback_due,
    summarise_choices,
    summarise_ratings,
)

D = dt.date


@pytest.mark.parametrize(
    ("ended", "deadline"),
    [
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 1, 31), D(2026, 2, 28)),  # shorter month: its last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 12, 20), D(2027, 1, 20)),  # across the year
        (D(2026, 9, 30), D(2026, 10, 30)),  # National Day holiday does not extend it
    ],
)
def test_feedback_is_due_one_calendar_month_after_the_end(
    ended: dt.date, deadline: dt.date
) -> None:
    assert feedback_deadline(ended) == deadline


def test_feedback_due_states_follow_the_calendar() -> None:
    ended = D(2026, 3, 15)
    assert feedback_due(ended_on=ended, published_on=None, today=D(2026, 3, 10)).state == (
        FeedbackState.NOT_DUE
    )
    assert feedback_due(ended_on=ended, published_on=None, today=D(2026, 3, 20)).state == (
        FeedbackState.OPEN
    )
    soon = feedback_due(ended_on=ended, published_on=None, today=D(2026, 4, 10))
    assert soon.state == FeedbackState.DUE_SOON and soon.days_left == 5
    last_day = feedback_due(ended_on=ended, published_on=None, today=D(2026, 4, 15))
    assert last_day.state == FeedbackState.DUE_SOON and last_day.days_left == 0
    late = feedback_due(ended_on=ended, published_on=None, today=D(2026, 4, 18))
    assert late.state == FeedbackState.OVERDUE and late.days_overdue == 3 and late.is_open


def test_published_feedback_is_met_or_met_late_and_no_longer_open() -> None:
    ended = D(2026, 3, 15)
    met = feedback_due(ended_on=ended, published_on=D(2026, 4, 15), today=D(2026, 6, 1))
    assert met.state == FeedbackState.MET and not met.is_open
    late = feedback_due(ended_on=ended, published_on=D(2026, 4, 16), today=D(2026, 6, 1))
    assert late.state == FeedbackState.MET_LATE and not late.is_open


def test_draft_is_split_into_its_articles() -> None:
    text = "某某办法（征求意见稿）\n第一章 总则\n第一条　为了规范管理，制定本办法。\n补充说明一行\n第十二条 本办法自发布之日起施行。"
    articles = draft_articles(text)
    assert [a.label for a in articles] == ["", "第一条", "第十二条"]
    assert articles[0].text == "某某办法（征求意见稿）\n第一章 总则"
    assert "补充说明一行" in articles[1].text
    assert draft_articles("") == []


def test_choice_percentages_are_of_the_people_who_answered() -> None:
    counts = summarise_choices(["甲", "乙", "丙"], ["甲", "甲", "乙", "甲"], answered=4)
    assert counts == [
        OptionCount("甲", 3, 75.0),
        OptionCount("乙", 1, 25.0),
        OptionCount("丙", 0, 0.0),
    ]
    # An answer whose option was later renamed still counts, at the end.
    assert summarise_choices(["甲"], ["旧选项"], answered=1)[-1] == OptionCount("旧选项", 1, 100.0)


def test_ratings_give_a_distribution_and_an_average() -> None:
    counts, average = summarise_ratings([5, 4, 4, 1], 5)
    assert [c.count for c in counts] == [1, 0, 0, 2, 1]
    assert counts[3].percent == 50.0
    assert average == 3.5
    assert summarise_ratings([], 5)[1] is None


def test_chart_is_accessible_svg_with_text_labels_and_escaped_text() -> None:
    svg = str(
        bar_chart_svg(
            [OptionCount("<script>alert(1)</script>", 2, 66.7), OptionCount("否", 1, 33.3)],
            title="第1题 是否<b>满意</b>",
            chart_id="c1",
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "2人 (66.7%)" in svg and "1人 (33.3%)" in svg
    assert '<title id="c1-title">第1题 是否&lt;b&gt;满意&lt;/b&gt;</title>' in svg
