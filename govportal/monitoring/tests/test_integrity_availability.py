"""站点无法访问 (国办秘函〔2019〕19号): probes against real servers on 127.0.0.1, the failure share
over the week before the date, the veto at 5%, and 未测 when the monitor did not watch enough."""

from __future__ import annotations

import datetime as dt
import socket
from io import StringIO

import pytest
from django.core.management import call_command

from govportal.lib.crawl.testserver import Route, ServerThread
from govportal.monitoring import integrity_rules
from govportal.monitoring.integrity import (
    ProbeRecord,
    availability_by_day,
    availability_measure,
    probe_availability,
    probe_timeout,
)
from govportal.monitoring.models import AvailabilityProbe, Indicator, ProbeTarget
from govportal.monitoring.rules import RULES

TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai, the project's TIME_ZONE
TODAY = dt.date(2026, 6, 15)
THRESHOLDS = {"days": 7, "visits_per_day": 20, "timeout_seconds": 15, "failure_share": 0.05}


def week(per_day: int = 20, failures: int = 0, *, days: int = 7) -> list[ProbeRecord]:
    """`per_day` probes on each of the `days` days before TODAY, `failures` of them failed."""
    records = []
    for n in range(1, days + 1):
        day = TODAY - dt.timedelta(days=n)
        for i in range(per_day):
            at = dt.datetime.combine(day, dt.time(0, 10), tzinfo=TZ) + dt.timedelta(minutes=70 * i)
            records.append(ProbeRecord(at, True))
    for i in range(failures):
        records[i * 3] = ProbeRecord(records[i * 3].at, False)
    return records


def store(target: ProbeTarget, records: list[ProbeRecord]) -> None:
    AvailabilityProbe.objects.bulk_create(
        AvailabilityProbe(target=target, at=r.at, ok=r.ok, status_code=200 if r.ok else None)
        for r in records
    )


# --- The pure measure ---------------------------------------------------------------------------


def test_the_window_is_the_seven_full_days_before_the_date_and_today_does_not_count() -> None:
    records = [
        *week(),
        ProbeRecord(dt.datetime(2026, 6, 15, 8, 0, tzinfo=TZ), False),  # today: still running
        ProbeRecord(dt.datetime(2026, 6, 7, 23, 0, tzinfo=TZ), False),  # eight days ago
    ]
    measure = availability_measure(records, today=TODAY, tz=TZ)
    assert (measure.first_day, measure.last_day) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))
    assert (measure.probes, measure.failures, measure.share) == (140, 0, 0.0)
    assert measure.complete


def test_a_probe_is_counted_on_its_local_day() -> None:
    # 16:30 UTC on 14 June is 00:30 on 15 June in Beijing: today, outside the window.
    late = ProbeRecord(dt.datetime(2026, 6, 14, 16, 30, tzinfo=dt.UTC), False)
    measure = availability_measure([*week(), late], today=TODAY, tz=TZ)
    assert measure.failures == 0


def test_a_day_with_fewer_visits_than_required_makes_the_measure_incomplete() -> None:
    records = [r for r in week() if r.at.date() != dt.date(2026, 6, 10)][:-1]
    measure = availability_measure(records, today=TODAY, tz=TZ)
    assert not measure.complete
    assert measure.short_days == ((dt.date(2026, 6, 8), 19), (dt.date(2026, 6, 10), 0))


# --- The rule kind ------------------------------------------------------------------------------


@pytest.fixture
def target(db: None) -> ProbeTarget:
    return ProbeTarget.objects.create(name="门户网站", base_url="https://www.example.gov.cn/")


def run_rule(thresholds: dict | None = None) -> integrity_rules.CheckResult:
    return RULES["site_unreachable"](today=TODAY, thresholds=thresholds or THRESHOLDS)


def test_the_rule_module_replaces_the_placeholder() -> None:
    assert RULES["site_unreachable"] is integrity_rules.site_unreachable


def test_five_per_cent_failures_over_the_week_is_a_veto(target: ProbeTarget) -> None:
    store(target, week(failures=7))  # 7 of 140 = 5%
    result = run_rule()
    assert result.breached and result.count == 1
    assert result.measured == 5.0
    assert "失败比例 5.0%" in result.findings[0].message


def test_just_under_five_per_cent_passes(target: ProbeTarget) -> None:
    store(target, week(failures=6))  # 6 of 140 = 4.3%
    result = run_rule()
    assert not result.breached and not result.untested
    assert result.measured == 4.29


def test_too_few_probes_is_untested_never_a_pass(target: ProbeTarget) -> None:
    store(target, week(per_day=19))
    result = run_rule()
    assert result.untested and not result.breached
    assert "监测次数不足" in result.untested_reason
    assert "06-08（19 次）" in result.untested_reason


