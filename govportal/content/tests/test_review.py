"""先审后发、审发分离、一事一审: the review services and the publishing guard, path by path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision, Task, WorkflowState

from govportal.accounts.roles import Role
from govportal.content.models import (
    ArticlePage,
    GroupReviewTask,
    ReviewApproval,
    ReviewEvent,
    UnitReviewTask,
)
from govportal.content.models.review import AppendOnlyError
from govportal.content.review import (
    ReviewError,
    column_workflow_set,
    content_findings,
    emergency_approve,
    emergency_pending,
    page_emergency_publish,
    page_publish_approved,
    page_withdraw,
    review_approve,
    review_bypass,
    review_reject,
    review_submit,
    revision_digest,
)
from govportal.core.models import UnitRole
from govportal.testing import Portal, UserFactory, add_article

# Planted problems the content checks must catch (a valid resident ID number, a classified
# marking, a word of the starter lexicon's neutral sensitive entries, a link to a page that does
# not exist) and a typo that only warns.
ID_NUMBER = "110101199003074514"
CLASSIFIED = "绝密★"
SENSITIVE = "测试敏感词甲"
DEAD_LINK = '<a linktype="page" id="999999">相关通知</a>'
TYPO = "按装"
PLANTED = {
    "id_number": f"联系人身份证号 {ID_NUMBER}，请核对。",
    "sensitive_word": f"会上提到{SENSITIVE}。",
    "classified_marking": f"{CLASSIFIED} 内部文件摘录。",
    "dead_link": f"详见{DEAD_LINK}。",
}

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


# --- Helpers -------------------------------------------------------------------------------------


def draft(
    portal: Portal, *, summary: str = "区政府召开常务会议。", column: Any = None
) -> ArticlePage:
    """An editor's new, unpublished article with one revision by editor_a."""
    column = column or portal.news
    article = ArticlePage(
        title="区政府常务会议召开",
        slug=f"draft-{ArticlePage.objects.count() + 1}",
        pub_date=timezone.now(),
        source="区政府办公室",
        summary=summary,
        live=False,
        owner=portal.editor_a,
    )
    column.add_child(instance=article)
    article.save_revision(user=portal.editor_a)
    return article


def edit(page: Page, user: Any, **fields: Any) -> Revision:
    page = page.specific.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(page, name, value)
    return page.save_revision(user=user)


def warning_keys(page: Page) -> list[str]:
    revision = page.specific.get_latest_revision()
    return [f.key for f in content_findings(revision.as_object()) if not f.is_blocking]


def approve(page: Page, user: Any, **kwargs: Any) -> ReviewApproval | None:
    page = Page.objects.get(pk=page.pk).specific
    kwargs.setdefault("acknowledged", warning_keys(page))
    return review_approve(
        task_state=page.current_workflow_task_state,
        user=user,
        revision=page.get_latest_revision(),
        **kwargs,
    )


def reload(page: Page) -> Any:
    return Page.objects.get(pk=page.pk).specific


def actions(page: Page) -> list[str]:
    return list(
        ReviewEvent.objects.filter(page=page).order_by("at", "pk").values_list("action", flat=True)
    )


def second_reviewer(portal: Portal) -> Any:
    group = portal.unit_a.role_groups.get(role=UnitRole.REVIEWER).group
    user = UserFactory.create(username="reviewer_a2", unit=portal.unit_a)
    user.groups.add(group)
    return user


@pytest.fixture
def superuser(db: None) -> Any:
    return UserFactory.create(username="root", is_superuser=True, is_staff=True)


# --- The normal flow -----------------------------------------------------------------------------


def test_the_last_approval_marks_the_revision_approved_but_does_not_publish_it(
    portal: Portal,
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)

    approval = approve(page, portal.reviewer_a)

    page = reload(page)
    assert approval is not None
    assert approval.revision_id == page.latest_revision_id
    assert page.live is False
    assert page.current_workflow_state is None  # the review is over


