"""Supervision services (第二十二条(一): 日监测读网、月单独提醒、季发文通报、年绩效考核;
第二十三、二十四条: 督办问责). Every state change is one keyword-only atomic function here; the
admin screens, the management commands and the tasks call the same functions.

Work orders (工单): each finding of a daily check becomes an order for the units responsible for
it (栏目责任明细表). The unit marks it fixed; the next check that no longer finds the problem
verifies it, and one that still finds it reopens it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govportal.accounts.roles import Role, user_has_role
from govportal.core.models import Unit, UnitGroup, UnitKind
from govportal.monitoring.indicators import DEFAULT_EDITION, Assessment, assess
from govportal.monitoring.models import (
    AccountabilityMeasure,
    CheckRun,
    Measurement,
    UnitReminder,
    WorkOrder,
    WorkOrderEvent,
)
from govportal.monitoring.rules import Finding

__all__ = [
    "ORDER_DEADLINE_DAYS",
    "OrderSync",
    "accountability_record",
    "daily_check",
    "duty_note_set",
    "finding_fingerprint",
    "measurements_store",
    "monthly_reminders_send",
    "orders_visible_to",
    "supervision_manager",
    "supervision_units_of",
    "work_order_fix",
    "work_orders_sync",
]

# 第二十三条 asks for 立即整改; the office gives a veto problem 5 days and any other 10 days
# (calendar days, so the deadline never depends on a holiday schedule that may be missing).
ORDER_DEADLINE_DAYS = {"veto": 5, "deduction": 10, "bonus": 10}
DEFAULT_DEADLINE_DAYS = 10


# Who sees what -----------------------------------------------------------------------------------


def supervision_manager(user: Any) -> bool:
    """The operator (运维监管, the office that supervises the site) sees and does everything."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or user_has_role(user, Role.OPERATOR)


