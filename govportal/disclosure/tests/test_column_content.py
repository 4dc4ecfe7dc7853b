"""Policy documents and interpretations are a column's content like articles (第十四条)."""

import datetime as dt

import time_machine
from django.test import Client

from govportal.core.responsibility import responsibility_rows
from govportal.disclosure.tests.helpers import add_document, add_interpretation
from govportal.testing import Portal, add_article

NOW = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_a_column_lists_documents_interpretations_and_articles_newest_first(
    client: Client, portal: Portal
) -> None:
    doc = add_document(
        portal, title="关于印发春耕生产方案的通知", pub_date=NOW - dt.timedelta(days=3)
    )
    add_interpretation(
        portal, [doc], title="图解：春耕生产方案", pub_date=NOW - dt.timedelta(days=1)
    )
    add_article(portal.affairs, "政务动态一则", pub_date=NOW - dt.timedelta(days=2))

    body = client.get(portal.affairs.url).content.decode()

    order = [
        body.index(t) for t in ("图解：春耕生产方案", "政务动态一则", "关于印发春耕生产方案的通知")
    ]
    assert order == sorted(order)
    feed = client.get(portal.affairs.url + "feed/").content.decode()
    assert "关于印发春耕生产方案的通知" in feed and "图解：春耕生产方案" in feed


@time_machine.travel(NOW, tick=False)
def test_a_policy_document_keeps_its_column_fresh_in_the_responsibility_table(
    portal: Portal,
) -> None:
    add_document(portal, parent=portal.notices, pub_date=NOW - dt.timedelta(days=5))

    rows = {r.column_id: r for r in responsibility_rows(today=NOW.date())}

    assert rows[portal.notices.pk].last_update == (NOW - dt.timedelta(days=5)).date()
