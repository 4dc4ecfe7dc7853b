"""Forms of the surveys part: the answer form built from the survey's questions, the comment
form on a draft, and the operator's feedback form."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from govportal.interaction.models.surveys import RATING_MAX, QuestionKind, Survey
from govportal.interaction.surveys.antispam import MOBILE_RE
from govportal.interaction.surveys.rules import article_labels

TEXT_ANSWER_MAX = 2000
COMMENT_MAX = 3000
FEEDBACK_MAX = 20000


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _errors(label: str, *, max_length: int | None = None) -> dict[str, str]:
    messages = {
        "required": f"请回答：{label}",
        "invalid_choice": "请从给出的选项中选择。",
        "invalid_list": "请从给出的选项中选择。",
    }
    if max_length:
        messages["max_length"] = f"内容过长：最多 {max_length} 个字，当前 %(show_value)d 个字。"
    return messages


class TokenMixin(forms.Form):
    # One-time token rendered with the form: a second submit of the same form is recognised.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].error_messages.update(
            {
                "required": "表单已失效，请刷新页面后重新提交。",
                "min_length": "表单已失效，请刷新页面后重新提交。",
                "max_length": "表单已失效，请刷新页面后重新提交。",
            }
        )
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class AnswerForm(TokenMixin):
    """One field per question, named q<pk>."""

    def __init__(self, survey: Survey, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.all())
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}"
            field: forms.Field
            if question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(o, o) for o in question.options], widget=forms.RadioSelect
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in question.options],
                    widget=forms.CheckboxSelectMultiple,
                )
            elif question.kind == QuestionKind.RATING:
                field = forms.TypedChoiceField(
                    choices=[(str(n), f"{n}分") for n in range(1, RATING_MAX + 1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text="1分最低，5分最高。",
                )
            else:
                field = forms.CharField(
                    max_length=TEXT_ANSWER_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=f"不超过 {TEXT_ANSWER_MAX} 字。请勿填写姓名、身份证号等个人信息。",
                )
            field.label = label
            field.required = question.required
            field.error_messages.update(
                _errors(question.text, max_length=getattr(field, "max_length", None))
            )
            self.fields[f"q{question.pk}"] = field
        if survey.phone_check:
            self.fields["phone"] = forms.CharField(
                label="手机号码",
                max_length=11,
                help_text="每个号码只能参与一次。不会发送短信，号码不公开、不保存原文。",
                error_messages={
                    "required": "请填写手机号码。",
                    "max_length": "请填写11位手机号码。",
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
            )

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone", "")).strip()
        if not MOBILE_RE.match(phone):
            raise forms.ValidationError("请填写11位手机号码。")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not self.errors
            and self.questions
            and not any(cleaned.get(f"q{q.pk}") not in (None, "", []) for q in self.questions)
        ):
            raise forms.ValidationError("请至少回答一个问题后再提交。")
        return cleaned

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q.pk}"] for q in self.questions]


class CommentForm(TokenMixin):
    article = forms.ChoiceField(label="针对条款")
    content = forms.CharField(
        label="意见和建议",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"不超过 {COMMENT_MAX} 字。意见经审核后公开，请勿填写个人信息。",
        error_messages={
            "required": "请填写意见和建议。",
            "max_length": f"内容过长：最多 {COMMENT_MAX} 个字，当前 %(show_value)d 个字。",
        },
    )
    nickname = forms.CharField(
        label="署名（可不填）",
        max_length=30,
        required=False,
        error_messages={"max_length": "署名最多 30 个字。"},
    )

    def __init__(self, survey: Survey, *args: Any, **kwargs: Any) -> None:
        # The answer form shares the page: distinct ids for the token and the fields.
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)
        labels = article_labels(survey.draft_text)
        article = self.fields["article"]
        assert isinstance(article, forms.ChoiceField)  # noqa: S101 - declared above
        article.choices = [("", "总体意见"), *[(label, label) for label in labels]]
        article.required = False
        article.error_messages["invalid_choice"] = "请从列表中选择条款。"

    def clean_content(self) -> str:
        content = str(self.cleaned_data["content"]).strip()
        if not content:
            raise forms.ValidationError("请填写意见和建议。")
        return content


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="采纳情况反馈",
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="汇总网民意见建议，说明采纳与未采纳的情况及理由（第十条（一）：活动结束后1个月内公开）。",
        error_messages={
            "required": "请填写采纳情况反馈。",
            "max_length": f"内容过长：最多 {FEEDBACK_MAX} 个字。",
        },
    )
