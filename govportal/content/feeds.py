"""An RSS feed per column (issue 2, item 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed


class ColumnFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return kwargs["column"]

    def title(self, column: Any) -> str:
        return column.title

    def link(self, column: Any) -> str:
        return str(column.get_url(self.request))

    def description(self, column: Any) -> str:
        return str(column.description or column.title)

    def items(self, column: Any) -> Any:
        return column.items()[:30]

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(getattr(item, "summary", "") or getattr(item, "subtitle", "") or "")

    def item_link(self, item: Any) -> str:
        return str(item.get_url(self.request))

    def item_pubdate(self, item: Any) -> dt.datetime:
        return item.pub_date  # type: ignore[no-any-return]

    def item_author_name(self, item: Any) -> str:
        return str(getattr(item, "author", "") or getattr(item, "source", "") or "")
