"""定时发布 of a 需同步解读 document: only together with its interpretation (第十条(三))."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from govportal.content.review import ReviewError, page_publish_approved
from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage
from govportal.disclosure.services import (
    policy_publish_with_interpretation,
    policy_publish_with_interpretations,
    scheduled_with,
)
from govportal.disclosure.tests.helpers import (
    add_document,
    add_interpretation,
    reload,
    submit_and_approve,
)
from govportal.testing import Portal

NOW = dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def approved_pair(portal: Portal) -> tuple[PolicyDocumentPage, InterpretationPage]:
    doc = add_document(portal, live=False, needs_interpretation=True)
    interpretation = add_interpretation(portal, [doc], live=False)
    submit_and_approve(doc, portal)
    submit_and_approve(interpretation, portal)
    return doc, interpretation


def scheduled_at(page: object) -> dt.datetime | None:
    revision = reload(page).get_latest_revision()
    return Revision.objects.get(pk=revision.pk).approved_go_live_at


def schedule_pair(portal: Portal) -> tuple[PolicyDocumentPage, InterpretationPage]:
    doc, interpretation = approved_pair(portal)
    policy_publish_with_interpretation(
        document=doc, interpretation=interpretation, user=portal.editor_a, go_live_at=LATER
    )
    return doc, interpretation


def test_scheduling_the_document_alone_is_refused(portal: Portal) -> None:
    doc, _ = approved_pair(portal)

    with pytest.raises(ReviewError) as error:
        page_publish_approved(page=doc, user=portal.editor_a, go_live_at=LATER)

    assert "不能单独定时发布" in str(error.value)
    assert scheduled_at(doc) is None
    assert reload(doc).live is False


def test_setting_the_time_on_the_revision_directly_is_refused_too(portal: Portal) -> None:
    doc, _ = approved_pair(portal)
    revision = reload(doc).get_latest_revision()
    revision.approved_go_live_at = LATER

    with pytest.raises(ReviewError):
        revision.save(update_fields=["approved_go_live_at"])

    assert scheduled_at(doc) is None


def test_the_document_and_its_interpretation_are_scheduled_for_the_same_moment(
    portal: Portal,
) -> None:
    doc, interpretation = schedule_pair(portal)

    assert scheduled_at(doc) == LATER
    assert scheduled_at(interpretation) == LATER
    assert reload(doc).live is False
    assert reload(interpretation).live is False
    assert scheduled_with(doc) == {"go_live_at": LATER, "interpretations": [reload(interpretation)]}


def test_a_time_in_the_past_is_refused_and_nothing_changes(portal: Portal) -> None:
    doc, interpretation = approved_pair(portal)

    with pytest.raises(ReviewError) as error:
        policy_publish_with_interpretation(
            document=doc,
            interpretation=interpretation,
            user=portal.editor_a,
            go_live_at=NOW - dt.timedelta(minutes=1),
        )

    assert "须晚于当前时间" in str(error.value)
    assert (scheduled_at(doc), scheduled_at(interpretation)) == (None, None)


def test_publish_scheduled_makes_both_live_at_the_time_and_not_before(
    portal: Portal, _frozen: time_machine.Traveller
) -> None:
    doc, interpretation = schedule_pair(portal)

    call_command("publish_scheduled")
    assert (reload(doc).live, reload(interpretation).live) == (False, False)

    _frozen.move_to(LATER + dt.timedelta(minutes=1))
    call_command("publish_scheduled")

    assert (reload(doc).live, reload(interpretation).live) == (True, True)
    assert reload(doc).live_interpretations() == [reload(interpretation)]
    assert (scheduled_at(doc), scheduled_at(interpretation)) == (None, None)


def test_when_the_scheduler_takes_the_document_first_its_interpretation_goes_live_with_it(
    portal: Portal, _frozen: time_machine.Traveller
) -> None:
    doc, interpretation = schedule_pair(portal)
    doc_revision = Revision.objects.get(pk=reload(doc).get_latest_revision().pk)
    _frozen.move_to(LATER + dt.timedelta(minutes=1))

    doc_revision.publish(log_action="wagtail.publish.scheduled")  # what the command does

    assert (reload(doc).live, reload(interpretation).live) == (True, True)


def test_a_document_whose_interpretation_was_unscheduled_does_not_go_live_at_the_time(
    portal: Portal, _frozen: time_machine.Traveller
) -> None:
    doc, interpretation = schedule_pair(portal)
    interp_revision = Revision.objects.get(pk=reload(interpretation).get_latest_revision().pk)

    interp_revision.approved_go_live_at = None
    interp_revision.save(update_fields=["approved_go_live_at"])

    assert scheduled_at(doc) is None
    _frozen.move_to(LATER + dt.timedelta(minutes=1))
    call_command("publish_scheduled")
    assert (reload(doc).live, reload(interpretation).live) == (False, False)


def test_unscheduling_the_document_unschedules_its_interpretations(portal: Portal) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    first = add_interpretation(portal, [doc], live=False)
    second = add_interpretation(portal, [doc], live=False, title="专家解读：春耕生产")
    for page in (doc, first, second):
        submit_and_approve(page, portal)
    policy_publish_with_interpretations(
        document=doc, interpretations=[first, second], user=portal.editor_a, go_live_at=LATER
    )
    assert [scheduled_at(p) for p in (doc, first, second)] == [LATER, LATER, LATER]

    doc_revision = Revision.objects.get(pk=reload(doc).get_latest_revision().pk)
    doc_revision.approved_go_live_at = None
    doc_revision.save(update_fields=["approved_go_live_at"])

    assert [scheduled_at(p) for p in (doc, first, second)] == [None, None, None]


def test_unscheduling_one_of_two_interpretations_keeps_the_pair_with_the_other(
    portal: Portal,
) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    first = add_interpretation(portal, [doc], live=False)
    second = add_interpretation(portal, [doc], live=False, title="专家解读：春耕生产")
    for page in (doc, first, second):
        submit_and_approve(page, portal)
    policy_publish_with_interpretations(
        document=doc, interpretations=[first, second], user=portal.editor_a, go_live_at=LATER
    )

    revision = Revision.objects.get(pk=reload(first).get_latest_revision().pk)
    revision.approved_go_live_at = None
    revision.save(update_fields=["approved_go_live_at"])

    assert [scheduled_at(p) for p in (doc, first, second)] == [LATER, None, LATER]


def test_the_admin_unschedule_button_unschedules_both(portal: Portal, client: Client) -> None:
    doc, interpretation = schedule_pair(portal)
    revision = reload(interpretation).get_latest_revision()
    client.force_login(portal.editor_a)

    response = client.post(
        reverse("wagtailadmin_pages:revisions_unschedule", args=[interpretation.pk, revision.pk])
    )

    assert response.status_code == 302
    assert (scheduled_at(doc), scheduled_at(interpretation)) == (None, None)


def test_moving_the_interpretation_alone_to_another_time_is_refused(portal: Portal) -> None:
    _doc, interpretation = schedule_pair(portal)
    revision = Revision.objects.get(pk=reload(interpretation).get_latest_revision().pk)
    revision.approved_go_live_at = LATER + dt.timedelta(hours=2)

    with pytest.raises(ReviewError) as error:
        revision.save(update_fields=["approved_go_live_at"])

    assert "不能单独改期" in str(error.value)
    assert scheduled_at(interpretation) == LATER


def test_once_an_interpretation_is_live_the_document_may_be_scheduled_alone(
    portal: Portal,
) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    add_interpretation(portal, [doc], live=True)
    submit_and_approve(doc, portal)

    page_publish_approved(page=doc, user=portal.editor_a, go_live_at=LATER)

    assert scheduled_at(doc) == LATER


def test_an_ordinary_document_is_scheduled_alone_as_usual(portal: Portal) -> None:
    doc = add_document(portal, live=False)
    submit_and_approve(doc, portal)
    page_publish_approved(page=doc, user=portal.editor_a, go_live_at=LATER)
    assert scheduled_at(doc) == LATER


# --- The admin screen 与解读一并发布 ---------------------------------------------------------


def screen_url(page: PolicyDocumentPage) -> str:
    return reverse("govportal_disclosure:publish_together", args=[page.pk])


def test_the_admin_screen_schedules_both_for_the_time_given(portal: Portal, client: Client) -> None:
    doc, interpretation = approved_pair(portal)
    client.force_login(portal.editor_a)
    local = timezone.localtime(LATER)

    response = client.post(
        screen_url(doc),
        {
            "interpretations": [interpretation.pk],
            "proofread": "on",
            "go_live_at": local.strftime("%Y-%m-%d %H:%M"),
        },
        follow=True,
    )

    assert f"将于 {local:%Y-%m-%d %H:%M} 一并发布" in response.content.decode()
    assert (scheduled_at(doc), scheduled_at(interpretation)) == (LATER, LATER)
    screen = client.get(screen_url(doc)).content.decode()
    assert "已定时" in screen
    assert interpretation.title in screen


def test_the_admin_screen_refuses_a_past_time_and_keeps_the_input(
    portal: Portal, client: Client
) -> None:
    doc, interpretation = approved_pair(portal)
    client.force_login(portal.editor_a)

    response = client.post(
        screen_url(doc),
        {
            "interpretations": [interpretation.pk],
            "proofread": "on",
            "go_live_at": "2020-01-01 09:00",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "定时发布时间须晚于当前时间" in html
    assert "2020-01-01 09:00" in html
    assert (scheduled_at(doc), scheduled_at(interpretation)) == (None, None)
    assert (reload(doc).live, reload(interpretation).live) == (False, False)


def test_the_admin_screen_refuses_a_malformed_time_in_chinese(
    portal: Portal, client: Client
) -> None:
    doc, interpretation = approved_pair(portal)
    client.force_login(portal.editor_a)

    response = client.post(
        screen_url(doc),
        {"interpretations": [interpretation.pk], "proofread": "on", "go_live_at": "明天早上"},
    )

    assert "请填写有效的日期和时间" in response.content.decode()
    assert (reload(doc).live, reload(interpretation).live) == (False, False)
