"""三员分立: no account holds two of 系统管理员、安全管理员、审计管理员 (等保), however it is tried.

And the admin's user forms carry the user's unit and phone.
"""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from govportal.accounts.models import User
from govportal.accounts.roles import Role, combined_admin_roles, user_has_role
from govportal.testing import PASSWORD, Portal, UserFactory

pytestmark = pytest.mark.django_db

SEPARATION_ERROR = "三员分立: 一个账号不能同时担任"


def group(role: Role) -> Group:
    return Group.objects.get(name=role.value)


def creation_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "newadmin",
        "email": "newadmin@example.gov.cn",
        "first_name": "新",
        "last_name": "管理员",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_two_separated_roles_are_found_among_group_names() -> None:
    assert combined_admin_roles(["系统管理员", "审计管理员", "区教育局·编辑"]) == [
        "审计管理员",
        "系统管理员",
    ]
    assert combined_admin_roles(["系统管理员", "运维监管"]) == []


def test_the_system_admin_creates_a_user_with_unit_and_phone(portal: Portal, client: Any) -> None:
    client.force_login(portal.system_admin)
    form_page = client.get(reverse("wagtailusers_users:add"))
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert 'name="unit"' in html
    assert 'name="phone"' in html

    response = client.post(
        reverse("wagtailusers_users:add"),
        creation_data(unit=portal.unit_b.pk, phone="13912345678", groups=[group(Role.AUDITOR).pk]),
    )
    assert response.status_code == 302
    user = User.objects.get(username="newadmin")
    assert user.unit == portal.unit_b
    assert user.phone == "13912345678"
    assert list(user.groups.values_list("name", flat=True)) == ["审计管理员"]


def test_the_admin_refuses_to_create_a_user_with_two_separated_roles(
    portal: Portal, client: Any
) -> None:
    client.force_login(portal.system_admin)
    response = client.post(
        reverse("wagtailusers_users:add"),
        creation_data(groups=[group(Role.SYSTEM_ADMIN).pk, group(Role.SECURITY_ADMIN).pk]),
    )
    assert response.status_code == 200
    assert SEPARATION_ERROR in response.content.decode()
    assert "安全管理员、系统管理员" in response.content.decode()
    assert not User.objects.filter(username="newadmin").exists()


def test_the_admin_refuses_to_give_an_auditor_the_security_role(
    portal: Portal, client: Any
) -> None:
    client.force_login(portal.system_admin)
    url = reverse("wagtailusers_users:edit", args=[portal.auditor.pk])
    data = creation_data(
        username="auditor",
        email="auditor@example.gov.cn",
        password1="",
        password2="",
        groups=[group(Role.AUDITOR).pk, group(Role.SECURITY_ADMIN).pk],
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert SEPARATION_ERROR in response.content.decode()
    assert list(portal.auditor.groups.values_list("name", flat=True)) == ["审计管理员"]


def test_the_edit_form_saves_unit_and_phone_and_allows_one_admin_role(
    portal: Portal, client: Any
) -> None:
    client.force_login(portal.system_admin)
    url = reverse("wagtailusers_users:edit", args=[portal.auditor.pk])
    html = client.get(url).content.decode()
    assert 'name="unit"' in html
    assert 'name="phone"' in html
    data = creation_data(
        username="auditor",
        email="auditor@example.gov.cn",
        password1="",
        password2="",
        unit=portal.unit_a.pk,
        phone="0917-3212345",
        groups=[group(Role.SECURITY_ADMIN).pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    auditor = User.objects.get(pk=portal.auditor.pk)
    assert auditor.unit == portal.unit_a
    assert auditor.phone == "0917-3212345"
    assert list(auditor.groups.values_list("name", flat=True)) == ["安全管理员"]


def test_adding_a_second_admin_role_to_a_user_is_refused(portal: Portal) -> None:
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        portal.system_admin.groups.add(group(Role.AUDITOR))
    assert list(portal.system_admin.groups.values_list("name", flat=True)) == ["系统管理员"]


def test_adding_two_admin_roles_at_once_is_refused(portal: Portal) -> None:
    user = UserFactory.create()
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        user.groups.add(group(Role.SECURITY_ADMIN), group(Role.AUDITOR))
    assert not user.groups.exists()


def test_adding_a_user_to_a_role_from_the_group_side_is_refused(portal: Portal) -> None:
    with pytest.raises(ValidationError, match="secadmin"), transaction.atomic():
        group(Role.SYSTEM_ADMIN).user_set.add(portal.security_admin)
    assert not group(Role.SYSTEM_ADMIN).user_set.filter(pk=portal.security_admin.pk).exists()


def test_replacing_a_users_admin_role_with_another_is_allowed(portal: Portal) -> None:
    portal.auditor.groups.set([group(Role.SECURITY_ADMIN)])
    assert list(portal.auditor.groups.values_list("name", flat=True)) == ["安全管理员"]


def test_an_admin_role_combines_with_the_operator_role(portal: Portal) -> None:
    portal.operator.groups.add(group(Role.SYSTEM_ADMIN))
    assert portal.operator.groups.count() == 2


def test_user_roles_are_read_from_group_membership(portal: Portal) -> None:
    assert user_has_role(portal.operator, Role.OPERATOR)
    assert user_has_role(portal.auditor, Role.AUDITOR, Role.OPERATOR)
    assert not user_has_role(portal.editor_a, Role.OPERATOR)
