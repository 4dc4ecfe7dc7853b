"""Admin screens for tamper alerts and probes: who sees which alert, the one restore action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import include, path
from wagtail.models import Page

from govportal import urls as project_urls
from govportal.monitoring import integrity_admin
from govportal.monitoring.integrity import integrity_check
from govportal.monitoring.models import AvailabilityProbe, IntegrityAlert, ProbeTarget
from govportal.testing import PASSWORD, Portal, add_article

# The screens as monitoring/wagtail_hooks.py mounts them under the admin.
urlpatterns = [
    path(
        "admin/integrity/",
        include(
            (integrity_admin.urlpatterns(), integrity_admin.NAMESPACE),
            namespace=integrity_admin.NAMESPACE,
        ),
    ),
    *project_urls.urlpatterns,
]
pytestmark = pytest.mark.urls(__name__)

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def alert(portal: Portal) -> IntegrityAlert:
    article = add_article(portal.news, "区政府召开常务会议")
    integrity_check(site=portal.site, now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailcore_page SET title = %s WHERE id = %s", ["黑页", article.pk])
    integrity_check(site=portal.site, now=NOW + dt.timedelta(hours=1))
    return IntegrityAlert.objects.get()


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_operator_sees_the_alert_with_its_difference_and_restores_it(
    portal: Portal, alert: IntegrityAlert
) -> None:
    client = login(portal.operator)
    listing = client.get("/admin/integrity/")
    assert listing.status_code == 200
    assert "区政府召开常务会议" in listing.content.decode() or "黑页" in listing.content.decode()

    detail = client.get(f"/admin/integrity/{alert.pk}/").content.decode()
    assert "-区政府召开常务会议" in detail and "+黑页" in detail
    assert "恢复已发布版本" in detail

    refused = client.post(f"/admin/integrity/{alert.pk}/restore/", {})
    assert refused.status_code == 400
    assert "请勾选确认后再恢复" in refused.content.decode()
    assert Page.objects.get(pk=alert.page_id).title == "黑页"

    done = client.post(f"/admin/integrity/{alert.pk}/restore/", {"confirm": "on"}, follow=True)
    assert done.status_code == 200
    assert "已恢复" in done.content.decode()
    assert Page.objects.get(pk=alert.page_id).title == "区政府召开常务会议"
    alert.refresh_from_db()
    assert alert.state == "restored"


def test_a_unit_sees_its_own_pages_alerts_read_only(portal: Portal, alert: IntegrityAlert) -> None:
    client = login(portal.editor_a)
    assert client.get("/admin/integrity/").status_code == 200
    detail = client.get(f"/admin/integrity/{alert.pk}/").content.decode()
    assert "+黑页" in detail and "恢复已发布版本</button>" not in detail
    assert (
        client.post(f"/admin/integrity/{alert.pk}/restore/", {"confirm": "on"}).status_code == 403
    )
    assert Page.objects.get(pk=alert.page_id).title == "黑页"


def test_another_unit_never_sees_the_alert(portal: Portal, alert: IntegrityAlert) -> None:
    client = login(portal.editor_b)
    assert "黑页" not in client.get("/admin/integrity/?state=all").content.decode()
    assert client.get(f"/admin/integrity/{alert.pk}/").status_code == 404
    assert (
        client.post(f"/admin/integrity/{alert.pk}/restore/", {"confirm": "on"}).status_code == 404
    )


def test_the_auditor_has_no_alert_screen(portal: Portal, alert: IntegrityAlert) -> None:
    client = login(portal.auditor)
    assert client.get("/admin/integrity/").status_code == 403


def test_the_availability_screen_shows_the_share_per_day_to_supervisors_only(
    portal: Portal,
) -> None:
    target = ProbeTarget.objects.create(name="门户网站", base_url="https://www.example.gov.cn/")
    from django.utils import timezone

    now = timezone.now()
    AvailabilityProbe.objects.bulk_create(
        AvailabilityProbe(target=target, at=now, ok=n != 0, status_code=200) for n in range(10)
    )
    page = login(portal.security_admin).get("/admin/integrity/availability/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "门户网站" in text and "10.0%（达到 5%）" in text and "（不足 20 次）" in text
    assert login(portal.editor_a).get("/admin/integrity/availability/").status_code == 403


def test_the_dashboard_shows_open_alerts_to_those_who_may_see_them(
    portal: Portal, alert: IntegrityAlert, rf: Any
) -> None:
    for user, shown in ((portal.operator, True), (portal.editor_b, False)):
        request = rf.get("/admin/")
        request.user = user
        panels: list[Any] = []
        integrity_admin.construct_homepage_panels(request, panels)
        assert bool(panels) is shown
