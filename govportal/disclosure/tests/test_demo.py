"""The demo district's disclosure platform."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from govportal.disclosure.models import CataloguePage, InterpretationPage, PolicyDocumentPage
from govportal.disclosure.rules import Validity

pytestmark = pytest.mark.heavy


@pytest.fixture
def demo(db: None, tmp_path: object, settings: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-crawl", stdout=io.StringIO())


def test_the_demo_has_200_documents_with_repealed_expired_reprinted_and_interpreted_ones(
    demo: None, client: Client
) -> None:
    today = timezone.localdate()
    docs = PolicyDocumentPage.objects.live()
    assert docs.count() >= 200
    assert (
        docs.with_validity(Validity.REPEALED, today=today)
        .filter(replaced_by__isnull=False)
        .exists()
    )
    assert docs.with_validity(Validity.EXPIRED, today=today).exists()
    assert docs.filter(is_reprint=True).exclude(reprint_url="").exists()
    marked = docs.filter(needs_interpretation=True)
    assert marked.exists()
    for doc in marked:
        assert InterpretationPage.objects.live().filter(documents=doc).exists()
    catalogue = CataloguePage.objects.live().get()
    assert client.get(catalogue.url + "?validity=repealed").status_code == 200
    assert len(set(docs.values_list("index_number", flat=True))) == docs.count()