def test_the_editor_publishes_the_approved_revision_and_the_trail_shows_every_step(
    portal: Portal,
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)

    page_publish_approved(page=page, user=portal.editor_a)

    page = reload(page)
    assert page.live is True
    assert page.live_revision_id == page.latest_revision_id
    assert actions(page) == ["submit", "approve_step", "approve", "publish"]
    submit, step, final, publish = ReviewEvent.objects.filter(page=page).order_by("at", "pk")
    assert submit.actor == portal.editor_a
    assert step.actor == final.actor == portal.reviewer_a
    assert publish.actor == portal.editor_a
    assert {e.revision_id for e in (submit, step, final, publish)} == {page.live_revision_id}


def test_a_reviewer_of_another_unit_cannot_approve(portal: Portal) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    other = UserFactory.create(username="reviewer_b", unit=portal.unit_b)
    other.groups.add(portal.unit_b.role_groups.get(role=UnitRole.REVIEWER).group)

    with pytest.raises(ReviewError, match="不是该审核步骤的审核人员"):
        approve(page, other)


def test_superusers_are_not_reviewers_by_virtue_of_being_superusers(
    portal: Portal, superuser: Any
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)

    with pytest.raises(ReviewError, match="不是该审核步骤的审核人员"):
        approve(page, superuser)


def test_sending_back_needs_a_comment_and_the_resubmission_is_reviewed_again(
    portal: Portal,
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    state = reload(page).current_workflow_task_state

    with pytest.raises(ReviewError, match="须填写意见"):
        review_reject(task_state=state, user=portal.reviewer_a, comment=" ")
    review_reject(task_state=state, user=portal.reviewer_a, comment="标题不规范，请修改。")

    assert reload(page).current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    edit(page, portal.editor_a, title="区政府召开第十次常务会议")
    reload(page).current_workflow_state.resume(portal.editor_a)
    approval = approve(page, portal.reviewer_a)
    assert approval is not None
    assert approval.revision_id == reload(page).latest_revision_id
    assert "reject" in actions(page)


# --- Separation of duties (审发分离) ------------------------------------------------------------


def test_a_reviewer_cannot_approve_an_item_they_edited(portal: Portal) -> None:
    page = draft(portal)
    edit(page, portal.reviewer_a, summary="审核人员改写了摘要。")
    review_submit(page=page, user=portal.editor_a)

    with pytest.raises(ReviewError, match="不能审核本人编辑或提交的稿件"):
        approve(page, portal.reviewer_a)
    assert reload(page).live is False
    refused = ReviewEvent.objects.get(page=page, action="approve_refused")
    assert refused.actor == portal.reviewer_a

    assert approve(page, second_reviewer(portal)) is not None


def test_someone_who_is_both_editor_and_reviewer_cannot_approve_their_own_submission(
    portal: Portal,
) -> None:
    both = UserFactory.create(username="both", unit=portal.unit_a)
    both.groups.add(
        *[g.group for g in portal.unit_a.role_groups.all()]  # editor and reviewer of unit A
    )
    page = draft(portal)
    edit(page, both, summary="既编辑又审核的人改过的稿件。")
    review_submit(page=page, user=both)

    with pytest.raises(ReviewError, match="审发分离"):
        approve(page, both)


def test_the_reviewer_who_approved_cannot_publish_the_item(portal: Portal) -> None:
    # The operator approves the second step and holds publish rights everywhere.
    page = draft(portal)
    column_workflow_set(
        column=portal.news,
        name="二审",
        tasks=[
            UnitReviewTask.objects.get(name="责任单位审核"),
            group_task("运维审核", Role.OPERATOR),
        ],
    )
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    approve(page, portal.operator)

    with pytest.raises(ReviewError, match="审发分离"):
        page_publish_approved(page=page, user=portal.operator)
    page_publish_approved(page=page, user=portal.editor_a)
    assert reload(page).live is True


def test_a_reviewer_has_no_right_to_publish(portal: Portal) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, second_reviewer(portal))

    with pytest.raises(ReviewError, match="没有发布该页面的权限"):
        page_publish_approved(page=page, user=portal.reviewer_a)


# --- Re-approval on edit ---------------------------------------------------------------------------


def test_an_edit_after_approval_needs_a_new_approval(portal: Portal) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    edit(page, portal.editor_a, title="校对时改了标题")

    with pytest.raises(ReviewError, match="尚未审核通过"):
        page_publish_approved(page=page, user=portal.editor_a)
    # Nor can the approved older revision be forced out with the new title.
    page = reload(page)
    approved = ReviewApproval.objects.get(page=page).revision
    page.title = "校对时改了标题"
    page.live = True
    page.live_revision = approved
    with pytest.raises(ReviewError, match="不一致"):
        page.save()

    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    page_publish_approved(page=page, user=portal.editor_a)
    assert reload(page).title == "校对时改了标题"


