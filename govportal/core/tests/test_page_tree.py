import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from govportal.content.models import ArticlePage, HomePage
from govportal.core.models import ColumnPage
from govportal.disclosure.models import CataloguePage, InterpretationPage, PolicyDocumentPage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_holds_only_columns(self) -> None:
        self.assertAllowedSubpageTypes(HomePage, {ColumnPage})

    def test_columns_hold_subcolumns_articles_and_disclosure_pages(self) -> None:
        self.assertAllowedSubpageTypes(
            ColumnPage,
            {ColumnPage, ArticlePage, PolicyDocumentPage, InterpretationPage, CataloguePage},
        )

    def test_articles_live_only_in_columns_and_hold_nothing(self) -> None:
        self.assertAllowedParentPageTypes(ArticlePage, {ColumnPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_columns_live_under_the_home_page_or_another_column(self) -> None:
        self.assertAllowedParentPageTypes(ColumnPage, {HomePage, ColumnPage})

    def test_home_page_sits_at_the_tree_root(self) -> None:
        self.assertAllowedParentPageTypes(HomePage, {Page})


@pytest.mark.django_db
def test_column_and_article_pages_render(portal, client) -> None:
    from govportal.testing import add_article

    article = add_article(portal.news, "关于做好冬季安全生产工作的通知")
    response = client.get(portal.news.url)
    assert response.status_code == 200
    assert "关于做好冬季安全生产工作的通知" in response.content.decode()
    response = client.get(article.url)
    assert response.status_code == 200
    assert '<meta name="ArticleTitle" content="关于做好冬季安全生产工作的通知">' in (
        response.content.decode()
    )
