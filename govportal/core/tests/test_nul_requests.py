"""NUL characters in addresses and query strings get the Chinese error pages, never a 500.

PostgreSQL refuses NUL in text, so without the guard a lookup with it fails on PostgreSQL only.
"""

import pytest
from django.test import Client

from govportal.testing import Portal


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/news/%00/", "/%00", "/search/%00"])
def test_a_nul_in_the_address_gets_the_not_found_page(
    visitor: Client, portal: Portal, path: str
) -> None:
    response = visitor.get(path)
    assert response.status_code == 404
    assert "网站地图" in response.content.decode()


@pytest.mark.parametrize("query", ["q=%00", "q=a&q=b%00", "page=1%00", "%00=1"])
def test_a_nul_in_the_query_string_gets_the_bad_request_page(
    visitor: Client, portal: Portal, query: str
) -> None:
    response = visitor.get(f"/search/?{query}")
    assert response.status_code == 400
    assert "请求" in response.content.decode()


def test_ordinary_requests_pass_the_guard(visitor: Client, portal: Portal) -> None:
    assert visitor.get("/search/?q=通知&page=1").status_code == 200
