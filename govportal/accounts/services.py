"""Platform-wide role groups and their permissions (三员分立 for the three admin roles)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from govportal.accounts.roles import Role

ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.OPERATOR: [
        ("wagtailadmin", "access_admin"),
        ("core", "view_unit"),
        ("core", "change_unit"),
        ("core", "view_columnkind"),
        ("core", "change_columnkind"),
        ("core", "change_siteidentity"),
        ("content", "view_archivelog"),
        # The office enters each year's holiday schedule when the State Council publishes it.
        ("core", "add_calendaryear"),
        ("core", "change_calendaryear"),
        ("core", "view_calendaryear"),
        ("core", "delete_calendaryear"),
        ("core", "add_calendarday"),
        ("core", "change_calendarday"),
        ("core", "view_calendarday"),
        ("core", "delete_calendarday"),
        # 错敏词: the office keeps the lexicon (第二十一条(四): 对错断链、错敏词等及时整改).
        ("checks", "view_lexiconentry"),
        ("checks", "add_lexiconentry"),
        ("checks", "change_lexiconentry"),
        ("checks", "delete_lexiconentry"),
        # 检查指标: a new edition of the national indicators is a data change the operator makes.
        ("monitoring", "view_indicator"),
        ("monitoring", "add_indicator"),
        ("monitoring", "change_indicator"),
        # Review steps per column (up to three) are Wagtail workflows the operator sets.
        ("wagtailcore", "add_workflow"),
        ("wagtailcore", "change_workflow"),
        ("wagtailcore", "add_task"),
        ("wagtailcore", "change_task"),
        ("wagtaildocs", "add_document"),
        ("wagtailimages", "add_image"),
    ],
    Role.SYSTEM_ADMIN: [
        ("wagtailadmin", "access_admin"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        ("accounts", "view_user"),
        ("auth", "view_group"),
        ("core", "add_unit"),
        ("core", "change_unit"),
        ("core", "view_unit"),
        ("core", "change_siteidentity"),
        ("wagtailcore", "add_site"),
        ("wagtailcore", "change_site"),
    ],
    Role.SECURITY_ADMIN: [
        ("wagtailadmin", "access_admin"),
        ("accounts", "view_user"),
        ("auth", "view_group"),
    ],
    Role.AUDITOR: [
        ("wagtailadmin", "access_admin"),
        ("accounts", "view_user"),
        ("content", "view_archivelog"),
    ],
}

# The operator (承办单位) supervises every column: it may edit and publish anywhere.
OPERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


# Wagtail's starter groups publish anywhere from the root; our roles replace them.
WAGTAIL_STARTER_GROUPS = ("Editors", "Moderators")


@transaction.atomic
def role_permissions(role: str) -> list[tuple[str, str]]:
    """The model permissions of a platform role: the table above plus what each app adds.

    An app adds its own with a `role_permissions` attribute on its AppConfig, a mapping from
    role to (app_label, codename) pairs, so a new app needs no edit here.
    """
    perms = list(ROLE_MODEL_PERMISSIONS.get(role, []))
    for config in apps.get_app_configs():
        perms.extend(getattr(config, "role_permissions", {}).get(role, []))
    return perms


def roles_ensure() -> dict[str, Group]:
    """Create the platform role groups with their permissions; safe to run twice.

    Also removes Wagtail's starter groups while nobody is in them, so no group outside the
    responsibility table holds page permissions on the whole tree.
    """
    Group.objects.filter(name__in=WAGTAIL_STARTER_GROUPS, user__isnull=True).delete()
    groups: dict[str, Group] = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        for app_label, codename in role_permissions(role):
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                group.permissions.add(perm)
        groups[role] = group
    root = Page.get_first_root_node()
    if root is not None:
        for codename in OPERATOR_PAGE_PERMISSIONS:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(
                group=groups[Role.OPERATOR], page=root, permission=perm
            )
    return groups
