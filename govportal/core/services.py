"""State changes of units and columns. One function each; admin, commands and imports call them."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from govportal.core.models import ColumnPage, Unit, UnitGroup, UnitRole

# What each per-unit role may do on the columns its unit is responsible for (第十二条:
# editors write, reviewers approve; publishing rules are tightened by the review workflow).
ROLE_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    UnitRole.EDITOR: ("add_page", "change_page"),
    UnitRole.REVIEWER: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
ROLE_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
)


def unit_group_name(unit: Unit, role: str) -> str:
    return f"{unit.name}·{UnitRole(role).label}"


@transaction.atomic
def unit_groups_ensure(*, unit: Unit) -> dict[str, Group]:
    """Create (or rename) the editor and reviewer groups of a unit, with admin access."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root = Collection.get_first_root_node()
    groups: dict[str, Group] = {}
    for role in UnitRole:
        link = UnitGroup.objects.select_related("group").filter(unit=unit, role=role).first()
        name = unit_group_name(unit, role)
        if link is None:
            group, _ = Group.objects.get_or_create(name=name)
            UnitGroup.objects.create(unit=unit, role=role, group=group)
        else:
            group = link.group
            if group.name != name:
                group.name = name
                group.save(update_fields=["name"])
        group.permissions.add(access_admin)
        for app_label, codename in ROLE_COLLECTION_PERMISSIONS:
            perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=perm
            )
        groups[role] = group
    return groups


def _page_permissions(codenames: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )


@transaction.atomic
def column_permissions_sync(*, column: ColumnPage | None = None) -> None:
    """Derive the unit groups' page permissions from the column responsibility table.

    第四条: a unit keeps the columns it is responsible for up to date, and only those. A unit's
    groups get permissions exactly on the columns that list the unit (inherited by the
    subtree); permissions on other columns are removed. With `column`, only that column is
    brought into step; without it, every column is.
    """
    columns = [column] if column is not None else list(ColumnPage.objects.all())
    units_by_column: dict[int, set[int]] = {
        c.pk: set(c.responsible_units.values_list("pk", flat=True)) for c in columns
    }
    links = UnitGroup.objects.select_related("group")
    wanted_units = set().union(*units_by_column.values()) if units_by_column else set()
    missing = wanted_units - set(links.values_list("unit_id", flat=True))
    for unit in Unit.objects.filter(pk__in=missing):
        unit_groups_ensure(unit=unit)

    perms = {role: _page_permissions(codes) for role, codes in ROLE_PAGE_PERMISSIONS.items()}
    all_links = list(links.all())
    group_ids = [link.group_id for link in all_links]
    for col in columns:
        responsible = units_by_column[col.pk]
        # Drop every unit-group permission on this page, then grant the responsible ones.
        GroupPagePermission.objects.filter(page_id=col.pk, group_id__in=group_ids).delete()
        GroupPagePermission.objects.bulk_create(
            [
                GroupPagePermission(group_id=link.group_id, page_id=col.pk, permission=perm)
                for link in all_links
                if link.unit_id in responsible
                for perm in perms[link.role]
            ]
        )