def supervision_units_of(user: Any) -> set[int] | None:
    """The units whose work orders the user may see: None for all; raises if none.

    A unit's editors and reviewers (its groups) and the accounts attached to it see its orders.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if supervision_manager(user):
        return None
    unit_ids = set(UnitGroup.objects.filter(group__user=user).values_list("unit_id", flat=True))
    if getattr(user, "unit_id", None):
        unit_ids.add(user.unit_id)
    if not unit_ids:
        raise PermissionDenied
    return unit_ids


def orders_visible_to(user: Any) -> Any:
    unit_ids = supervision_units_of(user)
    orders = WorkOrder.objects.all()
    if unit_ids is not None:
        orders = orders.filter(units__in=unit_ids).distinct()
    return orders


# Daily check ---------------------------------------------------------------------------------------


def finding_fingerprint(rule_kind: str, finding: Finding) -> str:
    """What names a problem from one check to the next.

    A column problem (stale, empty, overdue …) is the column, whichever indicator saw it, so a
    column that is both stale and empty is one order; a problem with an address or a key (a
    broken link, a message) is that address and key within its rule kind; anything else is the
    rule kind itself (the home page not updated).
    """
    if finding.url or finding.key:
        name = f"{rule_kind}|{finding.url}|{finding.key}"
    elif finding.column_id is not None:
        name = f"column|{finding.column_id}"
    else:
        name = rule_kind
    return hashlib.sha256(name.encode()).hexdigest()


@dataclass
class OrderSync:
    opened: list[WorkOrder] = field(default_factory=list)
    reopened: list[WorkOrder] = field(default_factory=list)
    verified: list[WorkOrder] = field(default_factory=list)
    still_open: list[WorkOrder] = field(default_factory=list)


@dataclass
class _Problem:
    fingerprint: str
    indicator_code: str
    indicator_names: list[str]
    level: str
    messages: list[str]
    url: str
    column_id: int | None
    unit_ids: set[int]


def _problems(assessment: Assessment) -> dict[str, _Problem]:
    """The findings of every tested indicator, merged by fingerprint (vetoes first: the table's
    order puts them first)."""
    problems: dict[str, _Problem] = {}
    for spec in assessment.indicators:
        result = assessment.results.get(spec.code)
        if result is None or result.untested:
            continue
        for finding in result.findings:
            fp = finding_fingerprint(spec.rule_kind, finding)
            problem = problems.get(fp)
            if problem is None:
                problems[fp] = _Problem(
                    fp,
                    spec.code,
                    [spec.name],
                    spec.level,
                    [finding.message],
                    finding.url,
                    finding.column_id,
                    set(finding.unit_ids),
                )
                continue
            if spec.name not in problem.indicator_names:
                problem.indicator_names.append(spec.name)
            if finding.message not in problem.messages:
                problem.messages.append(finding.message)
            problem.unit_ids |= set(finding.unit_ids)
    return problems


def _site_units() -> set[int]:
    """Problems of the whole site (the home page) go to the 承办单位 that runs it (第四条)."""
    return set(Unit.objects.filter(kind=UnitKind.OPERATOR).values_list("id", flat=True))


def _event(
    order: WorkOrder,
    kind: str,
    *,
    now: dt.datetime,
    user: Any = None,
    run: CheckRun | None = None,
    note: str = "",
) -> None:
    WorkOrderEvent.objects.create(
        order=order, kind=kind, at=now, on=timezone.localdate(now), user=user, run=run, note=note
    )


@transaction.atomic
def measurements_store(
    *, today: dt.date, edition: str = DEFAULT_EDITION, user: Any = None, now: dt.datetime
) -> tuple[CheckRun, Assessment]:
    """Run every active indicator for `today` and keep the results (replacing an earlier run of
    the same date, so the check is safe to run twice)."""
    run, _ = CheckRun.objects.get_or_create(date=today, edition=edition)
    # Two checks of the same date at once: the second waits here for the first.
    run = CheckRun.objects.select_for_update().get(pk=run.pk)
    assessment = assess(today, edition=edition)
    run.measurements.all().delete()
    Measurement.objects.bulk_create(
        [
            Measurement(
                run=run,
                date=today,
                indicator_code=spec.code,
                indicator_name=spec.name,
                level=spec.level,
                rule_kind=spec.rule_kind,
                thresholds=dict(spec.thresholds),
                points=spec.points,
                cap=spec.cap,
                measured=assessment.results[spec.code].measured,
                breached=assessment.results[spec.code].breached,
                count=assessment.results[spec.code].count,
                untested_reason=assessment.results[spec.code].untested_reason,
                findings=[f.as_dict() for f in assessment.results[spec.code].findings],
            )
            for spec in assessment.indicators
        ]
    )
    stored = Assessment(
        assessment.today,
        assessment.edition,
        assessment.indicators,
        assessment.results,
        assessment.verdict,
        run.pk,
    )
    run.passed = stored.verdict.passed
    run.score = stored.verdict.score
    run.summary = stored.as_dict()
    run.finished_at = now
    if user is not None:
        run.run_by = user
    run.save()
    return run, stored


@transaction.atomic
def work_orders_sync(*, run: CheckRun, assessment: Assessment, now: dt.datetime) -> OrderSync:
    """Open an order for each new problem, verify the orders whose problem is gone, reopen the
    fixed ones whose problem is still there. Safe to run twice for the same check."""
    today = run.date
    problems = _problems(assessment)
    active = {
        o.fingerprint: o
        for o in WorkOrder.objects.select_for_update().exclude(state=WorkOrder.State.VERIFIED)
    }
    site_units: set[int] | None = None
    sync = OrderSync()
    for fp, problem in problems.items():
        order = active.pop(fp, None)
        message = "；".join(problem.messages)
        if order is None:
            order = WorkOrder.objects.create(
                fingerprint=fp,
                indicator_code=problem.indicator_code,
                indicator_name="；".join(problem.indicator_names)[:200],
                level=problem.level,
                message=message,
                url=problem.url[:2000],
                column_id=problem.column_id,
                opened_on=today,
                due_on=today
                + dt.timedelta(days=ORDER_DEADLINE_DAYS.get(problem.level, DEFAULT_DEADLINE_DAYS)),
                last_seen_on=today,
            )
            unit_ids = problem.unit_ids
            if not unit_ids:
                site_units = _site_units() if site_units is None else site_units
                unit_ids = site_units
            order.units.set(unit_ids)
            _event(order, WorkOrderEvent.Kind.OPENED, now=now, run=run, note=message)
            sync.opened.append(order)
            continue
        order.message = message
        order.last_seen_on = max(order.last_seen_on, today)
        if order.state == WorkOrder.State.FIXED and (
            order.fixed_at is None or timezone.localdate(order.fixed_at) <= today
        ):
            # The unit said it was fixed, but the check still finds it.
            order.state = WorkOrder.State.OPEN
            order.reopen_count += 1
            _event(order, WorkOrderEvent.Kind.REOPENED, now=now, run=run, note=message)
            sync.reopened.append(order)
        else:
            sync.still_open.append(order)
        order.save(update_fields=["message", "last_seen_on", "state", "reopen_count"])
    for order in active.values():
        if order.opened_on > today:
            continue  # found by a check of a later date; this older date cannot judge it
        order.state = WorkOrder.State.VERIFIED
        order.verified_on = today
        order.save(update_fields=["state", "verified_on"])
        _event(order, WorkOrderEvent.Kind.VERIFIED, now=now, run=run, note="复查未再发现该问题。")
        sync.verified.append(order)
    return sync


@transaction.atomic
def daily_check(
    *,
    today: dt.date,
    edition: str = DEFAULT_EDITION,
    user: Any = None,
    now: dt.datetime | None = None,
) -> tuple[CheckRun, OrderSync]:
    """日监测读网 (第二十一条(四), 第二十二条(一)): measure, keep, judge and hand out the problems."""
    now = now or timezone.now()
    run, assessment = measurements_store(today=today, edition=edition, user=user, now=now)
    return run, work_orders_sync(run=run, assessment=assessment, now=now)


@transaction.atomic
def duty_note_set(*, run: CheckRun, note: str, user: Any) -> CheckRun:
    """The duty officer's note on the day's log (值班读网记录: 做好记录, 第二十一条(四))."""
    if not supervision_manager(user):
        raise PermissionDenied
    run.note = note.strip()
    if run.run_by_id is None:
        run.run_by = user
    run.save(update_fields=["note", "run_by"])
    return run


# Work orders: the unit's side ----------------------------------------------------------------------


@transaction.atomic
def work_order_fix(
    *, order: WorkOrder, user: Any, note: str, now: dt.datetime | None = None
) -> WorkOrder:
    """The unit says it has fixed the problem; the next daily check verifies it."""
    note = note.strip()
    if not note:
        raise ValidationError("请填写整改说明：做了什么、在哪里可以核对。")
    unit_ids = supervision_units_of(user)
    if unit_ids is not None and not order.units.filter(pk__in=unit_ids).exists():
        raise PermissionDenied
    now = now or timezone.now()
    changed = WorkOrder.objects.filter(pk=order.pk, state=WorkOrder.State.OPEN).update(
        state=WorkOrder.State.FIXED, fixed_at=now, fixed_by=user, fix_note=note
    )
    order.refresh_from_db()
    if not changed:
        raise ValidationError(f"该工单当前状态为“{order.get_state_display()}”，不能再次提交整改。")
    _event(order, WorkOrderEvent.Kind.FIXED, now=now, user=user, note=note)
    return order


# Monthly reminder (月单独提醒) ------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _unit_recipients(unit: Unit) -> list[str]:
    from govportal.accounts.models import User

    emails = {unit.email} if unit.email else set()
    users = User.objects.filter(is_active=True).filter(
        Q(unit=unit) | Q(groups__unit_role__unit=unit)
    )
    emails |= {e for e in users.values_list("email", flat=True) if e}
    return sorted(emails)


def reminder_text(
    unit: Unit, month: dt.date, orders: Sequence[WorkOrder], due: Sequence[Any], today: dt.date
) -> tuple[str, str]:
    """Subject and body of one unit's monthly reminder (plain text, for mail and the admin)."""
    subject = f"【月度提醒】{unit.name} {month:%Y年%m月}政府网站问题整改和栏目更新提醒"
    lines = [f"{unit.name}：", ""]
    lines.append(
        "根据《渭滨区人民政府网站管理办法》第二十二条“日监测读网、月单独提醒”的要求，"
        f"现将贵单位截至 {today:%Y年%m月%d日} 的网站问题和栏目更新情况提醒如下。"
    )
    lines.append("")
    lines.append(f"一、尚未整改的问题（{len(orders)} 件）")
    if not orders:
        lines.append("  无。")
    for n, order in enumerate(orders, start=1):
        late = "，已超期" if order.overdue_on(today) else ""
        lines.append(
            f"  {n}. {order.message}（发现于 {order.opened_on:%Y-%m-%d}，"
            f"整改期限 {order.due_on:%Y-%m-%d}{late}）"
        )
    lines.append("")
    lines.append(f"二、本月到期或已超期的栏目（{len(due)} 个）")
    if not due:
        lines.append("  无。")
    for n, row in enumerate(due, start=1):
        last = f"{row.last_update:%Y-%m-%d}" if row.last_update else "从未更新"
        lines.append(
            f"  {n}. {row.path_label}（{row.frequency_label}更新，最近更新 {last}，"
            f"应于 {row.next_due:%Y-%m-%d} 前更新）"
        )
    lines.append("")
    lines.append(
        "请登录网站管理后台“工单”处理并填写整改说明。问题整改不及时的，将按第二十三条督办。"
    )
    return subject, "\n".join(lines)


