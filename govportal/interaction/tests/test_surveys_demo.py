"""The demo parts of surveys and interviews load on the test portal and can be loaded twice."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from govportal.demo import interviews as interviews_demo
from govportal.demo import surveys as surveys_demo
from govportal.demo.builder import DemoWorld
from govportal.interaction.interviews.services import interview_counts, published_pairs
from govportal.interaction.models.interviews import Interview, InterviewState
from govportal.interaction.models.surveys import CommentStatus, Survey, SurveyPhase
from govportal.interaction.surveys.results import survey_results
from govportal.interaction.surveys.services import feedback_open, survey_feedback_due
from govportal.interaction.tests.factories_surveys import NOW
from govportal.testing import Portal

pytestmark = pytest.mark.django_db


def world(portal: Portal) -> DemoWorld:
    return DemoWorld(
        now=NOW,
        scale=0.2,
        log=lambda text: None,
        units={"jyj": portal.unit_b, "fgj": portal.unit_a},
        users={"operator": portal.operator},
        columns={},
        home=portal.home,
        rnd=random.Random(7),
    )


def test_demo_surveys_cover_closed_with_feedback_open_and_consultation(portal: Portal) -> None:
    surveys_demo.load(world(portal))
    surveys_demo.load(world(portal))  # twice: replaces, does not duplicate
    surveys = {s.title: s for s in Survey.objects.all()}
    assert len(surveys) == 4
    closed = surveys[surveys_demo.CLOSED_TITLE]
    assert closed.phase(NOW) == SurveyPhase.CLOSED and closed.responses.count() >= 40
    assert survey_feedback_due(closed, today=NOW.date()).state == "met"
    assert survey_results(closed)[0].answered == closed.responses.count()
    assert surveys[surveys_demo.OPEN_TITLE].phase(NOW) == SurveyPhase.OPEN
    consultation = surveys[surveys_demo.CONSULTATION_TITLE]
    assert consultation.draft_document is not None
    statuses = set(consultation.comments.values_list("status", flat=True))
    assert statuses == {CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.REJECTED}
    assert [s.title for s, _ in feedback_open(now=NOW)] == [surveys_demo.PENDING_TITLE]


def test_demo_interviews_have_an_archived_transcript_and_an_upcoming_one(portal: Portal) -> None:
    interviews_demo.load(world(portal))
    interviews_demo.load(world(portal))
    archived = Interview.objects.get(title=interviews_demo.ARCHIVED_TITLE)
    assert archived.state == InterviewState.ENDED
    pairs = published_pairs(archived)
    assert len(pairs) == 10 and [p.sequence for p in pairs] == list(range(1, 11))
    assert "{" not in archived.summary and "{phone}" not in pairs[-1].answer
    upcoming = Interview.objects.get(title=interviews_demo.UPCOMING_TITLE)
    assert upcoming.state == InterviewState.UPCOMING and upcoming.accepts_questions
    year = timezone.localtime(archived.starts_at).year
    counts = interview_counts(year)
    assert counts["questions_answered"] >= 6
    assert dt.timedelta(0) < NOW - archived.starts_at
