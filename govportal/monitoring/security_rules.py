"""Rule kind "security_incidents": 单项否决“安全、泄密事故等严重问题” (国办秘函〔2019〕19号).

The veto (shared reference §1.2, item 1) names six parts: (1) 严重表述错误; (2) 泄露国家秘密;
(3) 发布或链接反动、暴力、色情等内容; (4) 挂马、篡改等攻击未及时有效处置, 造成严重后果;
(5) 伪造发稿日期等造假; (6) 管理不善引发严重负面舆情. Three sources, read as they stand:

- incidents the operator recorded (SecurityIncident): every part, including those no machine
  sees (a leak reported by a citizen, a forged date, a public-opinion event). An incident counts
  when it lasted into the `window_months` before `today` (default 12): resolved incidents stay
  counted for the whole window, as the checks count an incident of the monitored period.
- tamper alerts (IntegrityAlert, 第十八条 防篡改) unresolved at `today` on a page that is live:
  part (4), the page still serves what nobody published.
- the content checks (govportal/checks, the same engine publishing uses): classified markings,
  the lexicon's blocking words and, unless the thresholds say ``"personal_data": false``, the
  blocking personal data (身份证号, 银行卡号, 手机号码, 护照号): parts (1)-(3) on what the site
  serves now (第十九条: 涉密信息不上网). Personal data is not named in the veto's list; the
  reference (regulations.md §1) has no deduction item for it either. 第八条(二) forbids
  publishing it, and a citizen's ID number on a live page is a leak of the kind “安全、泄密事故
  等严重问题” covers: this project reads it as part of the veto (the switch above lets the
  operator read it otherwise). Publishing refuses these findings, so one appears on a live page
  when the lexicon grew after publication, a page went online without review, or an
  attachment, a template or an old static page was never checked.
  Two ways to read the site, per site, never both (the same problem found twice would be two
  work orders): the newest crawl of the site finished in the `crawl_days` before `today`
  (default 7) with its content scan (CrawlFinding, monitoring/content_scan.py), which sees what
  a visitor gets, attachments and templates included; else, for a site not crawled lately, the
  published pages read from the database (page fields only, no attachments), which describes
  the content as it stands when the rule runs, whatever `today` says.

All three sources always exist, so the rule is always measured (never 未测). Measured: the
number of problems found. Each finding starts with its source, so a reader knows what was
checked; each names the page, column and units, so its work order reaches the unit.
Imported by MonitoringConfig.ready() after rules.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils import timezone

from govportal.core.freshness import add_months
from govportal.monitoring.rules import CheckResult, Finding, register_rule

# Of the content checks, those that find parts (1)-(3) of the veto: 涉密标识 and the lexicon,
# and blocking personal data (第八条(二)) unless the thresholds switch it off.
CONTENT_CHECKERS = frozenset({"classified", "flagged_words"})
PERSONAL_DATA_CHECKER = "personal_data"
# A crawl finished this many days before `today` at most stands for the site's content.
CRAWL_DAYS = 7


@dataclasses.dataclass(frozen=True)
class _Place:
    column_id: int | None
    unit_ids: tuple[int, ...]


def _place(page: Any) -> _Place:
    """The nearest column of a page (itself or an ancestor) and that column's units."""
    from govportal.content.review import responsible_units
    from govportal.core.models import ColumnPage

    column = (
        ColumnPage.objects.ancestor_of(page, inclusive=True).order_by("-depth").only("id").first()
    )
    units = tuple(u.pk for u in responsible_units(page))
    return _Place(column.pk if column is not None else None, units)


def _incident_findings(today: dt.date, months: int) -> Iterator[Finding]:
    from govportal.monitoring.models import SecurityIncident

    start = add_months(today, -months)
    incidents = (
        SecurityIncident.objects.filter(occurred_on__lte=today)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=start))
        .select_related("unit")
        .order_by("occurred_on", "pk")
    )
    for incident in incidents:
        state = (
            f"{incident.resolved_on:%Y-%m-%d} 处置完成"
            if incident.resolved_on is not None and incident.resolved_on <= today
            else "尚未处置完成"
        )
        unit = f"（{incident.unit.name}）" if incident.unit is not None else ""
        where = f"，页面 {incident.url}" if incident.url else ""
        yield Finding(
            f"【安全事件登记】{incident.occurred_on:%Y-%m-%d} {incident.get_kind_display()}"
            f"{unit}{where}：{incident.description[:200]}（{state}）",
            unit_ids=(incident.unit_id,) if incident.unit_id is not None else (),
            url=incident.url,
            key=f"incident:{incident.pk}",
        )


def _tamper_findings(today: dt.date) -> Iterator[Finding]:
    """Alerts detected by `today` and not restored or resolved by then, on live pages."""
    from govportal.monitoring.models import IntegrityAlert

    zone = timezone.get_current_timezone()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    alerts = (
        IntegrityAlert.objects.filter(detected_at__lt=end, page__live=True)
        .filter(Q(state=IntegrityAlert.State.OPEN) | Q(resolved_at__gte=end))
        .select_related("page")
        .prefetch_related("units")
        .order_by("detected_at", "pk")
    )
    for alert in alerts:
        assert alert.page is not None  # noqa: S101 - filtered on page__live
        place = _place(alert.page)
        detected = timezone.localtime(alert.detected_at)
        yield Finding(
            f"【防篡改告警】{alert.page_title}（{alert.url}）{detected:%Y-%m-%d %H:%M} 发现"
            f"“{alert.get_kind_display()}”，至 {today:%Y-%m-%d} 仍未恢复或处置。",
            column_id=place.column_id,
            unit_ids=tuple(u.pk for u in alert.units.all()) or place.unit_ids,
            url=alert.url,
            key=f"tamper:{alert.pk}",
        )


