"""The full-size demo district, loaded once for this module (`manage.py load_demo`)."""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from govportal.accounts.models import User
from govportal.accounts.roles import SEPARATED_ADMIN_ROLES, Role
from govportal.content.models import ArchiveLog, ArticlePage, HomePage
from govportal.core.freshness import is_stale
from govportal.core.models import ColumnPage, SiteIdentity, Unit, UnitKind, UnitRole
from govportal.demo import ARCHIVED_TOPIC, EMPTY_COLUMN
from govportal.demo.columns import STALE_COLUMNS

pytestmark = pytest.mark.heavy

NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday morning


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Load the full demo once, inside a transaction that is rolled back after the module."""
    var_dir = tmp_path_factory.mktemp("var")
    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
        with transaction.atomic():
            with time_machine.travel(NOW, tick=False):
                call_command("load_demo", "--no-crawl", stdout=out)
            yield {"stdout": out.getvalue(), "logins_file": var_dir / "demo-logins.txt"}
            transaction.set_rollback(True)
        Site.clear_site_root_paths_cache()
        cache.clear()


def columns() -> list[ColumnPage]:
    return list(ColumnPage.objects.select_related("kind").order_by("path"))


def newest(column: ColumnPage) -> dt.date | None:
    latest = column.articles().first()
    return timezone.localtime(latest.pub_date).date() if latest else None


@pytest.mark.django_db
def test_the_home_page_is_the_site_root_and_the_welcome_page_is_gone(demo: Any) -> None:
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert Page.objects.filter(depth=2).count() == 1
    assert not Page.objects.filter(title__icontains="Welcome").exists()


@pytest.mark.django_db
def test_the_six_top_columns_of_article_six_are_there_in_order(demo: Any) -> None:
    home = HomePage.objects.get()
    titles = [c.title for c in ColumnPage.objects.child_of(home)]
    assert titles == ["新闻", "政务", "服务", "互动", "区情", "专栏"]


@pytest.mark.django_db
def test_there_are_at_least_forty_subcolumns_each_with_its_responsibility(demo: Any) -> None:
    home = HomePage.objects.get()
    subcolumns = ColumnPage.objects.filter(depth__gt=home.depth + 1)
    assert subcolumns.count() >= 40
    for column in columns():
        assert column.kind_id, column.title
        assert column.responsible_units.exists(), column.title
        assert column.update_frequency, column.title
        assert column.description and column.keywords, column.title


@pytest.mark.django_db
def test_at_least_thirty_units_cover_the_roles_of_articles_four_and_five(demo: Any) -> None:
    assert Unit.objects.count() >= 30
    names = set(Unit.objects.values_list("name", flat=True))
    assert {
        "区政府办公室",
        "区数字化信息服务中心",
        "区大数据发展服务局",
        "区行政审批服务局",
    } <= names
    assert {"区委宣传部（网信办）", "公安分局"} <= names
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == set(UnitKind.values)
    for unit in Unit.objects.all():
        assert unit.phone.startswith("0917-") and unit.contact_person, unit.name
        assert unit.role_groups.count() == 2, unit.name


@pytest.mark.django_db
def test_five_hundred_articles_spread_over_two_years_mostly_in_office_hours(demo: Any) -> None:
    dates = [timezone.localtime(d) for d in ArticlePage.objects.values_list("pub_date", flat=True)]
    assert len(dates) >= 500
    assert max(dates) <= NOW
    assert min(dates) >= NOW - dt.timedelta(days=731)
    assert max(dates) - min(dates) >= dt.timedelta(days=600)
    weekdays = sum(1 for d in dates if d.weekday() < 5)
    office = sum(1 for d in dates if dt.time(8, 30) <= d.time() <= dt.time(18, 0))
    assert weekdays / len(dates) > 0.85
    assert office / len(dates) > 0.8
    months = {(d.year, d.month) for d in dates}
    assert len(months) >= 23


@pytest.mark.django_db
def test_published_times_match_the_publish_date(demo: Any) -> None:
    for article in ArticlePage.objects.all()[:50]:
        assert article.first_published_at == article.pub_date
        assert article.live


@pytest.mark.django_db
def test_exactly_the_documented_columns_are_stale(demo: Any) -> None:
    stale = set()
    for column in columns():
        kind = column.kind
        if not column.archived and is_stale(
            newest(column), kind.freshness_amount, kind.freshness_unit, NOW.date()
        ):
            stale.add(column.slug)
    # The empty column has a freshness class too, so it counts as not updated as well.
    assert stale == {*STALE_COLUMNS, EMPTY_COLUMN}


@pytest.mark.django_db
def test_the_stale_columns_are_as_old_as_documented(demo: Any) -> None:
    def age(slug: str) -> int:
        last = newest(ColumnPage.objects.get(slug=slug))
        assert last is not None
        return (NOW.date() - last).days

    assert 58 <= age("media") <= 70
    assert 235 <= age("social-assistance") <= 255
    assert 410 <= age("personnel") <= 440
    assert 26 <= age("culture-tourism") <= 36
    assert 205 <= age("education-disclosure") <= 220


@pytest.mark.django_db
def test_exactly_one_column_is_empty(demo: Any) -> None:
    empty = [
        c.slug
        for c in columns()
        if not c.articles().exists()
        and not c.body.strip()
        and not ColumnPage.objects.child_of(c).exists()
    ]
    assert empty == [EMPTY_COLUMN]


@pytest.mark.django_db
def test_an_old_special_topic_is_archived_with_its_date(demo: Any) -> None:
    topic = ColumnPage.objects.get(slug=ARCHIVED_TOPIC)
    assert topic.archived
    last = topic.articles().first()
    assert last is not None and topic.archived_at is not None
    assert last.pub_date < topic.archived_at < NOW
    log = ArchiveLog.objects.get(page=topic)
    assert log.is_column and log.at == topic.archived_at
    assert ColumnPage.objects.filter(archived=True).count() == 1


@pytest.mark.django_db
def test_site_identity_carries_every_footer_identifier_and_validates(demo: Any) -> None:
    identity = SiteIdentity.objects.get(site__is_default_site=True)
    identity.full_clean()
    assert "政府办公室" in identity.sponsor
    assert identity.operator.endswith("区数字化信息服务中心")
    assert identity.builder.endswith("区大数据发展服务局")
    assert len(identity.site_code) == 10 and identity.site_code.isdigit()
    assert identity.icp_number and identity.icp_url
    assert identity.police_number and identity.police_url
    assert identity.party_mark is not None and identity.party_mark_url
    assert identity.error_report_url and identity.address and identity.phone and identity.email


@pytest.mark.django_db
def test_articles_carry_pictures_with_alt_text_attachments_and_reprints(demo: Any) -> None:
    with_cover = ArticlePage.objects.filter(cover__isnull=False)
    assert with_cover.count() >= 30
    assert not with_cover.filter(cover_alt="").exists()
    with_files = ArticlePage.objects.filter(attachments__isnull=False).distinct()
    assert with_files.count() >= 30
    extensions = set()
    for article in with_files:
        for attachment in article.attachments.all():
            assert attachment.document.get_file_size() > 0
            extensions.add(attachment.document.file_extension)
    assert extensions == {"pdf", "docx", "xlsx"}
    reprints = ArticlePage.objects.filter(is_reprint=True)
    assert reprints.count() >= 5
    for article in reprints:
        article.clean()  # 第八条(一): source site and URL required
        assert article.reprint_url.startswith("http")


@pytest.mark.django_db
def test_the_generated_pdf_is_a_well_formed_file(demo: Any) -> None:
    from wagtail.documents import get_document_model

    document = get_document_model().objects.filter(file__endswith=".pdf").first()
    assert document is not None
    with document.open_file() as f:
        data = f.read()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref : xref + 4] == b"xref"


@pytest.mark.django_db
def test_the_three_admin_duties_are_held_by_three_people(demo: Any) -> None:
    holders = {
        role: list(User.objects.filter(groups__name=role).values_list("username", flat=True))
        for role in SEPARATED_ADMIN_ROLES
    }
    assert all(len(users) == 1 for users in holders.values())
    assert len({users[0] for users in holders.values()}) == 3
    assert User.objects.filter(groups__name=Role.OPERATOR).count() == 1
    assert User.objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_at_least_five_units_have_a_separate_editor_and_reviewer(demo: Any) -> None:
    staffed = 0
    for unit in Unit.objects.all():
        editors = set(
            User.objects.filter(
                groups__unit_role__unit=unit, groups__unit_role__role=UnitRole.EDITOR
            ).values_list("pk", flat=True)
        )
        reviewers = set(
            User.objects.filter(
                groups__unit_role__unit=unit, groups__unit_role__role=UnitRole.REVIEWER
            ).values_list("pk", flat=True)
        )
        if editors and reviewers:
            assert not editors & reviewers, unit.name  # 第十二条: 审发分离
            staffed += 1
    assert staffed >= 5


@pytest.mark.django_db
def test_logins_are_printed_and_kept_in_a_private_file(demo: Any) -> None:
    path: Path = demo["logins_file"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text in demo["stdout"]
    rows = [line.split() for line in text.splitlines() if line.split()[-1:] and "_" in line]
    assert rows
    for username in ("admin", "operator", "sysadmin", "secadmin", "auditor", "zfb_editor"):
        line = next(line for line in text.splitlines() if f" {username} " in line)
        password = line.split()[-1]
        assert authenticate(username=username, password=password) is not None, username


@pytest.mark.django_db
def test_the_home_page_renders_with_the_site_name(demo: Any, client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "渭滨区人民政府门户网站" in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_is_arranged_from_blocks(demo: Any) -> None:
    home = HomePage.objects.get()
    kinds = [block.block_type for block in home.body]
    assert {"headline", "column_list", "entries", "banner"} <= set(kinds)
    headline = next(block for block in home.body if block.block_type == "headline")
    assert headline.value["column"].specific.slug == "district-news"


@pytest.mark.django_db
def test_pictures_used_in_articles_are_in_the_reference_index(demo: Any) -> None:
    from wagtail.models import ReferenceIndex

    article = ArticlePage.objects.filter(cover__isnull=False).first()
    assert article is not None
    assert ReferenceIndex.get_references_to(article.cover).exists()


@pytest.mark.django_db
def test_column_texts_link_to_the_citizen_services_and_every_link_answers(
    demo: Any, client: Any
) -> None:
    # The 互动 and 政府信息公开 columns lead to the mailbox, interviews, surveys, the answer bot,
    # the disclosure request form and the annual reports.
    links: set[str] = set()
    for column in ColumnPage.objects.exclude(body=""):
        links |= set(re.findall(r'href="(/[^"]*)"', column.body))
    assert {"/mailbox/write/", "/knowledge/ask/", "/disclosure/requests/", "/reports/"} <= links
    broken = {}
    for href in sorted(links):
        status = client.get(href).status_code
        if status != 200:
            broken[href] = status
    assert not broken, f"栏目正文中的链接打不开: {broken}"
