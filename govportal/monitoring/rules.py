"""Rule kinds: one plug-in check per kind of indicator (国办秘函〔2019〕19号).

Each rule kind is a function `run(*, today, thresholds) -> CheckResult`, registered under the key
that `Indicator.rule_kind` names. A rule reads the platform's data as it stands and judges it for
`today`; it reports what it measured, one finding per problem (with the column and units that must
fix it, when there are such), and whether the indicator's threshold is reached. A rule whose data
source does not exist yet says so in `untested_reason` ("未测"); it never passes silently.
See CONTRIBUTING.md, "Adding an indicator rule kind".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from govportal.core.freshness import add_months, is_stale


@dataclass(frozen=True)
class Finding:
    """One problem: what is wrong, and where (column and responsible units, when known)."""

    message: str
    column_id: int | None = None
    unit_ids: tuple[int, ...] = ()
    url: str = ""
    # What stays the same while the problem lasts, when column and address do not say it (a
    # broken link's target, a message's number): the work order of tomorrow's check is the same.
    key: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "column_id": self.column_id,
            "unit_ids": list(self.unit_ids),
            "url": self.url,
            "key": self.key,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            message=str(data.get("message", "")),
            column_id=data.get("column_id"),
            unit_ids=tuple(data.get("unit_ids") or ()),
            url=str(data.get("url") or ""),
            key=str(data.get("key") or ""),
        )


@dataclass(frozen=True)
class CheckResult:
    """What one rule found: the measured value, the findings, whether the threshold is reached.

    `count` is how many times a deduction or bonus applies (points × count, up to the cap).
    """

    measured: float | None = None
    findings: tuple[Finding, ...] = ()
    untested_reason: str = ""
    breached: bool = False
    count: int = 0

    @property
    def untested(self) -> bool:
        return bool(self.untested_reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measured": self.measured,
            "breached": self.breached,
            "count": self.count,
            "untested_reason": self.untested_reason,
            "findings": [f.as_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(
            measured=data.get("measured"),
            findings=tuple(Finding.from_dict(f) for f in data.get("findings") or ()),
            untested_reason=str(data.get("untested_reason") or ""),
            breached=bool(data.get("breached")),
            count=int(data.get("count") or 0),
        )


def untested(reason: str) -> CheckResult:
    return CheckResult(untested_reason=reason)


class Rule(Protocol):
    def __call__(self, *, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult: ...


RULES: dict[str, Rule] = {}
RULE_LABELS: dict[str, str] = {}


def register_rule(key: str, label: str) -> Callable[[Rule], Rule]:
    def decorate(rule: Rule) -> Rule:
        RULES[key] = rule
        RULE_LABELS[key] = label
        return rule

    return decorate


def rule_run(key: str, *, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    rule = RULES.get(key)
    if rule is None:
        return untested(f"没有名为“{key}”的检查规则，请核对指标的“检查规则”代码。")
    return rule(today=today, thresholds=thresholds)


# Column data, loaded once per call through core.responsibility (no second roll-up here) ---------


@dataclass(frozen=True)
class ColumnState:
    pk: int
    title: str
    path_label: str
    kind_code: str
    freshness_amount: int | None
    freshness_unit: str
    unit_ids: tuple[int, ...]
    last_update: dt.date | None
    status: str  # core.responsibility.ColumnStatus
    top_level: bool

    def finding(self, message: str) -> Finding:
        return Finding(
            message=f"{self.path_label}：{message}", column_id=self.pk, unit_ids=self.unit_ids
        )


def columns_load(today: dt.date) -> list[ColumnState]:
    """Every column with its rolled-up newest date and status (core.responsibility)."""
    from wagtail.models import Page

    from govportal.core.models import ColumnKind
    from govportal.core.responsibility import column_facts_load, newest_article_dates, rows_build

    facts = column_facts_load()
    rows = rows_build(facts, newest_article_dates(), today=today, steplen=Page.steplen)
    facts_by_pk = {f.pk: f for f in facts}
    paths = {f.path for f in facts}
    codes = dict(ColumnKind.objects.values_list("name", "code"))
    states = []
    for row in rows:
        fact = facts_by_pk[row.column_id]
        states.append(
            ColumnState(
                pk=row.column_id,
                title=row.title,
                path_label=row.path_label,
                kind_code=codes.get(fact.kind_name, ""),
                freshness_amount=fact.freshness_amount,
                freshness_unit=fact.freshness_unit,
                unit_ids=row.unit_ids,
                last_update=row.last_update,
                status=str(row.status),
                top_level=fact.path[: -Page.steplen] not in paths,
            )
        )
    return states


def _date_label(day: dt.date | None) -> str:
    return "从未更新" if day is None else f"最近更新 {day:%Y-%m-%d}"


def _count_rule(
    columns: list[ColumnState], thresholds: Mapping[str, Any], message: str
) -> CheckResult:
    limit = int(thresholds.get("count", 1))
    findings = tuple(c.finding(f"{message}（{_date_label(c.last_update)}）") for c in columns)
    return CheckResult(
        measured=len(findings), findings=findings, breached=len(findings) >= limit, count=1
    )


# Freshness (Checks item 3) ----------------------------------------------------------------------


@register_rule("home_not_updated", "首页不更新")
def home_not_updated(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """国办秘函〔2019〕19号 单项否决“首页不更新”: 监测2周，首页无新信息.

    The home page shows the newest items of the whole site, so the newest live, non-archived
    dated item anywhere in the site is the home page's newest item. Items without a publish date
    cannot exist here (pub_date is required). Measured: days since that item.
    """
    from govportal.core.responsibility import newest_article_dates

    days = int(thresholds.get("days", 14))
    dates = newest_article_dates().values()
    newest = max(dates, default=None)
    if newest is None:
        return CheckResult(
            measured=None,
            findings=(Finding("网站没有任何已发布的信息，首页从未更新。", key="home"),),
            breached=True,
            count=1,
        )
    age = (today - newest).days
    if age <= days:
        return CheckResult(measured=age)
    finding = Finding(
        f"首页最新信息发布于 {newest:%Y-%m-%d}，已 {age} 天未更新（时限 {days} 天）。", key="home"
    )
    return CheckResult(measured=age, findings=(finding,), breached=True, count=1)


@register_rule("stale_columns", "不更新栏目")
def stale_columns(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """栏目不更新(1): columns stale by their kind's freshness class, counted together.

    第十五条: archived columns are left out. The freshness classes are data (ColumnKind).
    """
    stale = [
        c
        for c in columns_load(today)
        if c.status != "archived"
        and is_stale(c.last_update, c.freshness_amount, c.freshness_unit, today)
    ]
    return _count_rule(stale, thresholds, "超过栏目类型规定时限未更新")


@register_rule("empty_columns", "空白栏目")
def empty_columns(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """栏目不更新(3): 栏目有、内容无. Archived columns are left out."""
    empty = [c for c in columns_load(today) if c.status == "empty"]
    return _count_rule(empty, thresholds, "空白栏目，有栏目无内容")


@register_rule("long_unupdated_columns", "长期未更新栏目")
def long_unupdated_columns(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """栏目不更新(2): “应更新但长期未更新的栏目数量达到10个”.

    Read as (docs/decisions/0001-indicator-readings.md): a column that *should be updated* is
    one overdue in the column responsibility table (第二十一条(二)), i.e. past the earlier of
    the unit's promised update frequency and the kind's freshness class; it has not been
    updated *for long* when its newest item is older than `months` (3) months. Being overdue
    alone is not "long": a 每日 column last updated two days ago is overdue, not 长期未更新.
    `months` is indicator data; 0 counts every overdue column (the stricter reading). Empty and
    archived columns are counted elsewhere or not at all.
    """
    months = int(thresholds.get("months", 3))
    cutoff = add_months(today, -months)
    overdue = [
        c
        for c in columns_load(today)
        if c.status == "overdue" and (c.last_update is None or c.last_update < cutoff)
    ]
    message = f"应更新而超过 {months} 个月未更新" if months else "应更新而未按期更新"
    return _count_rule(overdue, thresholds, message)


@register_rule("top_column_stale", "一级栏目未更新")
def top_column_stale(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """扣分“政策文件类一级栏目6个月未更新”: top-level columns of the given kinds, per column."""
    kinds = set(thresholds.get("kinds", ["policy"]))
    months = int(thresholds.get("months", 6))
    cutoff = add_months(today, -months)
    hits = [
        c
        for c in columns_load(today)
        if c.top_level
        and c.kind_code in kinds
        and c.status != "archived"
        and (c.last_update is None or c.last_update < cutoff)
    ]
    findings = tuple(
        c.finding(f"一级栏目 {months} 个月未更新（{_date_label(c.last_update)}）") for c in hits
    )
    return CheckResult(measured=len(hits), findings=findings, breached=bool(hits), count=len(hits))


# Broken links (Checks item 1, from the crawler's stored runs) ------------------------------------


@register_rule("broken_links", "断链")
def broken_links(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """扣分“可用性（首页、链接）”: broken links found by each site's newest finished crawl.

    A platform hosts many sites (and the operator may add others): each crawled start address
    counts with its own newest run that finished within `max_age_days` before `today`; with no
    such run anywhere the rule is 未测. `scope` "home" counts links on a start page, "other"
    those on every other page, "all" both; each broken link is one count (points × count, up to
    the cap).
    """
    from django.utils import timezone

    from govportal.monitoring.crawling import broken_links as run_broken_links
    from govportal.monitoring.models import CrawlRun

    max_age = int(thresholds.get("max_age_days", 7))
    scope = str(thresholds.get("scope", "all"))

    def start_of(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    recent = CrawlRun.objects.filter(
        state=CrawlRun.State.FINISHED,
        finished_at__gte=start_of(today - dt.timedelta(days=max_age)),
        finished_at__lt=start_of(today + dt.timedelta(days=1)),
    ).order_by("-finished_at", "-id")
    newest: dict[str, CrawlRun] = {}
    for run in recent.only("id", "start_url", "finished_at"):
        newest.setdefault(run.start_url, run)
    if not newest:
        return untested(f"{today:%Y-%m-%d} 前 {max_age} 天内没有完成的网站抓取，无法统计断链。")
    findings = []
    for start_url in sorted(newest):
        run = newest[start_url]
        for link in run_broken_links(run):
            on_home = start_url in (link.source.url, link.source.final_url)
            if (scope == "home" and not on_home) or (scope == "other" and on_home):
                continue
            problem = link.target.problem
            findings.append(
                Finding(
                    message=f"{link.source.url} 中的链接“{link.anchor or link.target.url}”"
                    f"无法访问（{problem}）：{link.target.url}",
                    column_id=link.column_id,
                    unit_ids=tuple(u.pk for u in link.units.all()),
                    url=link.source.url,
                    key=link.target.url,
                )
            )
    return CheckResult(
        measured=len(findings),
        findings=tuple(findings),
        breached=bool(findings),
        count=len(findings),
    )


# Rule kinds whose data source does not exist yet ------------------------------------------------

_NOT_YET: dict[str, tuple[str, str]] = {
    "site_unreachable": ("站点可访问性", "首页可用性定时探测尚未建立，没有访问记录。"),
    "no_consultation_channel": ("咨询建议渠道", "互动交流功能尚未建立，没有留言渠道数据。"),
    "unanswered_messages": ("留言未回复", "互动交流功能尚未建立，没有留言数据。"),
    "no_recent_replies": ("留言答复", "互动交流功能尚未建立，没有留言答复数据。"),
    "service_guides": ("办事指南要素", "办事服务功能尚未建立，没有办事指南数据。"),
    "service_statistics_stale": ("办事统计数据", "办事服务功能尚未建立，没有办事统计数据。"),
    "footer_identifiers": ("网站标识", "页面要素检查尚未接入指标评估。"),
    "error_report_entry": ("找错入口", "页面要素检查尚未接入指标评估。"),
    "site_search": ("站内搜索", "页面要素检查尚未接入指标评估。"),
}


def _not_yet(reason: str) -> Rule:
    def rule(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
        return untested(reason)

    return rule


for _key, (_label, _reason) in _NOT_YET.items():
    register_rule(_key, _label)(_not_yet(_reason))
