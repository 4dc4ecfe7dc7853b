"""Building policy documents and interpretations for the disclosure tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from wagtail.models import Page

from govportal.content.review import review_approve, review_bypass, review_submit
from govportal.disclosure.models import (
    CatalogueItem,
    Genre,
    InterpretationPage,
    PolicyDocumentPage,
    Topic,
)
from govportal.testing import TEST_DATA, Portal


def doc_fields(portal: Portal, **fields: Any) -> dict[str, Any]:
    if not portal.unit_a.code:
        portal.unit_a.code = "WBZF"
        portal.unit_a.save()
    values: dict[str, Any] = {
        "title": "关于做好2024年春耕生产工作的通知",
        "slug": f"doc-{PolicyDocumentPage.objects.count() + 1}",
        "written_date": dt.date(2024, 3, 1),
        "pub_date": timezone.now(),
        "topic": Topic.objects.get(code="NY"),
        "genre": Genre.objects.get(code="tongzhi"),
        "catalogue_item": CatalogueItem.objects.get(code="a20-01"),
        "summary": "部署春耕备耕、农资供应和技术服务工作。",
    }
    values.update(fields)
    return values


def add_document(
    portal: Portal, *, live: bool = True, parent: Any = None, units: Any = None, **fields: Any
) -> PolicyDocumentPage:
    doc = PolicyDocumentPage(**doc_fields(portal, **fields), live=live)
    doc.issuing_units.set(units if units is not None else [portal.unit_a])
    parent = parent or portal.affairs
    if live:
        with review_bypass(reason=TEST_DATA):
            parent.add_child(instance=doc)
    else:
        parent.add_child(instance=doc)
        doc.save_revision(user=portal.editor_a)
    return doc


def add_interpretation(
    portal: Portal, documents: list[Any], *, live: bool = True, **fields: Any
) -> InterpretationPage:
    page = InterpretationPage(
        title=fields.pop("title", "图解：春耕生产工作通知"),
        slug=f"interp-{InterpretationPage.objects.count() + 1}",
        form=fields.pop("form", "graphic"),
        summary="一图读懂春耕生产工作安排。",
        live=live,
        **fields,
    )
    page.documents.set(documents)
    if live:
        with review_bypass(reason=TEST_DATA):
            portal.affairs.add_child(instance=page)
    else:
        portal.affairs.add_child(instance=page)
        page.save_revision(user=portal.editor_a)
    return page


def reload(page: Page) -> Any:
    return Page.objects.get(pk=page.pk).specific


def submit_and_approve(page: Page, portal: Portal) -> None:
    """editor_a submits, reviewer_a approves: the latest revision is approved, not live."""
    page = reload(page)
    review_submit(page=page, user=portal.editor_a)
    page = reload(page)
    review_approve(
        task_state=page.current_workflow_task_state,
        user=portal.reviewer_a,
        revision=page.get_latest_revision(),
        acknowledged=[],
    )