def _recent_crawls(today: dt.date, days: int) -> dict[int, Any]:
    """The newest finished crawl of each site, finished in the `days` up to the end of `today`."""
    from govportal.monitoring.models import CrawlRun

    zone = timezone.get_current_timezone()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    runs = CrawlRun.objects.filter(
        state=CrawlRun.State.FINISHED,
        site__isnull=False,
        finished_at__gte=end - dt.timedelta(days=days),
        finished_at__lt=end,
    ).order_by("site_id", "-finished_at", "-pk")
    newest: dict[int, Any] = {}
    for run in runs:
        assert run.site_id is not None  # noqa: S101 - filtered on site
        newest.setdefault(run.site_id, run)
    return newest


def _crawl_findings(runs: list[Any], personal_data: bool) -> Iterator[Finding]:
    """Blocking content findings of the crawls' scans, one per address and problem."""
    from govportal.checks.engine import Category, Severity
    from govportal.monitoring.models import CrawlFinding

    categories = {c.value for c in Category} - {Category.LINK, Category.ATTACHMENT}
    categories -= {Category.CHECK_ERROR}
    if not personal_data:
        categories.discard(Category.PERSONAL_DATA)
    findings = (
        CrawlFinding.objects.filter(
            run__in=runs, severity=Severity.BLOCK, checker__in=sorted(categories)
        )
        .select_related("page", "run")
        .prefetch_related("units")
        .order_by("run_id", "page__url", "pk")
    )
    for found in findings:
        page = found.page
        parts = urlsplit(page.final_url or page.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        title = f"{page.title}（{page.url}）" if page.title else page.url
        finished = timezone.localtime(found.run.finished_at)
        yield Finding(
            f"【网站抓取·内容检查】{finished:%Y-%m-%d} 抓取 {title}：“{found.excerpt}”"
            f"{found.message}",
            column_id=found.column_id,
            unit_ids=tuple(sorted(u.pk for u in found.units.all())),
            url=page.url,
            key=f"crawl-content:{path}:{found.key}",
        )


def _content_findings(
    skip_sites: frozenset[int] = frozenset(), *, personal_data: bool = True
) -> Iterator[Finding]:
    """Blocking classified markings, lexicon words and personal data on the live pages of every
    site but `skip_sites` (those a recent crawl read)."""
    from wagtail.models import Page, Site

    from govportal.checks import engine
    from govportal.checks.services import context_for_site
    from govportal.content.review import page_text_segments
    from govportal.monitoring.content_scan import mask
    from govportal.monitoring.integrity import page_path

    checkers = CONTENT_CHECKERS | ({PERSONAL_DATA_CHECKER} if personal_data else set())
    seen: set[int] = set()
    for site in Site.objects.select_related("root_page").order_by("pk"):
        if site.pk in skip_sites:
            continue
        context = dataclasses.replace(context_for_site(site), checkers=frozenset(checkers))
        pages = Page.objects.live().descendant_of(site.root_page, inclusive=True).specific()
        for page in pages.order_by("path"):
            if page.pk in seen:
                continue
            seen.add(page.pk)
            # One finding per word and field: a word repeated in the text is one problem.
            hits: dict[tuple[str, str, str], tuple[str, engine.Finding]] = {}
            for _name, label, text, is_html in page_text_segments(page):
                for finding in engine.check(text, html=is_html, context=context):
                    if finding.blocks and finding.category != engine.Category.CHECK_ERROR:
                        hits.setdefault((label, finding.rule, finding.match), (label, finding))
            if not hits:
                continue
            place = _place(page)
            url = page_path(page)
            for label, finding in hits.values():
                # Never a citizen's number in clear in a check result or a work order.
                match = (
                    mask(finding.match)
                    if finding.category == engine.Category.PERSONAL_DATA
                    else finding.match
                )
                yield Finding(
                    f"【内容检查】{page.title}（{url}）{label}：“{match}”{finding.message}",
                    column_id=place.column_id,
                    unit_ids=place.unit_ids,
                    url=url,
                    key=f"content:{page.pk}:{label}:{finding.rule}:{match}",
                )


@register_rule("security_incidents", "安全、泄密事故")
def security_incidents(*, today: dt.date, thresholds: Mapping[str, Any]) -> CheckResult:
    """Any recorded incident of the window, open tamper alert or blocking content finding on a
    live page is a veto (国办秘函〔2019〕19号 单项否决第1项: 任一即否决)."""
    months = int(thresholds.get("window_months", 12))
    personal_data = bool(thresholds.get("personal_data", True))
    crawls = _recent_crawls(today, int(thresholds.get("crawl_days", CRAWL_DAYS)))
    findings = (
        *_incident_findings(today, months),
        *_tamper_findings(today),
        *_crawl_findings(list(crawls.values()), personal_data),
        *_content_findings(frozenset(crawls), personal_data=personal_data),
    )
    return CheckResult(measured=len(findings), findings=findings, breached=bool(findings), count=1)
