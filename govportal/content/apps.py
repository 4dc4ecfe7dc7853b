from typing import Any

from django.apps import AppConfig
from django.core import checks


class ContentConfig(AppConfig):
    name = "govportal.content"
    label = "content"
    verbose_name = "内容"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save
        from wagtail.models import Page

        from govportal.content import review, review_hooks, review_views  # noqa: F401

        # 先审后发 (第二十一条(三)), whichever path saves a page: refuse to make unapproved
        # content live; record pages a system job puts online under review_bypass.
        pre_save.connect(review.guard_page_save, dispatch_uid="review_guard_page_save")
        pre_save.connect(review.guard_revision_schedule, dispatch_uid="review_guard_schedule")
        post_save.connect(review.record_bypass, dispatch_uid="review_record_bypass")
        # Every page form checks content on submission, as Wagtail itself sets the default
        # (wagtail/admin/panels/page_utils.py); page types with their own form must subclass it.
        Page.base_form_class = review_views.ReviewPageForm
        checks.register(review_form_check)


def review_form_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from wagtail.models import get_page_models

    from govportal.content.review_views import ReviewPageForm

    errors: list[checks.CheckMessage] = []
    for model in get_page_models():
        if not issubclass(model.base_form_class, ReviewPageForm):
            errors.append(
                checks.Error(
                    f"{model.__name__}.base_form_class 须继承 ReviewPageForm，否则提交审核时不做内容检查。",
                    id="govportal.review.E001",
                )
            )
    return errors