def monthly_reminders_send(
    *, month: dt.date, today: dt.date | None = None, now: dt.datetime | None = None
) -> list[UnitReminder]:
    """One reminder per unit with open orders or columns due by the end of `month`; each unit
    gets at most one per month however often this runs (the row is the claim)."""
    from govportal.core.responsibility import ColumnStatus, responsibility_rows

    now = now or timezone.now()
    month = month_start(month)
    today = today or max(month, min(timezone.localdate(now), month_end(month)))
    end = month_end(month)
    rows = [
        r
        for r in responsibility_rows(today=today)
        if r.status != ColumnStatus.ARCHIVED and r.next_due is not None and r.next_due <= end
    ]
    open_orders = list(
        WorkOrder.objects.filter(state=WorkOrder.State.OPEN).prefetch_related("units")
    )
    sent: list[UnitReminder] = []
    for unit in Unit.objects.order_by("sort_order", "name"):
        orders = [o for o in open_orders if any(u.pk == unit.pk for u in o.units.all())]
        due = [r for r in rows if unit.pk in r.unit_ids]
        if not orders and not due:
            continue
        reminder = _reminder_claim(unit, month, orders, due, today)
        if reminder is None:
            continue
        _reminder_deliver(reminder, now=now)
        sent.append(reminder)
    return sent


