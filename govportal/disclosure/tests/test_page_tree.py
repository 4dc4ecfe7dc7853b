"""Where the disclosure page types may live in the tree."""

from wagtail.test.utils import WagtailPageTestCase

from govportal.core.models import ColumnPage
from govportal.disclosure.models import CataloguePage, InterpretationPage, PolicyDocumentPage


class DisclosurePageTreeTests(WagtailPageTestCase):
    def test_documents_interpretations_and_the_catalogue_live_in_columns_and_hold_nothing(
        self,
    ) -> None:
        for model in (PolicyDocumentPage, InterpretationPage, CataloguePage):
            self.assertAllowedParentPageTypes(model, {ColumnPage})
            self.assertAllowedSubpageTypes(model, set())

    def test_a_column_accepts_the_disclosure_page_types(self) -> None:
        self.assertCanCreateAt(ColumnPage, PolicyDocumentPage)
        self.assertCanCreateAt(ColumnPage, InterpretationPage)
        self.assertCanCreateAt(ColumnPage, CataloguePage)
