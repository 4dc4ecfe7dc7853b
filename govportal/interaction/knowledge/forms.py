"""Forms of the knowledge part: the question to the answer bot and the public list's filter."""

from __future__ import annotations

from typing import Any

from django import forms

from govportal.interaction.knowledge.bot import QUESTION_MAX_LENGTH
from govportal.interaction.models import KnowledgeTopic


class AskForm(forms.Form):
    q = forms.CharField(
        label="您的问题",
        max_length=QUESTION_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "请输入您想咨询的问题。",
            "max_length": f"问题请控制在 {QUESTION_MAX_LENGTH} 字以内（现有 %(show_value)d 字），"
            "较长的情况请写信到区长信箱。",
        },
        widget=forms.TextInput(
            attrs={"placeholder": "例如：孩子上小学怎么报名？", "autocomplete": "off"}
        ),
    )

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"]
        if not any(ch.isalnum() for ch in value):
            raise forms.ValidationError("请用文字描述您的问题。")
        return value


class EntryFilterForm(forms.Form):
    SORTS = [("hot", "按关注度"), ("new", "按更新时间")]

    topic = forms.ModelChoiceField(
        label="主题",
        queryset=KnowledgeTopic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="全部主题",
        error_messages={"invalid_choice": "没有这个主题，请从列表中选择。"},
    )
    sort = forms.ChoiceField(
        label="排序",
        choices=SORTS,
        required=False,
        error_messages={"invalid_choice": "排序方式不正确，请从列表中选择。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sort"].widget.attrs["class"] = "knowledge-sort"
