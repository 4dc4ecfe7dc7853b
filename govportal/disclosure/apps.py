from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govportal.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"

    def ready(self) -> None:
        from govportal.content import review
        from govportal.core.models import register_column_content
        from govportal.disclosure import services

        # Policy documents and interpretations are a column's content like articles: listed,
        # in its feed, and counted for its freshness.
        register_column_content("disclosure.PolicyDocumentPage")
        register_column_content("disclosure.InterpretationPage")

        # 第十条(三): a 需同步解读 document never goes live without its interpretation, on any
        # path that saves a page (the review guard calls this after the approval check).
        if services.publish_check_interpretation not in review.PUBLISH_CHECKS:
            review.PUBLISH_CHECKS.append(services.publish_check_interpretation)
