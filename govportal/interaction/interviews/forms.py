"""Forms of 在线访谈: the public question form and the host console's forms."""

from __future__ import annotations

from typing import Any

from django import forms

from govportal.interaction.models.interviews import Interview, InterviewGuest
from govportal.interaction.surveys.forms import TokenMixin

QUESTION_MAX = 1000
ANSWER_MAX = 10000


class QuestionForm(TokenMixin):
    content = forms.CharField(
        label="您的问题",
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"不超过 {QUESTION_MAX} 字。问题经审核后由嘉宾选答，请勿填写个人信息。",
        error_messages={
            "required": "请填写您的问题。",
            "max_length": f"问题过长：最多 {QUESTION_MAX} 个字，当前 %(show_value)d 个字。",
        },
    )
    nickname = forms.CharField(
        label="网友昵称（可不填）",
        max_length=30,
        required=False,
        error_messages={"max_length": "昵称最多 30 个字。"},
    )

    def clean_content(self) -> str:
        content = str(self.cleaned_data["content"]).strip()
        if not content:
            raise forms.ValidationError("请填写您的问题。")
        return content


class GuestChoiceField(forms.ModelChoiceField[InterviewGuest]):
    def label_from_instance(self, obj: InterviewGuest) -> str:
        return str(obj)


def _guest_field(interview: Interview) -> GuestChoiceField:
    return GuestChoiceField(
        queryset=interview.guests.all(),
        label="回答嘉宾",
        empty_label=None,
        error_messages={
            "required": "请选择回答的嘉宾。",
            "invalid_choice": "请选择本次访谈的嘉宾。",
        },
    )


_ANSWER_ERRORS = {
    "required": "请填写嘉宾的回答。",
    "max_length": f"回答过长：最多 {ANSWER_MAX} 个字。",
}


class AnswerForm(forms.Form):
    guest = forms.Field()
    answer = forms.CharField(
        label="嘉宾回答",
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_ANSWER_ERRORS,
    )

    def __init__(self, interview: Interview, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guest"] = _guest_field(interview)


class PairForm(TokenMixin):
    question = forms.CharField(
        label="主持人提问",
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "请填写主持人的问题。",
            "max_length": f"问题过长：最多 {QUESTION_MAX} 个字。",
        },
    )
    guest = forms.Field()
    answer = forms.CharField(
        label="嘉宾回答",
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_ANSWER_ERRORS,
    )

    def __init__(self, interview: Interview, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guest"] = _guest_field(interview)