def _reminder_claim(
    unit: Unit, month: dt.date, orders: Sequence[WorkOrder], due: Sequence[Any], today: dt.date
) -> UnitReminder | None:
    subject, body = reminder_text(unit, month, orders, due, today)
    try:
        with transaction.atomic():
            return UnitReminder.objects.create(
                unit=unit,
                month=month,
                subject=subject,
                body=body,
                recipients=_unit_recipients(unit),
                open_orders=len(orders),
                due_columns=len(due),
            )
    except IntegrityError:
        return None  # this unit's reminder for the month exists already


def _reminder_deliver(reminder: UnitReminder, *, now: dt.datetime) -> None:
    # The conditional UPDATE claims the sending: two runs at once send one mail.
    if not UnitReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now):
        return
    reminder.sent_at = now
    if reminder.recipients:
        try:
            send_mail(
                reminder.subject,
                reminder.body,
                settings.DEFAULT_FROM_EMAIL,
                reminder.recipients,
            )
        except OSError:
            # Unsent: leave it for the next run to try again; the admin shows it meanwhile.
            UnitReminder.objects.filter(pk=reminder.pk).update(sent_at=None)
            reminder.sent_at = None


# Accountability (第二十四条) ---------------------------------------------------------------------


@transaction.atomic
def accountability_record(
    *,
    unit: Unit,
    kind: str,
    decided_on: dt.date,
    reason: str,
    orders: Iterable[WorkOrder],
    user: Any,
) -> AccountabilityMeasure:
    """Record 约谈, 书面检查 or 通报批评 against a unit, linked to the orders that caused it."""
    if not supervision_manager(user):
        raise PermissionDenied
    if kind not in AccountabilityMeasure.Kind.values:
        raise ValidationError("请选择约谈、书面检查或通报批评。")
    if not reason.strip():
        raise ValidationError("请填写事由。")
    orders = list(orders)
    foreign = [o for o in orders if not o.units.filter(pk=unit.pk).exists()]
    if foreign:
        raise ValidationError(
            "以下工单不属于该单位：" + "、".join(str(o.pk) for o in foreign) + "。"
        )
    measure = AccountabilityMeasure.objects.create(
        unit=unit, kind=kind, decided_on=decided_on, reason=reason.strip(), recorded_by=user
    )
    measure.orders.set(orders)
    return measure
