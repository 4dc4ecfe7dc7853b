"""The indicator table as data, and the freshness rule kinds on a small portal."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govportal.content.services import page_archive
from govportal.monitoring.models import Indicator
from govportal.monitoring.rules import RULES, rule_run
from govportal.testing import Portal, add_article, add_column

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@pytest.mark.django_db
def test_the_migration_seeds_the_veto_items_of_the_2019_indicators() -> None:
    vetoes = Indicator.objects.filter(edition="国办秘函〔2019〕19号", level="veto")
    thresholds = {i.rule_kind: i.thresholds for i in vetoes}
    assert thresholds["stale_columns"] == {"count": 5}
    assert thresholds["long_unupdated_columns"] == {"count": 10}
    assert thresholds["empty_columns"] == {"count": 5}
    assert thresholds["home_not_updated"] == {"days": 14}
    assert thresholds["site_unreachable"]["failure_share"] == 0.05
    policy = Indicator.objects.get(code="policy-column-stale")
    assert (policy.level, policy.points) == ("deduction", 5)


@pytest.mark.django_db
def test_every_active_seeded_indicator_names_a_registered_rule_kind() -> None:
    kinds = set(Indicator.objects.filter(active=True).values_list("rule_kind", flat=True))
    assert kinds <= set(RULES)


def test_an_unknown_rule_kind_is_reported_untested() -> None:
    result = rule_run("no_such_rule", today=TODAY, thresholds={})
    assert result.untested
    assert "no_such_rule" in result.untested_reason


def test_a_rule_without_a_data_source_says_untested_with_a_reason() -> None:
    # The placeholders that no part has replaced yet (parts register their own kinds later).
    from govportal.monitoring.rules import _NOT_YET, _not_yet

    placeholder = _not_yet("测试数据源尚未建立。")
    result = placeholder(today=TODAY, thresholds={})
    assert result.untested and not result.breached
    name = getattr(placeholder, "__qualname__", "")
    waiting = [k for k in _NOT_YET if getattr(RULES[k], "__qualname__", "") == name]
    for kind in waiting:
        result = rule_run(kind, today=TODAY, thresholds={})
        assert result.untested
        assert not result.breached
        assert "尚未" in result.untested_reason


@time_machine.travel(NOW, tick=False)
def test_the_home_page_counts_as_not_updated_after_two_weeks(portal: Portal) -> None:
    add_article(portal.news, "旧闻", pub_date=days_ago(15))
    result = rule_run("home_not_updated", today=TODAY, thresholds={"days": 14})
    assert result.breached
    assert result.measured == 15
    add_article(portal.news, "新闻", pub_date=days_ago(3))
    assert not rule_run("home_not_updated", today=TODAY, thresholds={"days": 14}).breached


@time_machine.travel(NOW, tick=False)
def test_stale_columns_are_counted_by_their_kind_and_archived_ones_are_skipped(
    portal: Portal,
) -> None:
    add_article(portal.news, "旧闻", pub_date=days_ago(20))  # news: 14 days
    add_article(portal.notices, "旧通知", pub_date=days_ago(100))  # notice: 6 months, fresh
    result = rule_run("stale_columns", today=TODAY, thresholds={"count": 1})
    assert [f.column_id for f in result.findings] == [portal.news.pk]
    assert result.findings[0].unit_ids == (portal.unit_a.pk,)
    assert result.breached
    page_archive(page=portal.news, user=portal.operator, reason="栏目停更")
    assert rule_run("stale_columns", today=TODAY, thresholds={"count": 1}).findings == ()


@time_machine.travel(NOW, tick=False)
def test_empty_columns_reach_the_veto_at_the_threshold(portal: Portal) -> None:
    add_article(portal.news, "新闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(1))
    for n in range(4):
        add_column(portal.affairs, f"空栏目{n}", kind_code="static")
    assert not rule_run("empty_columns", today=TODAY, thresholds={"count": 5}).breached
    add_column(portal.affairs, "空栏目4", kind_code="static")
    result = rule_run("empty_columns", today=TODAY, thresholds={"count": 5})
    assert result.breached
    assert result.measured == 5


@time_machine.travel(NOW, tick=False)
def test_long_unupdated_columns_are_overdue_and_older_than_three_months(portal: Portal) -> None:
    add_article(portal.news, "新闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(40))  # promised weekly: overdue
    result = rule_run("long_unupdated_columns", today=TODAY, thresholds={"count": 2})
    # Overdue by the responsibility table, but updated 40 days ago: not 长期未更新.
    assert result.findings == () and not result.breached

    # The stricter reading, restored by data: every overdue column counts.
    strict = rule_run("long_unupdated_columns", today=TODAY, thresholds={"count": 2, "months": 0})
    # 政务 has no articles of its own; its newest date is its subcolumn 通知公告's.
    assert [f.column_id for f in strict.findings] == [portal.affairs.pk, portal.notices.pk]
    assert strict.breached


@time_machine.travel(NOW, tick=False)
def test_a_column_overdue_for_more_than_three_months_is_long_unupdated(portal: Portal) -> None:
    add_article(portal.news, "新闻", pub_date=days_ago(1))
    add_article(portal.notices, "通知", pub_date=days_ago(100))
    result = rule_run("long_unupdated_columns", today=TODAY, thresholds={"count": 2})
    assert [f.column_id for f in result.findings] == [portal.affairs.pk, portal.notices.pk]
    assert result.breached
    assert "超过 3 个月未更新" in result.findings[0].message


@time_machine.travel(NOW, tick=False)
def test_a_top_level_policy_column_stale_for_six_months_deducts_per_column(
    portal: Portal,
) -> None:
    policy = add_column(portal.home, "政策文件", kind_code="policy", slug="policy")
    add_article(policy, "旧文件", pub_date=days_ago(200))
    nested = add_column(portal.affairs, "部门文件", kind_code="policy")
    add_article(nested, "旧文件", pub_date=days_ago(200))
    result = rule_run(
        "top_column_stale", today=TODAY, thresholds={"kinds": ["policy"], "months": 6}
    )
    assert [f.column_id for f in result.findings] == [policy.pk]
    assert result.count == 1


def test_the_indicator_table_is_listed_and_editable_in_the_admin(
    portal: Portal, client: Client
) -> None:

    admin = type(portal.operator).objects.create_superuser(
        username="root", email="root@example.invalid", password="a-Long-Pass-4321"
    )
    client.force_login(admin)
    listing = client.get(reverse("wagtailsnippets_monitoring_indicator:list"))
    assert listing.status_code == 200
    assert "站点无法访问" in listing.content.decode()
    indicator = Indicator.objects.get(code="empty-columns")
    edit_url = reverse("wagtailsnippets_monitoring_indicator:edit", args=[indicator.pk])
    edit = client.get(edit_url)
    assert edit.status_code == 200
    assert "阈值" in edit.content.decode()

    # Every edit is a stored revision: who changed which threshold, and what it was before.
    form = {
        "code": indicator.code,
        "name": indicator.name,
        "category": indicator.category,
        "level": indicator.level,
        "rule_kind": indicator.rule_kind,
        "thresholds": '{"count": 4}',
        "points": str(indicator.points),
        "cap": "",
        "edition": indicator.edition,
        "active": "on",
        "note": indicator.note,
        "sort_order": str(indicator.sort_order),
    }
    response = client.post(edit_url, form)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.thresholds == {"count": 4}
    revision = indicator.latest_revision
    assert revision is not None
    assert revision.user == admin
    assert revision.content["thresholds"] == {"count": 4}
    history = client.get(
        reverse("wagtailsnippets_monitoring_indicator:history", args=[indicator.pk])
    )
    assert history.status_code == 200
    assert "root" in history.content.decode()


def test_broken_links_are_untested_without_a_recent_finished_crawl(db: None) -> None:
    result = rule_run("broken_links", today=TODAY, thresholds={"scope": "all"})
    assert result.untested
    assert "抓取" in result.untested_reason


def test_broken_links_come_from_the_newest_crawl_split_by_home_and_other_pages(
    portal: Portal,
) -> None:
    from django.utils import timezone

    from govportal.lib.crawl.testserver import Route, ServerThread
    from govportal.monitoring.crawling import crawl_run_start, crawl_run_work

    def page(body: str) -> Route:
        html = f"<html><head><title>页</title></head><body>{body}</body></html>".encode()
        return Route(body=html, headers={"Content-Type": "text/html"})

    routes = {
        "/": page('<a href="/news/">新闻</a><a href="/missing.html">坏链</a>'),
        "/news/": page('<a href="/news/gone.html">旧闻</a><img src="/img/none.png" alt="图">'),
    }
    config: dict[str, object] = {
        "timeout": 1.0,
        "deadline": 3.0,
        "retries": 0,
        "use_sitemap": False,
    }
    with ServerThread(routes) as base:
        run = crawl_run_start(start_url=base + "/", site=portal.site, config=config)
        crawl_run_work(run)
    today = timezone.localdate()
    home = rule_run("broken_links", today=today, thresholds={"scope": "home"})
    other = rule_run("broken_links", today=today, thresholds={"scope": "other"})
    assert [f.url for f in home.findings] == [base + "/"]
    assert home.count == 1
    assert sorted(f.message.rsplit("：", 1)[1] for f in other.findings) == [
        f"{base}/img/none.png",
        f"{base}/news/gone.html",
    ]
    assert {f.unit_ids for f in other.findings} == {(portal.unit_a.pk,)}
    later = today + dt.timedelta(days=8)
    assert rule_run("broken_links", today=later, thresholds={"scope": "home"}).untested


def test_broken_links_count_every_site_with_its_own_newest_crawl(portal: Portal) -> None:
    from django.utils import timezone

    from govportal.lib.crawl.testserver import Route, ServerThread
    from govportal.monitoring.crawling import crawl_run_start, crawl_run_work

    def page(body: str) -> Route:
        html = f"<html><head><title>页</title></head><body>{body}</body></html>".encode()
        return Route(body=html, headers={"Content-Type": "text/html"})

    config: dict[str, object] = {"timeout": 1.0, "retries": 0, "use_sitemap": False}
    portal_routes = {"/": page('<a href="/a.html">甲</a><a href="/old.html">旧</a>')}
    department_routes = {"/": page('<a href="/b.html">乙</a>')}
    with ServerThread(portal_routes) as portal_base, ServerThread(department_routes) as dept_base:
        for base in (portal_base, dept_base):
            run = crawl_run_start(start_url=base + "/", site=None, config=config)
            crawl_run_work(run)
        # The portal fixed one link; its newer crawl replaces the older one, the other site's
        # crawl still counts.
        portal_routes["/"] = page('<a href="/a.html">甲</a>')
        run = crawl_run_start(start_url=portal_base + "/", site=None, config=config)
        crawl_run_work(run)
    result = rule_run("broken_links", today=timezone.localdate(), thresholds={"scope": "all"})
    assert sorted(f.key for f in result.findings) == sorted(
        [f"{portal_base}/a.html", f"{dept_base}/b.html"]
    )
    assert result.count == 2
