"""State changes of units and columns. One function each; admin, commands and imports call them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from govportal.core.models import ColumnPage, Unit, UnitGroup, UnitRole
from govportal.core.responsibility import Assignment

# What each per-unit role may do on the columns its unit is responsible for (第十二条:
# editors write, reviewers approve; publishing rules are tightened by the review workflow).
ROLE_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # Publish here means: publish a revision another person has approved, after proofreading
    # (第十二条); Wagtail's direct publishing is switched off (govportal/content/review_hooks.py).
    UnitRole.EDITOR: ("add_page", "change_page", "publish_page"),
    # Reviewers read and comment in the editor and approve; they do not publish (审发分离).
    UnitRole.REVIEWER: ("change_page", "lock_page", "unlock_page"),
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
    brought into step; without it, every column is, and stray unit-group permissions on any
    other page are removed too.

    The units are read from the database, not from `column`'s in-memory relation: saving a
    draft revision (`save_revision`) saves the page with the draft's units in memory but leaves
    the live ones in place, and only what is live (published) may decide who edits the column.
    """
    through = ColumnPage.responsible_units.through
    pairs = through.objects.all()
    if column is not None:
        pairs = pairs.filter(columnpage_id=column.pk)
    units_by_column: dict[int, set[int]] = defaultdict(set)
    for column_id, unit_id in pairs.values_list("columnpage_id", "unit_id"):
        units_by_column[column_id].add(unit_id)
    column_ids = (
        [column.pk] if column is not None else list(ColumnPage.objects.values_list("pk", flat=True))
    )

    wanted_units = set().union(*units_by_column.values()) if units_by_column else set()
    missing = wanted_units - set(UnitGroup.objects.values_list("unit_id", flat=True))
    for unit in Unit.objects.filter(pk__in=missing):
        unit_groups_ensure(unit=unit)

    perms = {role: _page_permissions(codes) for role, codes in ROLE_PAGE_PERMISSIONS.items()}
    links = list(UnitGroup.objects.filter(unit_id__in=wanted_units))
    stale = GroupPagePermission.objects.filter(group__unit_role__isnull=False)
    if column is not None:
        stale = stale.filter(page_id=column.pk)
    # Drop every unit-group permission on these pages, then grant the responsible ones.
    stale.delete()
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group_id=link.group_id, page_id=column_id, permission=perm)
            for column_id in column_ids
            for link in links
            if link.unit_id in units_by_column.get(column_id, ())
            for perm in perms[link.role]
        ]
    )


@transaction.atomic
def column_responsibility_set(
    *, column: ColumnPage, units: Sequence[Unit], frequency: str, user: Any
) -> None:
    """Change who keeps a column updated and how often (第二十一条(二): 明确内容更新周期、保障单位).

    The change reaches both the live page and the editors' draft, so that a later publish of the
    draft does not undo it. A column without pending changes gets a new revision, published at
    once; a column with a pending draft keeps its draft unpublished (its content has not been
    reviewed) and gets the change in the live row and in a new draft revision.
    """
    live = ColumnPage.objects.get(pk=column.pk)
    if live.live and not live.has_unpublished_changes:
        live.responsible_units.set(units)
        live.update_frequency = frequency
        revision = live.save_revision(user=user, log_action=True, clean=False)
        # The operator's table decides responsibility; it is not content, so it does not go
        # through the review workflow, and a system admin without publish rights may do it.
        revision.publish(user=user, skip_permission_checks=True)
        return
    live.responsible_units.set(units)
    live.update_frequency = frequency
    live.save(update_fields=["responsible_units", "update_frequency"], clean=False)
    draft = live.get_latest_revision_as_object()
    draft.responsible_units.set(units)
    draft.update_frequency = frequency
    draft.save_revision(user=user, log_action=True, clean=False)


@transaction.atomic
def column_responsibility_import(*, assignments: Sequence[Assignment], user: Any) -> int:
    """Apply an imported responsibility table in one transaction; returns the columns changed.

    Either every row is applied or, on any error, none: a half-imported table would leave units
    responsible for columns nobody meant to give them.
    """
    units_by_name = {u.name: u for u in Unit.objects.all()}
    columns = ColumnPage.objects.in_bulk([a.column_id for a in assignments])
    changed = 0
    for assignment in assignments:
        column = columns.get(assignment.column_id)
        if column is None:
            raise ValueError(f"栏目ID {assignment.column_id} 不存在。")
        try:
            units = [units_by_name[name] for name in assignment.unit_names]
        except KeyError as exc:
            raise ValueError(f"单位“{exc.args[0]}”不存在。") from exc
        current = set(column.responsible_units.values_list("name", flat=True))
        if (
            current == set(assignment.unit_names)
            and column.update_frequency == assignment.frequency
        ):
            continue
        column_responsibility_set(
            column=column, units=units, frequency=assignment.frequency, user=user
        )
        changed += 1
    return changed
