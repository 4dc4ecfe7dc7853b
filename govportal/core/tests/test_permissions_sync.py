"""Page permissions follow the column responsibility table (第四条, 第十二条).

A unit's editors add and edit pages only under the columns their unit is responsible for, its
reviewers also publish there, and changing a column's units moves the permissions.
"""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import querydict_from_html

from govportal.accounts.models import User
from govportal.core.models import ColumnPage, UnitGroup, UnitRole
from govportal.core.responsibility import Assignment
from govportal.core.services import (
    ROLE_PAGE_PERMISSIONS,
    column_permissions_sync,
    column_responsibility_import,
    column_responsibility_set,
)
from govportal.testing import Portal, UnitFactory, UserFactory, add_article, add_column

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    # Wagtail caches page permissions on the user object; read them anew after a change.
    return User.objects.get(pk=user.pk)


def can_add(user: User, page: Page) -> bool:
    return bool(page.permissions_for_user(fresh(user)).can_add_subpage())


def can_edit(user: User, page: Page) -> bool:
    return bool(page.permissions_for_user(fresh(user)).can_edit())


def can_publish(user: User, page: Page) -> bool:
    return bool(page.permissions_for_user(fresh(user)).can_publish())


def test_an_editor_adds_pages_only_under_the_columns_of_their_unit(portal: Portal) -> None:
    services = add_column(portal.home, "服务", units=[portal.unit_b])
    assert can_add(portal.editor_a, portal.news)
    assert can_add(portal.editor_a, portal.affairs)
    assert not can_add(portal.editor_a, services)
    assert can_add(portal.editor_b, portal.notices)
    assert can_add(portal.editor_b, services)
    assert not can_add(portal.editor_b, portal.news)
    assert not can_add(portal.editor_b, portal.affairs)
    assert not can_add(portal.editor_b, portal.home)


def test_a_unit_responsible_for_a_parent_column_also_works_in_its_subcolumns(
    portal: Portal,
) -> None:
    # Wagtail page permissions are inherited by the subtree: the unit of 政务 keeps the whole
    # 政务 column, including 通知公告 that 区教育局 feeds.
    assert can_add(portal.editor_a, portal.notices)
    assert can_edit(portal.editor_a, add_article(portal.notices, "关于开展秋季开学安全检查的通知"))


def test_an_editor_edits_articles_only_under_the_columns_of_their_unit(portal: Portal) -> None:
    news_item = add_article(portal.news, "区长调研重点项目")
    notice = add_article(portal.notices, "关于开展秋季开学安全检查的通知")
    assert can_edit(portal.editor_a, news_item)
    assert can_edit(portal.editor_b, notice)
    assert not can_edit(portal.editor_b, news_item)


def test_permissions_reach_subcolumns_created_later(portal: Portal) -> None:
    sub = add_column(portal.news, "镇街动态")
    assert can_add(portal.editor_a, sub)
    assert not can_add(portal.editor_b, sub)


@pytest.mark.parametrize("role", list(UnitRole))
def test_each_unit_role_gets_its_page_permissions_on_its_columns_only(
    portal: Portal, role: UnitRole
) -> None:
    group = UnitGroup.objects.get(unit=portal.unit_a, role=role).group
    granted = GroupPagePermission.objects.filter(group=group)
    assert set(granted.values_list("page_id", flat=True)) == {portal.news.pk, portal.affairs.pk}
    codenames = set(granted.filter(page=portal.news).values_list("permission__codename", flat=True))
    assert codenames == set(ROLE_PAGE_PERMISSIONS[role])


def test_publishing_rests_with_the_role_the_table_of_role_permissions_names(
    portal: Portal,
) -> None:
    # 第十二条 (审发分离): which per-unit role publishes is decided in ROLE_PAGE_PERMISSIONS;
    # whoever it is publishes in the unit's own columns and nowhere else.
    article = add_article(portal.news, "区政府常务会议召开")
    elsewhere = add_article(add_column(portal.home, "服务", units=[portal.unit_b]), "办事指南更新")
    for user, role in ((portal.editor_a, UnitRole.EDITOR), (portal.reviewer_a, UnitRole.REVIEWER)):
        publishes = "publish_page" in ROLE_PAGE_PERMISSIONS[role]
        assert can_publish(user, article) is publishes
        assert not can_publish(user, elsewhere)


def test_the_operator_may_add_and_publish_everywhere(portal: Portal) -> None:
    assert can_add(portal.operator, portal.notices)
    assert can_publish(portal.operator, add_article(portal.notices, "停水通知"))


