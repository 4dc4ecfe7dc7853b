"""The answer bot's sources: knowledge entries, service guides and policy documents.

Each is a small class (see bot.AnswerSource) registered in ready.py. Until the services app
exists, the service guides are the live articles in columns of kind "service" (办事指南、教育、
社会保障 …); the services app replaces `ServiceGuideSource` by registering its own source under
the same key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from govportal.interaction.knowledge.bot import Doc

QUOTE_LENGTH = 300


def _cut(text: str, length: int = QUOTE_LENGTH) -> str:
    """The first `length` characters of a stored text; the link leads to the whole of it."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "……"


class KnowledgeSource:
    key: str = "knowledge"
    label: str = "知识库"
    weight: float = 1.2  # a stored answer to the same question beats a page that mentions it
    models: tuple[str, ...] = (
        "interaction.KnowledgeEntry",
        "interaction.KnowledgeTopic",
        "core.Unit",
    )

    def documents(self, *, today: dt.date) -> Iterator[Doc]:
        from django.urls import reverse

        from govportal.interaction.models import KnowledgeEntry

        rows = (
            KnowledgeEntry.objects.filter(live=True)
            .order_by("pk")
            .values_list(
                "pk",
                "question",
                "answer",
                "keywords",
                "topic__name",
                "unit__name",
                "valid_until",
            )
        )
        # One reverse() for the pattern, then string formatting: 10,000 entries build fast.
        pattern = reverse("knowledge:entry", args=[0])
        head, tail = pattern.rsplit("0", 1)
        for pk, question, answer, keywords, topic, unit, valid_until in rows.iterator(
            chunk_size=2000
        ):
            yield Doc(
                source=self.key,
                key=str(pk),
                title=question,
                quote=_cut(answer),
                url=f"{head}{pk}{tail}",
                text=f"{answer} {keywords} {topic}",
                note="　".join(part for part in (topic, unit or "") if part),
                valid_until=valid_until,
            )


class ServiceGuideSource:
    key: str = "service_guides"
    label: str = "办事指南"
    weight: float = 1.0
    models: tuple[str, ...] = ("content.ArticlePage", "core.ColumnPage")

    def documents(self, *, today: dt.date) -> Iterator[Doc]:
        from govportal.content.models import ArticlePage
        from govportal.core.models import ColumnPage

        columns = list(
            ColumnPage.objects.live()
            .filter(kind__code="service", archived=False)
            .values_list("path", flat=True)
        )
        if not columns:
            return
        under = Q()
        for path in columns:
            under |= Q(path__startswith=path)
        pages = (
            ArticlePage.objects.live()
            .filter(under, archived=False)
            .only("id", "title", "summary", "keywords", "url_path", "path", "depth", "source")
            .order_by("path")
        )
        for page in pages:
            url = page.get_url() or ""
            if not url:
                continue
            yield Doc(
                source=self.key,
                key=str(page.pk),
                title=page.title,
                quote=_cut(page.summary),
                url=url,
                text=f"{page.summary} {page.keywords}",
                note=page.source,
            )


class PolicySource:
    key: str = "policy"
    label: str = "政策文件"
    weight: float = 0.9
    models: tuple[str, ...] = ("disclosure.PolicyDocumentPage",)

    def documents(self, *, today: dt.date) -> Iterator[Doc]:
        from govportal.disclosure.models import PolicyDocumentPage

        pages = list(
            PolicyDocumentPage.objects.live()
            .only(
                "id",
                "title",
                "summary",
                "document_number",
                "organ_label",
                "valid_until",
                "repealed_on",
                "replaced_by",
                "url_path",
                "path",
                "depth",
            )
            .order_by("path")
        )
        urls = {page.pk: page.get_url() or "" for page in pages}
        titles = {page.pk: page.title for page in pages}
        for page in pages:
            url = urls[page.pk]
            if not url:
                continue
            replaced = page.replaced_by_id
            note = "　".join(p for p in (page.organ_label, page.document_number) if p)
            yield Doc(
                source=self.key,
                key=str(page.pk),
                title=page.title,
                quote=_cut(page.summary),
                url=url,
                text=f"{page.summary} {page.document_number}",
                note=note,
                valid_until=page.valid_until,
                repealed_on=page.repealed_on,
                replaced_by=(
                    (titles[replaced], urls[replaced])
                    if replaced in titles and urls.get(replaced)
                    else None
                ),
            )
