"""Forms of the mailbox: the public letter, the look-up, additions, the rating, admin actions."""

from __future__ import annotations

import re
from typing import Any

from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from govportal.checks.attachments import content_kind
from govportal.core.models import Unit
from govportal.interaction.mailbox.services import Upload
from govportal.interaction.models import Message, MessageType, RejectReason

MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
SUBJECT_MAX = 100
CONTENT_MAX = 5000
# Extension → the content kinds (read from the bytes by checks.attachments) it may hold.
ALLOWED_KINDS: dict[str, frozenset[str]] = {
    "jpg": frozenset({"jpg"}),
    "jpeg": frozenset({"jpg"}),
    "png": frozenset({"png"}),
    "gif": frozenset({"gif"}),
    "webp": frozenset({"webp"}),
    "pdf": frozenset({"pdf"}),
}
KIND_NAMES = {"jpg": "JPEG 图片", "png": "PNG 图片", "gif": "GIF 图片", "webp": "WebP 图片"}
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def bench_mode() -> bool:
    """bench/mailbox.py switches the captcha and the rate limits off (never in production)."""
    return bool(getattr(settings, "MAILBOX_BENCH_MODE", False))


def max_file_bytes() -> int:
    return int(getattr(settings, "MAILBOX_MAX_UPLOAD_BYTES", MAX_FILE_BYTES))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to MAX_FILES images or PDF files, typed by their content, never by their name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp,.pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError("请选择要上传的文件。")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                f"最多上传 {MAX_FILES} 个附件（您选择了 {len(files)} 个）。"
            )
        return [_checked_upload(f) for f in files]


def _checked_upload(file: UploadedFile) -> Upload:
    name = (file.name or "附件").strip()
    limit = max_file_bytes()
    if file.size is not None and file.size > limit:
        raise forms.ValidationError(
            f"附件“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后重新选择。"
        )
    data = file.read(limit + 1)
    if len(data) > limit:
        raise forms.ValidationError(
            f"附件“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后重新选择。"
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ALLOWED_KINDS.get(extension)
    if allowed is None:
        raise forms.ValidationError(
            f"附件“{name}”的类型不支持：只能上传图片（JPG、PNG、GIF、WebP）或 PDF 文件。"
        )
    kind = content_kind(data)
    if kind not in allowed:
        actual = KIND_NAMES.get(kind, "PDF" if kind == "pdf" else "其他类型的文件")
        raise forms.ValidationError(
            f"附件“{name}”的内容与扩展名不符（内容是{actual}），"
            "请上传真实的图片或 PDF 文件，并请重新选择附件。"
        )
    return Upload(name=name, kind=kind, data=data)


class AccessibleForm(forms.Form):
    """Ties each field's help text and errors to its input (aria-describedby, aria-invalid)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            described = [f"{self[name].auto_id}_error"]
            if field.help_text:
                described.append(f"{self[name].auto_id}_help")
            field.widget.attrs["aria-describedby"] = " ".join(described)
            field.widget.attrs["aria-invalid"] = "true"


class MessageForm(AccessibleForm):
    """The public letter to the mayor's mailbox."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    message_type = forms.ChoiceField(
        label="留言类型",
        choices=MessageType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择留言类型。", "invalid_choice": "请选择留言类型。"},
    )
    subject = forms.CharField(
        label="标题",
        strip=True,
        error_messages={"required": "请填写标题。"},
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX, "autocomplete": "off"}),
    )
    content = forms.CharField(
        label="留言内容",
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": CONTENT_MAX}),
        error_messages={"required": "请填写留言内容。"},
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=f"可选，最多 {MAX_FILES} 个，图片（JPG、PNG、GIF、WebP）或 PDF，每个不超过 5 MB。",
    )
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    phone = forms.CharField(
        label="手机号码",
        help_text="只用于工作人员联系您，不会公开。",
        error_messages={"required": "请填写手机号码。"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        help_text="可选。",
        error_messages={"invalid": "电子邮箱格式不正确。"},
    )
    consent_publish = forms.BooleanField(
        label="同意在网站上公开我的留言和答复（公开时隐去姓名、电话等个人信息）",
        required=False,
    )
    confirm_channel = forms.BooleanField(
        label="我确认本留言不属于上述事项，仍要提交到区长信箱", required=False
    )
    captcha = CaptchaField(
        label="验证码",
        help_text="请输入图片中的字符；看不清可刷新页面更换。",
        error_messages={"invalid": "验证码错误或已使用过，请输入新图片中的字符。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bench_mode():
            del self.fields["captcha"]

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        if len(subject) > SUBJECT_MAX:
            raise forms.ValidationError(
                f"标题最多 {SUBJECT_MAX} 个字，您输入了 {len(subject)} 个字，请精简后再提交"
                "（已填写的内容都保留在下面）。"
            )
        return subject

    def clean_content(self) -> str:
        content: str = self.cleaned_data["content"]
        if len(content) > CONTENT_MAX:
            raise forms.ValidationError(
                f"留言内容最多 {CONTENT_MAX} 个字，您输入了 {len(content)} 个字，请精简后再提交。"
            )
        if len(content) < 5:
            raise forms.ValidationError("留言内容太短，请把情况写清楚（至少 5 个字）。")
        return content

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if not MOBILE.match(phone):
            raise forms.ValidationError("请填写 11 位手机号码，如 13800000000。")
        return phone

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if any(c in name for c in "<>"):
            raise forms.ValidationError("姓名中不能有 < > 等符号。")
        return name


class QueryForm(AccessibleForm):
    tracking_number = forms.CharField(
        label="留言编号", max_length=20, error_messages={"required": "请填写留言编号。"}
    )
    query_code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages={"required": "请填写查询码。"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AddInfoForm(AccessibleForm):
    text = forms.CharField(
        label="补充内容",
        required=False,
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label="补充附件", required=False)


class RatingForm(AccessibleForm):
    rating = forms.ChoiceField(
        label="您对答复是否满意",
        choices=Message.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意、基本满意或不满意。"},
    )
    comment = forms.CharField(
        label="评价意见",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Admin --------------------------------------------------------------------------------------


class UnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label="承办单位",
        queryset=Unit.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个承办单位。"},
    )


class AcceptForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label="转办至（可多选，可暂不选择）",
        queryset=Unit.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RejectForm(forms.Form):
    reason = forms.ModelChoiceField(
        label="不予受理理由",
        queryset=RejectReason.objects.filter(active=True),
        error_messages={"required": "请选择不予受理的理由。"},
    )
    text = forms.CharField(
        label="说明（留言人可见）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写理由。"},
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "内容不能为空。"},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "答复内容不能为空。"},
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="审核意见（退回修改时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长工作日", min_value=1, max_value=20)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    note = forms.CharField(
        label="审批意见（不批准时必填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicationForm(forms.Form):
    public_subject = forms.CharField(label="公开标题", max_length=SUBJECT_MAX)
    public_content = forms.CharField(label="公开留言内容", widget=forms.Textarea(attrs={"rows": 6}))
    public_reply = forms.CharField(label="公开答复内容", widget=forms.Textarea(attrs={"rows": 6}))


class StaffAttachmentForm(forms.Form):
    attachments = MultipleFileField(label="上传附件（图片或 PDF）")