def test_a_veto_on_one_site_stands_even_when_another_site_was_not_watched_enough(
    target: ProbeTarget,
) -> None:
    store(target, week(failures=10))
    other = ProbeTarget.objects.create(name="部门网站", base_url="https://dept.example.gov.cn/")
    store(other, week(per_day=3))
    result = run_rule()
    assert result.breached
    assert [f.url for f in result.findings] == [target.base_url]


def test_without_targets_the_rule_is_untested(db: None) -> None:
    assert "没有启用的可用性探测目标" in run_rule().untested_reason


def test_the_threshold_comes_from_the_indicator_row(target: ProbeTarget) -> None:
    store(target, week(failures=7))
    row = Indicator.objects.get(rule_kind="site_unreachable")
    assert row.thresholds["failure_share"] == 0.05  # seeded from the 2019 indicators
    assert not run_rule({**row.thresholds, "failure_share": 0.10}).breached


def test_the_admin_table_counts_probes_and_failures_per_day(target: ProbeTarget) -> None:
    store(target, week(failures=2))
    rows = availability_by_day(target, first=dt.date(2026, 6, 13), last=dt.date(2026, 6, 14))
    # failures=2 marks the 1st and 4th record, both on the most recent day
    assert rows == [(dt.date(2026, 6, 14), 20, 2), (dt.date(2026, 6, 13), 20, 0)]


# --- Probing real servers -----------------------------------------------------------------------

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=TZ)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db
def test_each_target_is_probed_once_and_failures_are_recorded_with_their_kind() -> None:
    routes = {
        "/": Route(200, b"<title>home</title>"),
        "/hang/": Route(behaviour="hang"),
        "/broken/": Route(503, b"busy"),
        "/missing/": Route(404, b"gone"),
    }
    with ServerThread(routes) as base:
        for path in routes:
            ProbeTarget.objects.create(name=path, base_url=base + path)
        ProbeTarget.objects.create(name="refused", base_url=f"http://127.0.0.1:{closed_port()}/")
        ProbeTarget.objects.create(name="off", base_url=base + "/off/", active=False)
        probe_availability(now=NOW, timeout=0.5)
    got = {
        p.target.name: (p.ok, p.status_code, p.error)
        for p in AvailabilityProbe.objects.select_related("target")
    }
    assert got == {
        "/": (True, 200, ""),
        "/hang/": (False, None, "timeout"),
        "/broken/": (False, 503, ""),
        "/missing/": (False, 404, ""),
        "refused": (False, None, "refused"),
    }
    assert set(AvailabilityProbe.objects.values_list("at", flat=True)) == {NOW}


@pytest.mark.django_db
def test_the_probe_timeout_is_the_indicator_threshold() -> None:
    assert probe_timeout() == 15.0
    row = Indicator.objects.get(rule_kind="site_unreachable")
    row.thresholds = {**row.thresholds, "timeout_seconds": 10}
    row.save()
    assert probe_timeout() == 10.0


@pytest.mark.django_db
def test_the_command_probes_and_says_what_it_found() -> None:
    with ServerThread({"/": Route(200, b"ok"), "/hang/": Route(behaviour="hang")}) as base:
        ProbeTarget.objects.create(name="门户", base_url=base + "/")
        ProbeTarget.objects.create(name="挂起", base_url=base + "/hang/")
        out = StringIO()
        call_command("probe_availability", "--timeout", "0.5", stdout=out)
    text = out.getvalue()
    assert "门户" in text and "成功（HTTP 200" in text
    assert "挂起" in text and "失败（访问超时）" in text
    assert AvailabilityProbe.objects.count() == 2


@pytest.mark.django_db
def test_with_no_target_configured_the_default_site_address_is_probed(portal, settings) -> None:
    with ServerThread({"/": Route(200, b"ok")}) as base:
        settings.SITE_URL = base
        probes = probe_availability(now=NOW, timeout=2)
    assert [(p.target.base_url, p.target.site, p.ok) for p in probes] == [
        (base + "/", portal.site, True)
    ]


@pytest.mark.django_db
def test_the_background_task_probes_every_target() -> None:
    from govportal.monitoring.integrity import probe_availability_task

    with ServerThread({"/": Route(200, b"ok")}) as base:
        ProbeTarget.objects.create(name="门户", base_url=base + "/")
        result = probe_availability_task.enqueue()  # the immediate backend runs it inline
    assert result.return_value == 1
    assert AvailabilityProbe.objects.get().ok


def test_waiting_for_a_free_connection_does_not_count_against_the_time_limit() -> None:
    from govportal.monitoring.integrity import fetch_http

    routes = {"/hang/": Route(behaviour="hang"), "/": Route(200, b"<title>ok</title>")}
    with ServerThread(routes) as base:
        urls = [base + "/hang/"] * 3 + [base + "/"] * 3
        responses = fetch_http(urls, timeout=0.3, concurrency=1)
    assert [r.error or r.status for r in responses] == ["timeout"] * 3 + [200] * 3
