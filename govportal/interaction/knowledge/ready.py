"""Loaded by InteractionConfig.ready(): the answer bot's sources and the cheap signal handlers
that tell every process to rebuild its index when a source's content changes."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from govportal.interaction.knowledge import bot
from govportal.interaction.knowledge.sources import (
    KnowledgeSource,
    PolicySource,
    ServiceGuideSource,
)


def content_changed(sender: Any, **kwargs: Any) -> None:
    # Now, so this process and the tests see it at once; and after the commit, so that a
    # process that rebuilt between the save and the commit (and saw the old rows) rebuilds again.
    bot.index_invalidate()
    transaction.on_commit(bot.index_invalidate)


def sources_register() -> None:
    for source in (KnowledgeSource(), ServiceGuideSource(), PolicySource()):
        bot.register_source(source)
        for label in source.models:
            model = apps.get_model(label)
            uid = f"knowledge-bot-{label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
            page_published.connect(content_changed, sender=model, dispatch_uid=f"{uid}-pub")
            page_unpublished.connect(content_changed, sender=model, dispatch_uid=f"{uid}-unpub")


sources_register()
