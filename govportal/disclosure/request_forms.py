"""Forms of disclosure requests: the public application, lookup and correction, and the
clerks' action forms. Errors are Chinese and tied to their field; a bound form keeps the input."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone

from govportal.core.models import Unit
from govportal.core.models.units import phone_validator
from govportal.disclosure.models import (
    APPLICANT_KIND_CHOICES,
    NATURAL_PERSON,
    DeliveryChannel,
    DeliveryForm,
    FeeMethod,
    IdDocumentType,
    IntakeChannel,
    ReplyType,
)
from govportal.disclosure.request_deadlines import EXTENSION_MAX_DAYS
from govportal.disclosure.request_services import REPLY_OUTCOMES, ApplicantData
from govportal.disclosure.request_stats import OUTCOME_GROUPS, OUTCOME_ROWS
from govportal.lib.idnumbers import (
    is_old_resident_id,
    is_resident_id,
    looks_like_resident_id,
    resident_id_birth_date,
    resident_id_check_character,
)

__all__ = [
    "AnswerForm",
    "ApplicationForm",
    "AssignForm",
    "ConsultationEndForm",
    "ConsultationStartForm",
    "CorrectionAskForm",
    "CorrectionForm",
    "ExtendForm",
    "FeeDecideForm",
    "FeePaidForm",
    "LookupForm",
    "RegisterForm",
    "credit_code_check_character",
    "id_number_error",
]

DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 5
_CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 (no I, O, S, V, Z)
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The GB 32100-2015 check character of a 统一社会信用代码's first 17 characters."""
    total = sum(
        _CREDIT_CODE_CHARS.index(ch) * w
        for ch, w in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return _CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def _credit_code_valid(code: str) -> bool:
    """统一社会信用代码: 18 characters, check character by GB 32100-2015."""
    if len(code) != 18 or any(ch not in _CREDIT_CODE_CHARS for ch in code):
        return False
    return credit_code_check_character(code[:17]) == code[17]


def id_number_error(id_type: str, number: str, *, today: dt.date) -> str:
    """A Chinese message saying what is wrong with the number, or "" when it is acceptable."""
    if id_type == IdDocumentType.RESIDENT_ID:
        if len(number) == 15:
            return "" if is_old_resident_id(number, today=today) else "15位身份证号码格式不正确。"
        if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
            return "居民身份证号码应为18位数字（最后一位可以是X），请核对。"
        if not looks_like_resident_id(number):
            return "居民身份证号码的地区码或出生日期不正确，请核对。"
        born = resident_id_birth_date(number)
        if born is None:
            return f"身份证号码中的出生日期 {number[6:14]} 不存在，请核对。"
        if born > today:
            return "身份证号码中的出生日期晚于今天，请核对。"
        if resident_id_check_character(number[:17]) != number[17]:
            return "身份证号码最后一位（校验位）不正确，请核对是否输错。"
        return "" if is_resident_id(number, today=today) else "居民身份证号码不正确，请核对。"
    if id_type == IdDocumentType.CREDIT_CODE:
        if not _credit_code_valid(number):
            return "统一社会信用代码应为18位，且校验位正确，请核对。"
        return ""
    if not (5 <= len(number) <= 20 and number.isalnum() and number.isascii()):
        return "证件号码应为5至20位字母或数字。"
    return ""


class ApplicationForm(forms.Form):
    """政府信息公开申请表 (第二十九条)."""

    unit = forms.ModelChoiceField(
        label="受理机关",
        queryset=Unit.objects.all(),
        empty_label="请选择向哪个机关申请",
        error_messages={"invalid_choice": "请从列表中选择受理机关。"},
    )
    applicant_kind = forms.ChoiceField(
        label="申请人类别",
        choices=APPLICANT_KIND_CHOICES,
        initial=NATURAL_PERSON,
        widget=forms.RadioSelect,
        help_text="自然人，或法人、其他组织（按类型选择）。",
    )
    applicant_name = forms.CharField(label="姓名或单位名称", max_length=100)
    legal_representative = forms.CharField(
        label="法定代表人或负责人", max_length=50, required=False, help_text="法人或其他组织填写。"
    )
    id_type = forms.ChoiceField(label="证件类型", choices=IdDocumentType.choices)
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        help_text="仅办理单位工作人员可见，加密保存。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = forms.CharField(label="联系电话", max_length=30, validators=[phone_validator])
    contact_email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    contact_address = forms.CharField(label="通信地址", max_length=200, required=False)
    postal_code = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字。"},
    )
    description = forms.CharField(
        label="所需信息的名称、文号或特征描述",
        max_length=DESCRIPTION_MAX,
        min_length=DESCRIPTION_MIN,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"尽量写明文件名称、文号或能够识别该信息的特征，{DESCRIPTION_MAX}字以内。",
    )
    purpose = forms.CharField(label="用途（可不填）", max_length=200, required=False)
    delivery_form = forms.ChoiceField(
        label="提供载体形式", choices=DeliveryForm.choices, widget=forms.RadioSelect
    )
    delivery_channel = forms.ChoiceField(
        label="获取方式", choices=DeliveryChannel.choices, widget=forms.RadioSelect
    )
    promise = forms.BooleanField(label="本人承诺所填信息真实有效")
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.stale_token = False
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
        else:
            # A missing or broken token gets a fresh one in the re-rendered form, so the
            # applicant can send the same (kept) input again without retyping it.
            name = self.add_prefix("form_token")
            try:
                uuid.UUID(str(self.data.get(name, "")))
            except ValueError:
                data = dict(self.data.items())  # one value per field on this form
                data[name] = str(uuid.uuid4())
                self.data = data
                self.stale_token = True
        for name, field in self.fields.items():
            field.error_messages["required"] = f"请填写{field.label}。"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["required"] = f"请选择{field.label}。"
                field.error_messages.setdefault("invalid_choice", f"请从列表中选择{field.label}。")
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"{field.label}最多 {field.max_length} 个字（当前 %(show_value)d 个）。"
                )
            if name == "form_token":
                field.error_messages["required"] = field.error_messages["invalid"] = (
                    "表单已失效，请刷新页面后重新提交。"
                )
        self.fields["promise"].error_messages["required"] = "请确认所填信息真实有效。"
        self.fields["description"].error_messages["min_length"] = (
            f"描述过短，请至少写 {DESCRIPTION_MIN} 个字，便于查找所需信息。"
        )

    def clean_id_number(self) -> str:
        return "".join(str(self.cleaned_data["id_number"]).split()).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.stale_token:
            self.add_error(None, "表单已失效，请核对内容后再次提交。")
        kind, id_type, number = (
            data.get("applicant_kind"),
            data.get("id_type"),
            data.get("id_number"),
        )
        if kind and id_type:
            if kind == NATURAL_PERSON and id_type == IdDocumentType.CREDIT_CODE:
                self.add_error("id_type", "自然人请选择身份证、护照等个人证件。")
            elif kind != NATURAL_PERSON and id_type != IdDocumentType.CREDIT_CODE:
                self.add_error("id_type", "法人或其他组织请选择统一社会信用代码证书。")
        if kind and kind != NATURAL_PERSON and not data.get("legal_representative"):
            self.add_error("legal_representative", "法人或其他组织请填写法定代表人或负责人。")
        if id_type and number and "id_type" not in self.errors:
            error = id_number_error(id_type, number, today=self.today)
            if error:
                self.add_error("id_number", error)
        channel = data.get("delivery_channel")
        if channel == DeliveryChannel.EMAIL and not data.get("contact_email"):
            self.add_error("contact_email", "选择电子邮件获取时，请填写电子邮箱。")
        if channel == DeliveryChannel.POST and not data.get("contact_address"):
            self.add_error("contact_address", "选择邮寄时，请填写通信地址。")
        return data

    def applicant(self) -> ApplicantData:
        data = self.cleaned_data
        return ApplicantData(
            id_number=data["id_number"],
            **{name: data.get(name) or "" for name in ApplicantData.FIELDS},
        )


