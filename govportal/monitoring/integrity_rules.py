"""Rule kinds for availability and page elements (国办秘函〔2019〕19号), from stored records.

Imported by MonitoringConfig.ready() after rules.py: registering a key here replaces the "未测"
placeholder of rules._NOT_YET. Each rule is a pure function of the stored probes or element
checks and the date; none fetches anything while the verdict is computed.

"security_incidents" lives in security_rules.py: open tamper alerts are one of its sources,
with the incidents the operator records (the parts no machine finds) and the content checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from govportal.monitoring.rules import CheckResult, Finding, register_rule, untested


@register_rule("site_unreachable", "站点无法访问")
def site_unreachable(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """单项否决“站点无法访问”: 监测1周，每天不少于20次，超过15秒未打开为失败，累计失败比例≥5%.

    Per active target, the failure share over the `days` full days before `today`. A target
    over the threshold is a veto whatever the others show; a target with a day of fewer than
    `visits_per_day` visits makes the rule 未测 (the monitor did not watch enough), never a pass.
    Measured: the worst share, in per cent.
    """
    from govportal.monitoring.integrity import (
        ProbeRecord,
        availability_measure,
        availability_window,
    )
    from govportal.monitoring.models import ProbeTarget

    days = int(thresholds.get("days", 7))
    per_day = int(thresholds.get("visits_per_day", 20))
    limit = float(thresholds.get("failure_share", 0.05))
    targets = list(ProbeTarget.objects.filter(active=True))
    if not targets:
        return untested("没有启用的可用性探测目标，请在“可用性探测”中添加网站地址并定时运行探测。")
    first, last = availability_window(today, days)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    findings: list[Finding] = []
    short: list[str] = []
    shares: list[float] = []
    for target in targets:
        rows = target.probes.filter(at__gte=start, at__lt=end).values_list("at", "ok")
        measure = availability_measure(
            (ProbeRecord(at, ok) for at, ok in rows),
            today=today,
            days=days,
            visits_per_day=per_day,
            tz=zone,
        )
        share = measure.share
        if share is not None and share >= limit:
            findings.append(
                Finding(
                    f"{target.name}：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 共访问 {measure.probes} 次，"
                    f"失败 {measure.failures} 次，失败比例 {share:.1%}（≥{limit:.0%} 即否决）。",
                    url=target.base_url,
                )
            )
        if share is not None:
            shares.append(share)
        if not measure.complete:
            days_text = "、".join(f"{d:%m-%d}（{n} 次）" for d, n in measure.short_days[:7])
            short.append(f"{target.name} 以下日期访问不足每天 {per_day} 次：{days_text}")
    worst = round(max(shares) * 100, 2) if shares else None
    if findings:
        return CheckResult(measured=worst, findings=tuple(findings), breached=True, count=1)
    if short:
        return CheckResult(
            measured=worst,
            untested_reason="监测次数不足，无法判定：" + "；".join(short) + "。",
        )
    return CheckResult(measured=worst)


# Page elements ----------------------------------------------------------------------------------


def _latest_checks(today: dt.date, max_age_days: int) -> list[Any]:
    """The newest element check of each site within `max_age_days` before `today` (inclusive)."""
    from govportal.monitoring.models import ElementCheck

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(today - dt.timedelta(days=max_age_days), dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    newest: dict[int | None, Any] = {}
    for check in ElementCheck.objects.filter(checked_at__gte=start, checked_at__lt=end).order_by(
        "-checked_at"
    ):
        newest.setdefault(check.site_id, check)
    return list(newest.values())


def _no_check(today: dt.date, max_age_days: int) -> CheckResult:
    return untested(
        f"{today:%Y-%m-%d} 前 {max_age_days} 天内没有页面要素检查记录"
        "（manage.py check_integrity 会同时检查页面要素）。"
    )


def _missing_rule(today: dt.date, thresholds: Mapping[str, Any], keys: list[str]) -> CheckResult:
    from govportal.monitoring.integrity import ELEMENT_LABELS

    max_age = int(thresholds.get("max_age_days", 7))
    checks = _latest_checks(today, max_age)
    if not checks:
        return _no_check(today, max_age)
    findings = []
    for check in checks:
        for page in check.pages:
            missing = [ELEMENT_LABELS.get(k, k) for k in page["missing"] if k in keys]
            where = "首页" if page["home"] else "页面"
            if page.get("problem"):
                findings.append(
                    Finding(
                        f"{where} {page['url']} 无法访问（{page['problem']}），未能检查。",
                        url=page["url"],
                    )
                )
            elif missing:
                findings.append(
                    Finding(f"{where} {page['url']} 缺少：{'、'.join(missing)}。", url=page["url"])
                )
    return CheckResult(
        measured=len(findings), findings=tuple(findings), breached=bool(findings), count=1
    )


@register_rule("footer_identifiers", "网站标识")
def footer_identifiers(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """扣分“网站标识”: 党政机关网站标识、网站标识码、ICP备案编号、公安机关备案标识 in the footer
    of the home page and of sampled pages (shared reference §1.3, §2.4). `items` can add
    "error_report" for an edition that counts the 找错 entry here rather than separately."""
    from govportal.monitoring.integrity import FOOTER_IDENTIFIERS

    keys = list(thresholds.get("items", FOOTER_IDENTIFIERS))
    return _missing_rule(today, thresholds, keys)


@register_rule("error_report_entry", "找错入口")
def error_report_entry(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """扣分“我为政府网站找错”入口: a link labelled 我为政府网站找错 on every checked page."""
    return _missing_rule(today, thresholds, ["error_report"])


@register_rule("site_search", "站内搜索")
def site_search(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """扣分“搜索功能”: a search box on the home page and sampled pages, and the search answers."""
    result = _missing_rule(today, thresholds, ["search"])
    if result.untested:
        return result
    findings = list(result.findings)
    for check in _latest_checks(today, int(thresholds.get("max_age_days", 7))):
        if not check.search_ok:
            findings.append(Finding(f"站内搜索不可用：{check.search_detail}"))
    return CheckResult(
        measured=len(findings), findings=tuple(findings), breached=bool(findings), count=1
    )


@register_rule("site_map", "网站地图")
def site_map(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """网站地图 (国办发〔2017〕47号): a 网站地图 link on the home page, and the map answers."""
    max_age = int(thresholds.get("max_age_days", 7))
    checks = _latest_checks(today, max_age)
    if not checks:
        return _no_check(today, max_age)
    findings = tuple(
        Finding(f"网站地图不可用：{check.site_map_detail}")
        for check in checks
        if not check.site_map_ok
    )
    return CheckResult(measured=len(findings), findings=findings, breached=bool(findings), count=1)
