"""Models of the mailbox part (区长信箱 / 留言).

第十三条: 对网民留言，应迅速办理，力争当日有效回复，最晚答复时间不得超过5个工作日. A message is
received, accepted (受理) or rejected (不予受理), assigned (转办) to one or more units, answered
by a unit (drafted by its editor, approved by its reviewer), and, if the citizen agreed,
published with personal data masked. Every step is a `MessageEvent`; every look at the citizen's
contact data is a `ContactView`. State changes go through `interaction.mailbox.services`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

__all__ = [
    "ContactView",
    "ExtensionRequest",
    "Message",
    "MessageAssignment",
    "MessageAttachment",
    "MessageEvent",
    "MessageNote",
    "MessageType",
    "MessageTypeRule",
    "RejectReason",
    "ReplyDraft",
    "mailbox_storage",
]


class MailboxStorage(FileSystemStorage):
    """Citizens' and staff attachments, outside MEDIA_ROOT: /media/ is served to anyone.

    The location is read from the settings on every use (tests point it at a temporary folder).
    """

    @property  # type: ignore[override]
    def base_location(self) -> str:
        configured = getattr(settings, "MAILBOX_FILES_ROOT", None)
        return str(configured or Path(settings.VAR_DIR) / "private" / "mailbox")

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def mailbox_storage() -> FileSystemStorage:
    return MailboxStorage()


class MessageType(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    SUGGESTION = "suggestion", "建议"
    COMPLAINT = "complaint", "投诉"
    HELP = "help", "求助"
    OTHER = "other", "其他"


class MessageTypeRule(models.Model):
    """The reply period of one message type, in working days (第十三条: 最晚不超过5个工作日)."""

    message_type = models.CharField(
        "留言类型", max_length=20, choices=MessageType.choices, unique=True
    )
    reply_days = models.PositiveSmallIntegerField(
        "答复时限（工作日）",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="第十三条：最晚答复时间不得超过5个工作日。",
    )

    class Meta:
        verbose_name = "留言答复时限"
        verbose_name_plural = "留言答复时限"
        ordering = ["message_type"]

    def __str__(self) -> str:
        return f"{self.get_message_type_display()}：{self.reply_days} 个工作日"


class RejectReason(models.Model):
    """A reason the operator may give for 不予受理 (seeded by `reject_reasons_ensure`)."""

    name = models.CharField("理由", max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "不予受理理由"
        verbose_name_plural = "不予受理理由"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """A citizen's letter to the mayor's mailbox (区长信箱留言)."""

    class Status(models.TextChoices):
        NEW = "new", "待受理"
        ACCEPTED = "accepted", "已受理待转办"
        HANDLING = "handling", "办理中"
        ANSWERED = "answered", "已答复"
        REJECTED = "rejected", "不予受理"
        # Closed because the citizen did not add what was asked for (services.INFO_WAIT_DAYS).
        NO_INFO = "no_info", "未补充办结"

    class Publication(models.TextChoices):
        NONE = "none", "不公开"
        HELD = "held", "待审核公开"
        PUBLISHED = "published", "已公开"
        WITHHELD = "withheld", "不予公开"

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    tracking_number = models.CharField("留言编号", max_length=20, unique=True)
    query_code_hash = models.CharField(max_length=200, editable=False)
    # sha256 of the one-time form token: a second submission of the same form finds this row.
    form_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    message_type = models.CharField("留言类型", max_length=20, choices=MessageType.choices)
    subject = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    # Contact data: visible only to the operator and the assigned units (services.message_contact).
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号码", max_length=20, db_index=True)
    email = models.EmailField("电子邮箱", blank=True)
    consent_publish = models.BooleanField("同意公开", default=False)
    client_ip = models.GenericIPAddressField("提交地址", null=True, blank=True)

    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    reply_days = models.PositiveSmallIntegerField("答复时限（工作日）", default=5)
    # None while the calendar has no data for the year (CalendarDataMissing): shown loudly.
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    original_due_on = models.DateField("原答复期限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    reject_reason = models.ForeignKey(
        RejectReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="不予受理理由",
    )
    reject_text = models.TextField("不予受理说明", blank=True)
    info_request = models.TextField(
        "请留言人补充的内容", blank=True, help_text="有内容时，留言人查询留言时可补充材料。"
    )
    # Set while the letter waits for the citizen: the reply clock stands still (services).
    info_requested_at = models.DateTimeField("请补充时间", null=True, blank=True)
    reminded_at = models.DateTimeField("到期提醒时间", null=True, blank=True)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True, db_index=True)

    publication = models.CharField(
        "公开状态", max_length=20, choices=Publication.choices, default=Publication.NONE
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True, db_index=True)
    public_subject = models.CharField("公开标题", max_length=100, blank=True)
    public_content = models.TextField("公开留言内容", blank=True)
    public_reply = models.TextField("公开答复内容", blank=True)
    publication_note = models.TextField("公开审核说明", blank=True)

    rating = models.CharField("满意度", max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="mailbox_status_due")]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.ACCEPTED, self.Status.HANDLING)

    @property
    def received_on(self) -> Any:
        return timezone.localdate(self.received_at)


class MessageAssignment(models.Model):
    """转办: the message handed to a unit. A unit may hand it back with a reason."""

    class State(models.TextChoices):
        ACTIVE = "active", "办理中"
        HANDED_BACK = "handed_back", "已退回"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="mailbox_assignments"
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.ACTIVE)
    assigned_at = models.DateTimeField("转办时间", default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handback_reason = models.TextField("退回理由", blank=True)
    handed_back_at = models.DateTimeField("退回时间", null=True, blank=True)

    class Meta:
        verbose_name = "留言转办"
        verbose_name_plural = "留言转办"
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "unit"],
                condition=models.Q(state="active"),
                name="mailbox_one_active_assignment_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.message.tracking_number} → {self.unit}"


class ReplyDraft(models.Model):
    """A unit's reply: drafted by its editor, approved by its reviewer (not the same person)."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "已审核答复"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("答复内容")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "留言答复"
        verbose_name_plural = "留言答复"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.message.tracking_number} {self.unit} {self.get_state_display()}"