class RegisterForm(ApplicationForm):
    """A clerk enters a paper, in-person or fax request with its receipt day (第三十一条)."""

    intake_channel = forms.ChoiceField(
        label="申请渠道",
        choices=[c for c in IntakeChannel.choices if c[0] != IntakeChannel.ONLINE],
    )
    received_on = forms.DateField(
        label="收到申请日期",
        help_text="当面提交为提交之日；邮寄为签收之日；传真为双方确认之日（第三十一条）。格式：2026-03-02",
        error_messages={"invalid": "请输入存在的日期，格式如 2026-03-02。"},
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["promise"]
        if units is not None:
            unit_field = self.fields["unit"]
            assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101
            unit_field.queryset = units

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > self.today:
            raise forms.ValidationError("收到申请日期不能晚于今天。")
        return day


class LookupForm(forms.Form):
    tracking_number = forms.CharField(
        label="申请编号", max_length=32, error_messages={"required": "请填写申请编号。"}
    )
    query_code = forms.CharField(
        label="查询码",
        max_length=32,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        error_messages={"required": "请填写查询码。"},
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="补正内容",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "请填写补正内容。",
            "max_length": f"补正内容最多 {DESCRIPTION_MAX} 个字。",
        },
    )


# --- Clerks' action forms (admin) -----------------------------------------------------------

