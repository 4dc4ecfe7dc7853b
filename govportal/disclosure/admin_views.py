"""Admin screen “与解读一并发布”: a 需同步解读 document goes live with its interpretation.

第十条(三): 对涉及面广、社会关注度高的政策文件，应同步发布政策解读。The screen lists the
approved interpretations of the document that wait for publication; the editor proofreads and
publishes the document together with the chosen ones in one action, now or at a set time
(定时发布: all of them at the same moment). The rules are those of
`services.policy_publish_with_interpretation` (and, through it, of the review workflow); a refusal
comes back as a Chinese message on the same screen, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page

from govportal.content.review import (
    ReviewError,
    approved_revision,
    user_can_publish,
    valid_approval,
)
from govportal.disclosure.models import InterpretationPage, PolicyDocumentPage
from govportal.disclosure.services import (
    approved_interpretations_for,
    policy_publish_with_interpretations,
    scheduled_with,
)


class PublishTogetherForm(forms.Form):
    interpretations = forms.TypedMultipleChoiceField(
        label="一并发布的解读",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一篇审核通过的解读（第十条(三)）。"},
    )
    proofread = forms.BooleanField(
        label="我已校对审核通过的文件和解读（第十二条：发布前再次校对）",
        error_messages={"required": "发布前须校对审核通过的版本。"},
    )
    go_live_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        widget=AdminDateTimeInput,
        help_text="留空则立即发布；填写则文件和所选解读于同一时间发布。",
        error_messages={"invalid": "请填写有效的日期和时间，如 2025-06-01 09:00。"},
    )

    def __init__(self, *args: Any, candidates: list[InterpretationPage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["interpretations"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101
        field.choices = [
            (page.pk, f"{page.get_admin_display_title()}（{page.get_form_display()}）")
            for page in candidates
        ]

    def clean_go_live_at(self) -> Any:
        value = self.cleaned_data.get("go_live_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("定时发布时间须晚于当前时间；立即发布请留空。")
        return value


def can_go_alone(document: PolicyDocumentPage) -> bool:
    """Whether the document may be published through the ordinary screen."""
    if not document.needs_interpretation or document.live:
        return True
    return InterpretationPage.objects.live().filter(documents=document).exists()


def publish_together(request: HttpRequest, page_id: int) -> HttpResponse:
    document = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(document, PolicyDocumentPage):
        raise PermissionDenied
    if not user_can_publish(document, request.user):
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[document.pk])
    revision = approved_revision(document)
    if revision is None:
        messages.error(request, "该政策文件的最新版本尚未审核通过，不能发布（先审后发）。")
        return redirect(edit_url)
    candidates = [page for page in approved_interpretations_for(document) if not page.live]
    form = PublishTogetherForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and candidates and form.is_valid():
        chosen_pks = form.cleaned_data["interpretations"]
        chosen = [page for page in candidates if page.pk in chosen_pks]
        go_live_at = form.cleaned_data["go_live_at"]
        try:
            policy_publish_with_interpretations(
                document=document, interpretations=chosen, user=request.user, go_live_at=go_live_at
            )
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            titles = "、".join(f"《{page.title}》" for page in chosen)
            if go_live_at is None:
                messages.success(request, f"政策文件《{document.title}》已与解读{titles}一并发布。")
            else:
                messages.success(
                    request,
                    f"政策文件《{document.title}》与解读{titles}将于 "
                    f"{timezone.localtime(go_live_at):%Y-%m-%d %H:%M} 一并发布。",
                )
            return redirect(edit_url)
    return TemplateResponse(
        request,
        "disclosure/admin/publish_together.html",
        {
            "page": document,
            "revision": revision,
            "approval": valid_approval(revision),
            "candidates": candidates,
            "form": form,
            "scheduled": scheduled_with(document),
        },
    )


def admin_urlpatterns() -> list[Any]:
    return [path("publish-together/<int:page_id>/", publish_together, name="publish_together")]
