"""Shared test base: factories, a small portal tree and named personas for the roles.

Like healthchecks' hc/test.py: every app's tests build on these instead of inventing their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone
from wagtail.models import Page, Site

from govportal.accounts.models import User
from govportal.accounts.roles import Role
from govportal.accounts.services import roles_ensure
from govportal.content.models import ArticlePage, HomePage
from govportal.content.review import review_bypass
from govportal.core.models import ColumnKind, ColumnPage, SiteIdentity, Unit, UnitKind, UnitRole
from govportal.core.services import unit_groups_ensure

PASSWORD = "test-password-123"  # noqa: S105  (test personas only)
# Test data goes online without review, and the trail says so (docs/review.md).
TEST_DATA = "测试数据"


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT
    contact_person = "张工"
    phone = factory.Sequence(lambda n: f"0917-32{n:05d}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "王"
    first_name = factory.Sequence(lambda n: f"测{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # type: ignore[misc]
        if create:
            obj.save()


def kind(code: str) -> ColumnKind:
    return ColumnKind.objects.get(code=code)


def add_column(
    parent: Page,
    title: str,
    *,
    kind_code: str = "news",
    units: list[Unit] | None = None,
    slug: str | None = None,
    frequency: str = "weekly",
) -> ColumnPage:
    column = ColumnPage(
        title=title,
        slug=slug or f"col-{ColumnPage.objects.count() + 1}",
        kind=kind(kind_code),
        update_frequency=frequency,
        description=f"{title}栏目",
    )
    with review_bypass(reason=TEST_DATA):
        parent.add_child(instance=column)
    if units:
        column.responsible_units.set(units)
        column.save()
    return column


def add_article(
    column: ColumnPage, title: str, *, pub_date: dt.datetime | None = None, **fields: Any
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        slug=f"a-{ArticlePage.objects.count() + 1}",
        pub_date=pub_date or timezone.now(),
        source=fields.pop("source", "区政府办公室"),
        **fields,
    )
    with review_bypass(reason=TEST_DATA):
        column.add_child(instance=article)
    return article


@dataclass
class Portal:
    """A small portal: a home page, two top columns and personas for every role."""

    home: HomePage
    site: Site
    news: ColumnPage
    affairs: ColumnPage
    notices: ColumnPage
    unit_a: Unit
    unit_b: Unit
    editor_a: User
    reviewer_a: User
    editor_b: User
    operator: User
    system_admin: User
    security_admin: User
    auditor: User


def build_portal() -> Portal:
    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()  # Wagtail's "Welcome" page
    root = Page.get_first_root_node()
    home = HomePage(title="首页", slug="home")
    with review_bypass(reason=TEST_DATA):
        root.add_child(instance=home)
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    SiteIdentity.objects.update_or_create(
        site=site,
        defaults={
            "site_name": "测试区人民政府门户网站",
            "sponsor": "测试区人民政府办公室",
            "operator": "测试区数字化信息服务中心",
            "builder": "测试区大数据发展服务局",
            "site_code": "6103020001",
            "icp_number": "陕ICP备05001234号-1",
            "police_number": "陕公网安备 61030202000123号",
            "police_url": "https://beian.mps.gov.cn/",
            "error_report_url": "https://zfwzzc.www.gov.cn/",
            "phone": "0917-3210000",
            "address": "测试区人民路1号",
        },
    )
    unit_a = UnitFactory.create(name="区政府办公室")
    unit_b = UnitFactory.create(name="区教育局")
    news = add_column(home, "新闻", kind_code="news", units=[unit_a], slug="news")
    affairs = add_column(home, "政务", kind_code="static", units=[unit_a], slug="affairs")
    notices = add_column(affairs, "通知公告", kind_code="notice", units=[unit_b], slug="notices")

    groups = roles_ensure()
    unit_groups = {u.pk: unit_groups_ensure(unit=u) for u in (unit_a, unit_b)}

    def person(username: str, unit: Unit | None, *group_list: Any) -> User:
        user = UserFactory.create(username=username, unit=unit)
        user.groups.set(group_list)
        return user

    return Portal(
        home=home,
        site=site,
        news=news,
        affairs=affairs,
        notices=notices,
        unit_a=unit_a,
        unit_b=unit_b,
        editor_a=person("editor_a", unit_a, unit_groups[unit_a.pk][UnitRole.EDITOR]),
        reviewer_a=person("reviewer_a", unit_a, unit_groups[unit_a.pk][UnitRole.REVIEWER]),
        editor_b=person("editor_b", unit_b, unit_groups[unit_b.pk][UnitRole.EDITOR]),
        operator=person("operator", None, groups[Role.OPERATOR]),
        system_admin=person("sysadmin", None, groups[Role.SYSTEM_ADMIN]),
        security_admin=person("secadmin", None, groups[Role.SECURITY_ADMIN]),
        auditor=person("auditor", None, groups[Role.AUDITOR]),
    )