_DATE_ERRORS = {"invalid": "请输入存在的日期，格式如 2026-03-02。"}


def _date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={**_DATE_ERRORS, "required": f"请填写{label}。"},
        help_text="" if required else "不填即今天。",
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label="承办人", queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = staff


class CorrectionAskForm(forms.Form):
    text = forms.CharField(label="需补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    due_on = _date_field("补正期限", required=True)


class ConsultationStartForm(forms.Form):
    note = forms.CharField(label="征求意见的第三方及事项", widget=forms.Textarea(attrs={"rows": 2}))
    on = _date_field("发出征求意见日期")


class ConsultationEndForm(forms.Form):
    note = forms.CharField(
        label="第三方意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _date_field("意见返回日期（逾期未答复的，为期满之日）")


class ExtendForm(forms.Form):
    approver = forms.ModelChoiceField(label="批准人（负责人）", queryset=None)  # type: ignore[arg-type]
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=EXTENSION_MAX_DAYS,
        initial=EXTENSION_MAX_DAYS,
        error_messages={
            "min_value": "至少延长 1 个工作日。",
            "max_value": f"最多延长 {EXTENSION_MAX_DAYS} 个工作日（第三十三条）。",
            "invalid": "请输入整数。",
        },
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))
    notice = forms.CharField(label="告知申请人的延期通知", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, approvers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approver"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = approvers


class FeeDecideForm(forms.Form):
    method = forms.ChoiceField(
        label="计收方式", choices=FeeMethod.choices, widget=forms.RadioSelect
    )
    pages = forms.IntegerField(
        label="页数（按量计收时填写）", required=False, min_value=1, max_value=1_000_000
    )


class FeePaidForm(forms.Form):
    on = _date_field("缴费日期", required=True)


def _grouped_outcomes() -> list[tuple[str, Any]]:
    """The outcome rows under their numbered headings, as in table 三 of the annual report."""
    choices: list[tuple[str, Any]] = [("", "请选择")]
    for group, heading in OUTCOME_GROUPS:
        rows = [(key, label) for key, label, row_group in OUTCOME_ROWS if row_group == group]
        if len(rows) == 1 and rows[0][0] == group:
            choices.append(rows[0])
        else:
            choices.append((heading, rows))
    return choices


class AnswerForm(forms.Form):
    reply_type = forms.ChoiceField(label="答复类型", choices=ReplyType.choices)
    outcome = forms.ChoiceField(
        label="办理结果（年报统计口径）",
        choices=_grouped_outcomes,
        help_text="须与答复类型一致：如“不予公开”须选择具体理由。",
    )
    text = forms.CharField(label="答复内容（申请人可见）", widget=forms.Textarea(attrs={"rows": 5}))
    on = _date_field("答复日期")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reply_type, outcome = data.get("reply_type"), data.get("outcome")
        if reply_type and outcome and outcome not in REPLY_OUTCOMES.get(reply_type, []):
            self.add_error("outcome", "办理结果与答复类型不符，请重新选择。")
        return data