def test_users_outside_the_units_get_no_page_permissions(portal: Portal) -> None:
    for user in (portal.security_admin, portal.auditor, portal.system_admin):
        assert not can_add(user, portal.news)


def test_changing_a_columns_units_moves_the_permissions(portal: Portal) -> None:
    column_responsibility_set(
        column=portal.news, units=[portal.unit_b], frequency="weekly", user=portal.operator
    )
    assert can_add(portal.editor_b, portal.news)
    assert not can_add(portal.editor_a, portal.news)
    assert ColumnPage.objects.get(pk=portal.news.pk).responsible_units.get() == portal.unit_b


def test_a_column_may_have_two_responsible_units(portal: Portal) -> None:
    column_responsibility_set(
        column=portal.news,
        units=[portal.unit_a, portal.unit_b],
        frequency="weekly",
        user=portal.operator,
    )
    assert can_add(portal.editor_a, portal.news)
    assert can_add(portal.editor_b, portal.news)


def test_a_unit_named_for_the_first_time_gets_its_groups_and_permissions(portal: Portal) -> None:
    town = UnitFactory.create(name="高家镇人民政府")
    assert not UnitGroup.objects.filter(unit=town).exists()
    column_responsibility_set(
        column=portal.news, units=[town], frequency="daily", user=portal.operator
    )
    editor = UserFactory.create(unit=town)
    editor.groups.add(UnitGroup.objects.get(unit=town, role="editor").group)
    assert can_add(editor, portal.news)
    assert not can_add(portal.editor_a, portal.news)


def test_the_table_import_moves_permissions_in_one_go(portal: Portal) -> None:
    changed = column_responsibility_import(
        assignments=[
            Assignment(portal.news.pk, ("区教育局",), "daily"),
            Assignment(portal.notices.pk, ("区政府办公室",), "monthly"),
        ],
        user=portal.operator,
    )
    assert changed == 2
    assert can_add(portal.editor_b, portal.news)
    assert not can_add(portal.editor_a, portal.news)
    assert not can_add(portal.editor_b, portal.affairs)
    assert ColumnPage.objects.get(pk=portal.news.pk).update_frequency == "daily"
    assert ColumnPage.objects.get(pk=portal.notices.pk).update_frequency == "monthly"


def test_an_import_naming_a_missing_unit_changes_nothing(portal: Portal) -> None:
    with pytest.raises(ValueError, match="区财政局"):
        column_responsibility_import(
            assignments=[
                Assignment(portal.news.pk, ("区教育局",), "daily"),
                Assignment(portal.notices.pk, ("区财政局",), "monthly"),
            ],
            user=portal.operator,
        )
    assert can_add(portal.editor_a, portal.news)
    assert not can_add(portal.editor_b, portal.news)
    assert ColumnPage.objects.get(pk=portal.news.pk).update_frequency == "weekly"


def test_a_full_sync_removes_stray_unit_permissions(portal: Portal) -> None:
    group = UnitGroup.objects.get(unit=portal.unit_b, role="editor").group
    change_page = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="change_page"
    )
    GroupPagePermission.objects.create(group=group, page=portal.news, permission=change_page)
    assert can_edit(portal.editor_b, add_article(portal.news, "误授权的文章"))
    column_permissions_sync()
    assert not can_edit(portal.editor_b, add_article(portal.news, "另一篇文章"))
    assert can_add(portal.editor_b, portal.notices)


def edit_form(client: Any, page: Page) -> Any:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form").copy()
    # As a browser sends them: a ticked checkbox without a value is "on", and Draftail sends
    # "null" for an empty editor (the helper reads the raw initial state instead).
    data["nav_visible"] = "on"
    data["body"] = "null"
    return data


def test_new_units_set_on_the_page_move_permissions_when_published_not_when_drafted(
    portal: Portal, client: Any
) -> None:
    # Saving a draft used to crash here: the sync read the draft's in-memory units.
    client.force_login(portal.operator)
    data = edit_form(client, portal.news)
    data.setlist("responsible_units", [str(portal.unit_b.pk)])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[portal.news.pk]), data)
    assert response.status_code == 302
    assert can_add(portal.editor_a, portal.news)
    assert not can_add(portal.editor_b, portal.news)

    # A change of units alone needs no content review (content/review.py exempts it).
    ColumnPage.objects.get(pk=portal.news.pk).get_latest_revision().publish(user=portal.operator)
    assert can_add(portal.editor_b, portal.news)
    assert not can_add(portal.editor_a, portal.news)
