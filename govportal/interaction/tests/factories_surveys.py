"""Builders for the surveys and interviews tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from govportal.interaction.models.interviews import Interview, InterviewGuest
from govportal.interaction.models.surveys import (
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyQuestion,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ)

DRAFT = """渭滨区社区养老服务设施管理办法（征求意见稿）
第一条 为规范社区养老服务设施管理，制定本办法。
第二条 本办法适用于本区行政区域内的社区养老服务设施。
第三条 区民政局负责社区养老服务设施的统筹管理。
"""


def make_survey(
    *,
    kind: str = SurveyKind.SURVEY,
    opens_at: dt.datetime = NOW - dt.timedelta(days=5),
    closes_at: dt.datetime = NOW + dt.timedelta(days=5),
    published: bool = True,
    phone_check: bool = False,
    with_questions: bool = True,
    title: str = "社区公共服务满意度调查",
) -> Survey:
    survey = Survey.objects.create(
        kind=kind,
        title=title,
        intro="请如实填写。",
        opens_at=opens_at,
        closes_at=closes_at,
        published=published,
        phone_check=phone_check,
        draft_text=DRAFT if kind == SurveyKind.CONSULTATION else "",
    )
    if with_questions:
        SurveyQuestion.objects.create(
            survey=survey,
            sort_order=0,
            kind=QuestionKind.SINGLE,
            text="您的年龄段",
            required=True,
            choices="18岁以下\n18–59岁\n60岁及以上",
        )
        SurveyQuestion.objects.create(
            survey=survey,
            sort_order=1,
            kind=QuestionKind.MULTIPLE,
            text="您常用的服务",
            required=False,
            choices="就业\n社保\n医疗",
        )
        SurveyQuestion.objects.create(
            survey=survey, sort_order=2, kind=QuestionKind.RATING, text="总体满意度", required=True
        )
        SurveyQuestion.objects.create(
            survey=survey, sort_order=3, kind=QuestionKind.TEXT, text="其他建议", required=False
        )
    return survey


def answer_data(survey: Survey, *, token: str = "t" * 20, **overrides: object) -> dict[str, object]:
    q = list(survey.questions.all())
    data: dict[str, object] = {
        "token": token,
        f"q{q[0].pk}": "18–59岁",
        f"q{q[1].pk}": ["就业", "医疗"],
        f"q{q[2].pk}": "4",
        f"q{q[3].pk}": "希望延长服务时间",
    }
    data.update(overrides)
    return data


def make_interview(*, published: bool = True, starts_at: dt.datetime = NOW) -> Interview:
    interview = Interview.objects.create(
        title="聚焦义务教育学位保障",
        description="区教育局负责同志与网友在线交流。",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        published=published,
        host_name="主持人小王",
    )
    InterviewGuest.objects.create(
        interview=interview, sort_order=0, name="赵明远", title="局长", unit_name="区教育局"
    )
    return interview