class ExtensionRequest(models.Model):
    """延期: a unit asks for more working days; the operator approves or refuses, with reasons."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(
        "延长工作日", validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    reason = models.TextField("延期理由")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.message.tracking_number} 延期 {self.days} 个工作日"


class MessageNote(models.Model):
    """An internal note: never shown to the citizen or the public."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("内部备注")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "内部备注"
        verbose_name_plural = "内部备注"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class MessageAttachment(models.Model):
    """A file on a message: from the citizen (with the letter or added later) or internal."""

    class Source(models.TextChoices):
        CITIZEN = "citizen", "留言人"
        STAFF = "staff", "工作人员"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="%Y/%m/", storage=mailbox_storage, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=20)  # from the content bytes (checks.attachments)
    size = models.PositiveIntegerField("大小")
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.CITIZEN)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "留言附件"
        verbose_name_plural = "留言附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class MessageEvent(models.Model):
    """One line of a message's history (受理、转办、退回、答复、督办、延期 …)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "提交留言"
        ACCEPTED = "accepted", "受理"
        REJECTED = "rejected", "不予受理"
        ASSIGNED = "assigned", "转办"
        HANDED_BACK = "handed_back", "退回"
        INFO_REQUESTED = "info_requested", "请留言人补充"
        INFO_ADDED = "info_added", "留言人补充"
        DRAFTED = "drafted", "起草答复"
        SUBMITTED_FOR_REVIEW = "submitted_for_review", "提交答复审核"
        REPLY_RETURNED = "reply_returned", "答复退回修改"
        UNIT_ANSWERED = "unit_answered", "单位答复审核通过"
        ANSWERED = "answered", "答复"
        CLOSED_NO_INFO = "closed_no_info", "未补充办结"
        PUBLISHED = "published", "公开"
        HELD = "held", "公开前待审核"
        WITHHELD = "withheld", "不予公开"
        EXTENSION_REQUESTED = "extension_requested", "申请延期"
        EXTENSION_APPROVED = "extension_approved", "批准延期"
        EXTENSION_REFUSED = "extension_refused", "不批准延期"
        REMINDED = "reminded", "到期提醒"
        ESCALATED = "escalated", "超期督办"
        NOTE = "note", "内部备注"
        ATTACHMENT = "attachment", "上传附件"
        RATED = "rated", "留言人评价"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "留言办理记录"
        verbose_name_plural = "留言办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class ContactView(models.Model):
    """Every time a member of staff sees a citizen's contact data (name, phone, e-mail)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="contact_views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("查看时间", default=timezone.now)
    purpose = models.CharField("用途", max_length=50, blank=True)

    class Meta:
        verbose_name = "联系方式查看记录"
        verbose_name_plural = "联系方式查看记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