def test_a_review_of_an_older_revision_is_refused_after_the_text_changed(
    portal: Portal,
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    seen = reload(page).get_latest_revision()
    other = second_reviewer(portal)
    edit(page, other, summary="另一位审核人员改了摘要。")

    with pytest.raises(ReviewError, match="已修改"):
        review_approve(
            task_state=reload(page).current_workflow_task_state,
            user=portal.reviewer_a,
            revision=seen,
        )


# --- Three review steps per column -----------------------------------------------------------------


def group_task(name: str, *group_names: str) -> GroupReviewTask:
    from django.contrib.auth.models import Group

    task = GroupReviewTask.objects.create(name=name)
    task.groups.set(Group.objects.filter(name__in=group_names))
    return task


def test_a_three_step_column_needs_three_approvals_by_three_people(portal: Portal) -> None:
    from django.contrib.auth.models import Group

    leader = UserFactory.create(username="leader")
    leader.groups.add(Group.objects.create(name="分管领导"))
    column_workflow_set(
        column=portal.notices,
        name="三审",
        tasks=[
            UnitReviewTask.objects.get(name="责任单位审核"),
            group_task("运维审核", Role.OPERATOR),
            group_task("领导审核", "分管领导"),
        ],
    )
    editor_b = portal.editor_b
    reviewer_b = UserFactory.create(username="reviewer_b", unit=portal.unit_b)
    reviewer_b.groups.add(portal.unit_b.role_groups.get(role=UnitRole.REVIEWER).group)
    page = draft(portal, column=portal.notices)
    edit(page, editor_b, title="关于开展安全检查的通知")
    review_submit(page=page, user=editor_b)

    assert approve(page, reviewer_b) is None
    with pytest.raises(ReviewError, match="不是该审核步骤的审核人员"):
        approve(page, reviewer_b)  # step two is the operator's
    assert approve(page, portal.operator) is None
    with pytest.raises(ReviewError):
        page_publish_approved(page=page, user=editor_b)  # two of three steps are not enough
    approval = approve(page, leader)

    assert approval is not None
    assert sorted(approval.approvers) == sorted([reviewer_b.pk, portal.operator.pk, leader.pk])
    page_publish_approved(page=page, user=editor_b)
    assert reload(page).live is True


def test_an_edit_in_the_middle_of_three_steps_starts_the_review_again(portal: Portal) -> None:
    column_workflow_set(
        column=portal.news,
        name="二审",
        tasks=[
            UnitReviewTask.objects.get(name="责任单位审核"),
            group_task("运维审核", Role.OPERATOR),
        ],
    )
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    # The second-step reviewer corrects a word: the first step must approve it again.
    other = second_reviewer(portal)
    edit(page, other, summary="改过的摘要。")
    approve(page, portal.operator)

    page = reload(page)
    assert page.current_workflow_task_state.task.specific_class is UnitReviewTask
    assert not ReviewApproval.objects.filter(page=page).exists()


def test_a_column_has_one_to_three_steps(portal: Portal) -> None:
    task = UnitReviewTask.objects.get(name="责任单位审核")
    with pytest.raises(ValueError):
        column_workflow_set(column=portal.news, name="四审", tasks=[task] * 4)


# --- Content checks gate -------------------------------------------------------------------------


@pytest.mark.parametrize("planted", [ID_NUMBER, CLASSIFIED])
def test_blocking_findings_stop_submission_and_the_refusal_is_recorded(
    portal: Portal, planted: str
) -> None:
    page = draft(portal, summary=f"附：{planted}")

    with pytest.raises(ReviewError, match="禁止发布"):
        review_submit(page=page, user=portal.editor_a)

    assert reload(page).workflow_in_progress is False
    refused = ReviewEvent.objects.get(page=page, action="submit_refused")
    assert planted in [f["match"] for f in refused.findings]


def test_blocking_findings_in_the_body_html_stop_submission(portal: Portal) -> None:
    page = draft(portal)
    revision = edit(
        page,
        portal.editor_a,
        body=[("paragraph", f"<p>联系人身份证号 {ID_NUMBER}，请核对。</p>")],
    )
    assert revision.pk

    with pytest.raises(ReviewError, match="正文"):
        review_submit(page=page, user=portal.editor_a)


def test_warnings_must_be_acknowledged_and_the_acknowledgement_is_recorded(
    portal: Portal,
) -> None:
    page = draft(portal, summary=f"请{TYPO}新版软件。")
    review_submit(page=page, user=portal.editor_a)
    keys = warning_keys(page)
    assert keys, "the typo should give a warning"

    with pytest.raises(ReviewError, match="逐条确认"):
        approve(page, portal.reviewer_a, acknowledged=[])
    approve(page, portal.reviewer_a, acknowledged=keys)

    final = ReviewEvent.objects.get(page=page, action="approve")
    assert final.acknowledged == keys
    assert TYPO in final.acknowledged_text
    assert [f["match"] for f in final.findings] == [TYPO]


# --- Done when: a planted problem never goes online ----------------------------------------------


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_a_planted_problem_never_goes_online_by_any_path(
    portal: Portal, superuser: Any, kind: str
) -> None:
    page = draft(portal)
    with time_machine.travel(NOW, tick=False):
        edit(page, portal.editor_a, body=[("paragraph", f"<p>{PLANTED[kind]}</p>")])
    revision = reload(page).get_latest_revision()

    with pytest.raises(ReviewError, match="禁止发布"):
        review_submit(page=page, user=portal.editor_a)
    for person in (portal.editor_a, portal.reviewer_a, portal.operator, superuser):
        with pytest.raises(PermissionDenied):  # ReviewError, or Wagtail's own refusal
            revision.publish(user=person)
        with pytest.raises(ReviewError):
            page_publish_approved(page=page, user=person)
    with pytest.raises(ReviewError, match="只有运维监管"):
        page_emergency_publish(page=page, user=portal.editor_a, reason="突发事件")
    with pytest.raises(ReviewError, match="禁止发布"):
        page_emergency_publish(page=page, user=portal.operator, reason="突发事件")
    # Scheduled publishing, even with an approval forged in the shell.
    with time_machine.travel(NOW, tick=False):
        scheduled = reload(page)
        scheduled.go_live_at = NOW + dt.timedelta(hours=1)
        with pytest.raises(ReviewError):
            scheduled.save_revision(user=portal.editor_a).publish(user=portal.editor_a)
    ReviewApproval.objects.create(
        page=page,
        revision=revision,
        approved_by=portal.reviewer_a,
        approvers=[portal.reviewer_a.pk],
        content_hash=revision_digest(revision),
    )
    with pytest.raises(ReviewError, match="禁止发布"):
        revision.publish(user=portal.editor_a)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        call_command("publish_scheduled")

    assert reload(page).live is False
    assert ReviewEvent.objects.filter(page=page, action="submit_refused").exists()
    assert ReviewEvent.objects.filter(page=page, action="emergency_refused").count() == 2


# --- The guard: every other path to publishing ----------------------------------------------------


def test_revision_publish_of_an_unapproved_revision_is_refused(portal: Portal) -> None:
    page = draft(portal, summary=f"附件：{CLASSIFIED}文件")

    with pytest.raises(ReviewError, match="先审后发"):
        reload(page).get_latest_revision().publish(user=portal.editor_a)
    assert reload(page).live is False


def test_a_superuser_cannot_publish_in_the_normal_flow(portal: Portal, superuser: Any) -> None:
    page = draft(portal)

    with pytest.raises(ReviewError):
        reload(page).save_revision(user=superuser).publish(user=superuser)
    with pytest.raises(ReviewError):
        page_publish_approved(page=page, user=superuser)
    assert reload(page).live is False


def test_a_new_page_cannot_be_created_live(portal: Portal) -> None:
    article = ArticlePage(title="直接上线", slug="straight", pub_date=timezone.now(), live=True)

    with pytest.raises(ReviewError):
        portal.news.add_child(instance=article)
    assert not ArticlePage.objects.filter(slug="straight").exists()


def test_changing_a_live_page_in_place_is_refused(portal: Portal) -> None:
    page = add_article(portal.news, "已发布的新闻")
    page.summary = f"联系人身份证号 {ID_NUMBER}"

    with pytest.raises(ReviewError):
        page.save()
    assert reload(page).summary == ""


def test_an_approval_does_not_cover_a_planted_problem_the_checks_find_at_publishing(
    portal: Portal,
) -> None:
    # A forged approval record (e.g. made in the shell) does not beat the checks.
    page = draft(portal, summary=f"身份证号 {ID_NUMBER}")
    revision = reload(page).get_latest_revision()
    ReviewApproval.objects.create(
        page=page,
        revision=revision,
        approved_by=portal.reviewer_a,
        approvers=[portal.reviewer_a.pk],
        content_hash=revision_digest(revision),
    )

    with pytest.raises(ReviewError, match="禁止发布"):
        revision.publish(user=portal.editor_a)
    assert reload(page).live is False


def test_an_approval_lapses_when_the_revision_content_is_altered(portal: Portal) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    revision = reload(page).get_latest_revision()
    revision.content["summary"] = "审核后被改动的摘要"
    revision.save()

    with pytest.raises(ReviewError):
        revision.publish(user=portal.editor_a)


def test_moving_and_archiving_live_pages_and_changing_responsibility_need_no_review(
    portal: Portal,
) -> None:
    from govportal.content.services import page_archive

    page = add_article(portal.news, "已发布的新闻")
    page.move(portal.notices, pos="last-child")
    page_archive(page=reload(page), user=portal.operator)
    column = reload(portal.news)
    column.responsible_units.set([portal.unit_b])
    column.save()

    assert reload(page).live is True


# --- Scheduled publishing --------------------------------------------------------------------------


def test_scheduled_publishing_puts_the_approved_revision_online_at_its_time(
    portal: Portal,
) -> None:
    with time_machine.travel(NOW, tick=False):
        page = draft(portal)
        review_submit(page=page, user=portal.editor_a)
        approve(page, portal.reviewer_a)
        page_publish_approved(
            page=page, user=portal.editor_a, go_live_at=NOW + dt.timedelta(hours=2)
        )
        assert reload(page).live is False
        assert actions(page)[-1] == "schedule"

    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        call_command("publish_scheduled")
    assert reload(page).live is True


def test_an_unapproved_revision_cannot_be_scheduled_by_any_path(portal: Portal) -> None:
    with time_machine.travel(NOW, tick=False):
        page = draft(portal, summary=f"附：{CLASSIFIED}")
        later = NOW + dt.timedelta(hours=1)
        page = reload(page)
        page.go_live_at = later
        with pytest.raises(ReviewError, match="定时发布"):
            page.save_revision(user=portal.editor_a).publish(user=portal.editor_a)
        revision = reload(page).get_latest_revision()
        revision.approved_go_live_at = later
        with pytest.raises(ReviewError, match="定时发布"):
            revision.save()

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        call_command("publish_scheduled")
    assert reload(page).live is False


# --- Emergency publishing (第十条(四)) ----------------------------------------------------------


def test_only_the_operator_may_publish_in_an_emergency(portal: Portal, superuser: Any) -> None:
    page = draft(portal)

    for person in (portal.editor_a, portal.reviewer_a, superuser, portal.auditor):
        with pytest.raises(ReviewError, match="只有运维监管"):
            page_emergency_publish(page=page, user=person, reason="突发事件通报")
    assert reload(page).live is False
    assert ReviewEvent.objects.filter(page=page, action="emergency_refused").count() == 4


def test_an_emergency_publication_needs_a_reason_and_still_refuses_blocking_findings(
    portal: Portal,
) -> None:
    page = draft(portal, summary=f"附：{ID_NUMBER}")

    with pytest.raises(ReviewError, match="理由"):
        page_emergency_publish(page=page, user=portal.operator, reason="")
    with pytest.raises(ReviewError, match="禁止发布"):
        page_emergency_publish(page=page, user=portal.operator, reason="网络谣言辟谣")
    assert reload(page).live is False


def test_an_emergency_publication_stays_pending_until_another_person_approves_it(
    portal: Portal,
) -> None:
    page = draft(portal, summary="关于网传停水消息的辟谣说明。")

    approval = page_emergency_publish(page=page, user=portal.operator, reason="网络谣言辟谣")

    assert reload(page).live is True
    assert list(emergency_pending()) == [approval]
    with pytest.raises(ReviewError, match="紧急发布人以外"):
        emergency_approve(approval=approval, user=portal.operator)
    with pytest.raises(ReviewError, match="本人编辑"):
        emergency_approve(approval=approval, user=portal.editor_a)
    assert list(emergency_pending()) == [approval]

    emergency_approve(approval=approval, user=portal.reviewer_a, comment="内容属实。")

    assert list(emergency_pending()) == []
    done = [a for a in actions(page) if a.startswith("emergency")]
    assert done == ["emergency_publish", "emergency_approve"]


# --- Withdrawal (撤稿) --------------------------------------------------------------------------


def test_withdrawal_takes_the_page_off_the_site_and_logs_reason_and_person(
    portal: Portal,
) -> None:
    page = draft(portal)
    review_submit(page=page, user=portal.editor_a)
    approve(page, portal.reviewer_a)
    page_publish_approved(page=page, user=portal.editor_a)

    with pytest.raises(ReviewError, match="理由"):
        page_withdraw(page=page, user=portal.editor_a, reason="")
    page_withdraw(page=page, user=portal.editor_a, reason="数据有误，核实后重发。")

    page = reload(page)
    assert page.live is False
    event = ReviewEvent.objects.get(page=page, action="withdraw")
    assert (event.actor, event.comment) == (portal.editor_a, "数据有误，核实后重发。")
    # Publishing the withdrawn text again needs a new review.
    with pytest.raises(ReviewError):
        page.get_latest_revision().publish(user=portal.editor_a)


def test_only_people_with_publish_rights_or_the_operator_may_withdraw(portal: Portal) -> None:
    page = add_article(portal.news, "已发布的新闻")

    for person in (portal.reviewer_a, portal.editor_b, portal.auditor):
        with pytest.raises(ReviewError, match="没有撤下"):
            page_withdraw(page=page, user=person, reason="测试")
    page_withdraw(page=page, user=portal.operator, reason="过时信息")
    assert reload(page).live is False


# --- The trail ------------------------------------------------------------------------------------


def test_pages_put_online_by_system_jobs_are_in_the_trail_with_the_reason(
    portal: Portal,
) -> None:
    page = add_article(portal.news, "测试数据文章")

    event = ReviewEvent.objects.get(page=page, action="bypass")
    assert event.comment == "测试数据"
    assert event.actor is None


def test_a_bypass_needs_a_reason(db: None) -> None:
    with pytest.raises(ValueError), review_bypass(reason=" "):
        pass


def test_trail_records_cannot_be_changed_or_deleted(portal: Portal) -> None:
    event = ReviewEvent.objects.filter(action="bypass").first()
    assert event is not None

    event.comment = "改写"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ReviewEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ReviewEvent.objects.update(comment="改写")


def test_the_default_workflow_is_one_review_by_the_responsible_unit(portal: Portal) -> None:
    workflow = portal.news.get_workflow()

    assert workflow is not None
    assert [t.specific_class for t in workflow.tasks] == [UnitReviewTask]
    assert isinstance(Task.objects.get(name="责任单位审核").specific, UnitReviewTask)


def test_a_workflow_that_ends_without_a_reviewer_approves_and_publishes_nothing(
    portal: Portal,
) -> None:
    page = draft(portal)
    state = review_submit(page=page, user=portal.editor_a)

    # WAGTAIL_FINISH_WORKFLOW_ACTION routes Wagtail's own finish to our hand-over.
    state.on_finish(user=portal.editor_a)

    assert reload(page).live is False
    assert not ReviewApproval.objects.filter(page=page).exists()
    assert "workflow_finished" in actions(page)


def test_every_page_form_runs_the_checks_on_submission(monkeypatch: pytest.MonkeyPatch) -> None:
    from wagtail.admin.forms import WagtailAdminPageForm

    from govportal.content.apps import review_form_check

    assert review_form_check() == []
    monkeypatch.setattr(ArticlePage, "base_form_class", WagtailAdminPageForm)
    assert [e.id for e in review_form_check()] == ["govportal.review.E001"]
