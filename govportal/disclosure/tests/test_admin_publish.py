"""“与解读一并发布” in the admin: a 需同步解读 document goes live with its interpretation."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage
from govportal.disclosure.tests.helpers import (
    add_document,
    add_interpretation,
    reload,
    submit_and_approve,
)
from govportal.testing import Portal


def screen_url(page: PolicyDocumentPage) -> str:
    return reverse("govportal_disclosure:publish_together", args=[page.pk])


def approved_pair(portal: Portal) -> tuple[PolicyDocumentPage, InterpretationPage]:
    doc = add_document(portal, live=False, needs_interpretation=True)
    interpretation = add_interpretation(portal, [doc], live=False)
    submit_and_approve(doc, portal)
    submit_and_approve(interpretation, portal)
    return doc, interpretation


def test_the_editor_publishes_the_document_and_its_interpretation_from_the_admin(
    client: Client, portal: Portal
) -> None:
    doc, interpretation = approved_pair(portal)
    client.force_login(portal.editor_a)

    editor = client.get(reverse("wagtailadmin_pages:edit", args=[doc.pk]))
    screen = client.get(screen_url(doc))
    response = client.post(
        screen_url(doc),
        {"interpretations": [interpretation.pk], "proofread": "on"},
        follow=True,
    )

    assert "与解读一并发布" in editor.content.decode()
    assert interpretation.title in screen.content.decode()
    assert "已与解读" in response.content.decode()
    assert reload(doc).live is True
    assert reload(interpretation).live is True


def test_without_an_approved_interpretation_the_screen_says_so_and_nothing_goes_live(
    client: Client, portal: Portal
) -> None:
    doc = add_document(portal, live=False, needs_interpretation=True)
    unapproved = add_interpretation(portal, [doc], live=False)
    submit_and_approve(doc, portal)
    client.force_login(portal.editor_a)

    screen = client.get(screen_url(doc))
    client.post(screen_url(doc), {"interpretations": [unapproved.pk], "proofread": "on"})

    assert screen.status_code == 200
    assert "还没有审核通过、等待发布的解读" in screen.content.decode()
    assert reload(doc).live is False
    assert reload(unapproved).live is False


def test_a_refusal_of_the_service_comes_back_as_a_message_and_nothing_goes_live(
    client: Client, portal: Portal
) -> None:
    doc, interpretation = approved_pair(portal)
    # 审发分离: the reviewer approved both and may not publish them, even with publish rights.
    portal.reviewer_a.is_superuser = True
    portal.reviewer_a.save()
    client.force_login(portal.reviewer_a)

    response = client.post(
        screen_url(doc),
        {"interpretations": [interpretation.pk], "proofread": "on"},
    )

    assert response.status_code == 200
    assert "审发分离" in response.content.decode()
    assert reload(doc).live is False
    assert reload(interpretation).live is False


def test_a_user_without_publish_rights_is_refused(client: Client, portal: Portal) -> None:
    doc, interpretation = approved_pair(portal)
    client.force_login(portal.editor_b)

    screen = client.get(screen_url(doc))
    response = client.post(
        screen_url(doc),
        {"interpretations": [interpretation.pk], "proofread": "on"},
    )

    # The admin answers PermissionDenied by sending the user to the dashboard with a message.
    home = reverse("wagtailadmin_home")
    assert (screen.status_code, screen["Location"]) == (302, home)
    assert (response.status_code, response["Location"]) == (302, home)
    assert reload(doc).live is False
    assert reload(interpretation).live is False
