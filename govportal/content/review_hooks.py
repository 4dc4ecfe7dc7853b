"""Wagtail admin hooks of the review workflow (imported from ContentConfig.ready()).

The admin's own publish and unpublish buttons are taken away: publishing happens through
"发布已审核版本" (after review), "紧急发布" (operator) and "撤稿" (with a reason). Requests that
still ask for Wagtail's publish (a crafted form, a bulk action, copying with "publish copies")
are turned into a draft or refused with a message. The model-level guard
(`review.guard_page_save`) stays the last line whatever happens here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

from govportal.content import review_findings, review_views  # noqa: F401  (内容检查 hooks)
from govportal.content.review import (
    approved_revision,
    is_auditor,
    is_operator,
    submission_record,
    user_can_publish,
    user_can_withdraw,
)

NAMESPACE = "govportal_review"
WAGTAIL_PUBLISH_ACTIONS = ("action-publish",)
SUBMIT_ACTIONS = review_views.SUBMIT_ACTIONS


@hooks.register("register_admin_urls")
def register_review_urls() -> list[Any]:
    return [path("review/", include((review_views.admin_urlpatterns(), NAMESPACE)))]


@hooks.register("register_admin_viewset")
def register_review_trail() -> Any:
    return review_views.ReviewEventViewSet("review_trail")


@hooks.register("register_log_actions")
def register_review_log_actions(actions: Any) -> None:
    actions.register_action("govportal.review.approve", "终审通过", "终审通过")


# --- The page editor's action menu ---------------------------------------------------------------


class ReviewLinkMenuItem(ActionMenuItem):  # type: ignore[misc]
    def __init__(self, *, name: str, label: str, url: str, icon: str, order: int) -> None:
        super().__init__(order=order)
        self.name = name
        self.label = label
        self.url = url
        self.icon_name = icon

    def get_url(self, parent_context: Any) -> str:
        return self.url


def review_menu_items(request: HttpRequest, page: Page) -> list[ReviewLinkMenuItem]:
    user = request.user
    items = []
    task_state = page.current_workflow_task_state
    if task_state is not None and task_state.task.specific.user_can_review(page, user):
        items.append(
            ReviewLinkMenuItem(
                name="review-task",
                label="审核",
                url=reverse(f"{NAMESPACE}:task", args=[task_state.pk]),
                icon="tasks",
                order=5,
            )
        )
    if user_can_publish(page, user) and approved_revision(page) is not None:
        items.append(
            ReviewLinkMenuItem(
                name="review-publish",
                label="校对并发布已审核版本",
                url=reverse(f"{NAMESPACE}:publish", args=[page.pk]),
                icon="upload",
                order=6,
            )
        )
    if page.live and user_can_withdraw(page, user):
        items.append(
            ReviewLinkMenuItem(
                name="review-withdraw",
                label="撤稿",
                url=reverse(f"{NAMESPACE}:withdraw", args=[page.pk]),
                icon="download",
                order=70,
            )
        )
    if is_operator(user):
        items.append(
            ReviewLinkMenuItem(
                name="review-emergency",
                label="紧急发布",
                url=reverse(f"{NAMESPACE}:emergency", args=[page.pk]),
                icon="warning",
                order=80,
            )
        )
    return items


@hooks.register("construct_page_action_menu")
def replace_publish_menu_items(menu_items: list[Any], request: HttpRequest, context: Any) -> None:
    menu_items[:] = [
        item for item in menu_items if item.name not in ("action-publish", "action-unpublish")
    ]
    page = context.get("page")
    if context.get("view") == "edit" and page is not None:
        menu_items.extend(review_menu_items(request, page.specific))
        menu_items.sort(key=lambda item: item.order)


# --- Requests for Wagtail's own publishing --------------------------------------------------------


def _strip_publish(request: HttpRequest) -> None:
    if request.method == "POST" and any(request.POST.get(a) for a in WAGTAIL_PUBLISH_ACTIONS):
        post = request.POST.copy()
        for action in WAGTAIL_PUBLISH_ACTIONS:
            post.pop(action, None)
        request.POST = post  # type: ignore[assignment]
        messages.warning(
            request, "页面已保存为草稿：发布须先提交审核，审核通过后由编辑校对发布（先审后发）。"
        )


@hooks.register("before_create_page")
def create_never_publishes(request: HttpRequest, parent_page: Page, page_class: Any) -> None:
    _strip_publish(request)


@hooks.register("before_edit_page")
def edit_never_publishes(request: HttpRequest, page: Page) -> None:
    _strip_publish(request)


@hooks.register("before_publish_page")
def refuse_direct_publish(request: HttpRequest, page: Page) -> HttpResponse:
    # Reached only if a publish request got past the hooks above; the draft is kept.
    messages.error(
        request, "未经审核不能直接发布：请提交审核，审核通过后使用“校对并发布已审核版本”。"
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_unpublish_page")
def unpublish_is_withdrawal(request: HttpRequest, page: Page) -> HttpResponse:
    messages.info(request, "下线页面请使用“撤稿”，并写明理由。")
    return redirect(f"{NAMESPACE}:withdraw", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing(
    request: HttpRequest, action_type: str, objects: Any, action_class_instance: Any
) -> HttpResponse | None:
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if not pages or action_type not in ("publish", "unpublish", "delete"):
        return None
    if action_type == "delete":
        if not any(_has_live_pages(page) for page in pages):
            return None
        messages.error(request, "已发布的页面须先撤稿（写明理由）再删除。")
    elif action_type == "publish":
        messages.error(
            request, "不能批量发布：每篇稿件须单独审核通过后由编辑校对发布（一事一审）。"
        )
    else:
        messages.error(request, "不能批量下线：请逐篇撤稿并写明理由。")
    return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))


def _has_live_pages(page: Page) -> bool:
    return page.live or page.get_descendants().live().exists()


@hooks.register("before_delete_page")
def withdraw_before_delete(request: HttpRequest, page: Page) -> HttpResponse | None:
    # Deleting live pages would take content off the site without a reason in the trail.
    if _has_live_pages(page):
        messages.error(request, "已发布的页面须先撤稿（写明理由）再删除。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_copy_page")
def copies_are_drafts(request: HttpRequest, page: Page) -> HttpResponse | None:
    if request.method == "POST" and request.POST.get("publish_copies"):
        messages.error(request, "复制的页面须经审核后发布，请取消勾选“发布副本”。")
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


# --- The trail for submissions made in the editor -----------------------------------------------


def _record_admin_submission(request: HttpRequest, page: Page) -> None:
    if request.method != "POST" or not any(request.POST.get(a) for a in SUBMIT_ACTIONS):
        return
    page = page.specific
    revision = page.get_latest_revision()
    if revision is not None and page.workflow_in_progress:
        submission_record(page=page, revision=revision, user=request.user)


@hooks.register("after_edit_page")
def record_edit_submission(request: HttpRequest, page: Page) -> None:
    _record_admin_submission(request, page)


@hooks.register("after_create_page")
def record_create_submission(request: HttpRequest, page: Page) -> None:
    _record_admin_submission(request, page)


# --- Dashboard ------------------------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def review_panels(request: HttpRequest, panels: list[Any]) -> None:
    # Our queue replaces Wagtail's "awaiting your review": approving happens on our screen.
    panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
    panels.append(review_views.ReviewQueuePanel())
    if is_operator(request.user) or is_auditor(request.user):
        panels.append(review_views.EmergencyPendingPanel())
