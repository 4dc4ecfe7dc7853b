"""Admin screens of the mailbox part (loaded by interaction/wagtail_hooks.py).

区长信箱 menu item for the operator and unit staff, the queues and the message screen
(admin_views), a dashboard panel with today's work and the same-day goal (第十三条: 力争当日有效
回复), and the reply periods and rejection reasons as snippets for the operator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from govportal.interaction.mailbox import admin_views, services
from govportal.interaction.models import (
    ExtensionRequest,
    Message,
    MessageTypeRule,
    RejectReason,
    ReplyDraft,
)
from govportal.lib.workdays import CalendarDataMissing


class MessageTypeRuleViewSet(SnippetViewSet):
    model = MessageTypeRule
    icon = "time"
    menu_label = "答复时限"
    list_display = ["message_type", "reply_days"]


class RejectReasonViewSet(SnippetViewSet):
    model = RejectReason
    icon = "cross"
    menu_label = "不予受理理由"
    list_display = ["name", "sort_order", "active"]


class MailboxSettingsGroup(SnippetViewSetGroup):
    menu_label = "信箱设置"
    menu_icon = "cog"
    menu_order = 321
    items = (MessageTypeRuleViewSet, RejectReasonViewSet)


register_snippet(MailboxSettingsGroup)


@hooks.register("register_admin_urls")
def mailbox_admin_urls() -> list[Any]:
    return [
        path("mailbox/", include((admin_views.admin_urlpatterns(), admin_views.NAMESPACE))),
    ]


class MailboxMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return services.is_operator(user) or getattr(user, "unit_id", None) is not None


@hooks.register("register_admin_menu_item")
def mailbox_menu_item() -> MenuItem:
    return MailboxMenuItem(
        "区长信箱", reverse(f"{admin_views.NAMESPACE}:queue"), icon_name="mail", order=320
    )


def _url(queue: str, **filters: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"queue": queue, **filters}.items())
    return f"{reverse(f'{admin_views.NAMESPACE}:queue')}?{query}"


def panel_lines(user: Any, today: dt.date) -> list[tuple[str, int, str, bool]]:
    """(label, count, link, loud) lines of the dashboard panel for this user."""
    open_ = services.open_messages()
    if services.is_operator(user):
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        received_today = Message.objects.filter(received_at__gte=start)
        pending = ExtensionRequest.objects.filter(
            message=OuterRef("pk"), state=ExtensionRequest.State.PENDING
        )
        return [
            ("待受理", open_.filter(status=Message.Status.NEW).count(), _url("new"), True),
            (
                "待转办",
                open_.filter(status=Message.Status.ACCEPTED).count(),
                _url("accepted"),
                True,
            ),
            (
                "已超期未答复",
                open_.filter(due_on__lt=today, info_requested_at__isnull=True).count(),
                _url("all", deadline="overdue"),
                True,
            ),
            (
                "已督办未办结",
                open_.filter(escalated_at__isnull=False).count(),
                _url("escalated"),
                True,
            ),
            (
                "延期待审批",
                Message.objects.filter(Exists(pending)).count(),
                _url("extensions"),
                True,
            ),
            (
                "待审核公开",
                Message.objects.filter(publication=Message.Publication.HELD).count(),
                _url("held"),
                True,
            ),
            ("今日收到", received_today.count(), _url("all"), False),
            (
                "今日收到并已当日答复（目标：当日答复）",
                received_today.filter(
                    status=Message.Status.ANSWERED, answered_at__gte=start
                ).count(),
                _url("all"),
                False,
            ),
        ]
    mine = services.messages_for_staff(user).filter(status=Message.Status.HANDLING)
    next_day = admin_views._next_workday(today) or today
    lines = [
        ("本单位待办", mine.count(), _url("todo"), False),
        (
            "即将到期",
            mine.filter(
                due_on__gte=today, due_on__lte=next_day, info_requested_at__isnull=True
            ).count(),
            _url("todo", deadline="due_soon"),
            True,
        ),
        (
            "已超期",
            mine.filter(due_on__lt=today, info_requested_at__isnull=True).count(),
            _url("todo", deadline="overdue"),
            True,
        ),
        (
            "已收到到期提醒、尚未答复",
            mine.filter(reminded_at__isnull=False).count(),
            _url("todo", deadline="due_soon"),
            True,
        ),
    ]
    submitted = ReplyDraft.objects.filter(
        message=OuterRef("pk"), unit_id=user.unit_id, state=ReplyDraft.State.SUBMITTED
    )
    lines.append(("待审核答复", mine.filter(Exists(submitted)).count(), _url("review"), True))
    return lines


class MailboxPanel(Component):  # type: ignore[misc]
    name = "mailbox"
    template_name = "interaction/mailbox/admin/panel.html"
    order = 95

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        today = timezone.localdate()
        problem = ""
        if services.open_messages().filter(due_on__isnull=True).exists():
            try:
                admin_views.workday_calendar().add(today, 5)
                problem = "有留言的答复期限尚未计算，请运行 manage.py mailbox_remind。"
            except CalendarDataMissing as exc:
                problem = f"有留言无法计算答复期限：{exc}"
        return {"lines": panel_lines(self.user, today), "calendar_problem": problem}


@hooks.register("construct_homepage_panels")
def mailbox_panel(request: HttpRequest, panels: list[Any]) -> None:
    user: Any = request.user
    if services.is_operator(user) or getattr(user, "unit_id", None) is not None:
        panels.append(MailboxPanel(user))
