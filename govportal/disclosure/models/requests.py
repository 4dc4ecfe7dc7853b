"""Disclosure requests (依申请公开, 政府信息公开条例 第二十七条 to 第四十五条).

A request goes 登记 → (补正) → (征求第三方意见) → (延期) → 答复 → 归档 (第四十五条). Every state
change is one `DisclosureRequestEvent`; events and requests are never deleted. The applicant's ID
number is stored encrypted (request_crypto.py); the query code is stored as a password hash.
State changes go through request_services.py only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from govportal.disclosure.request_stats import APPLICANT_COLUMNS, OUTCOME_ROWS

__all__ = [
    "APPLICANT_KIND_CHOICES",
    "NATURAL_PERSON",
    "OUTCOME_CHOICES",
    "DeliveryChannel",
    "DeliveryForm",
    "DisclosureRequest",
    "DisclosureRequestEvent",
    "EventKind",
    "FeeMethod",
    "IdDocumentType",
    "IntakeChannel",
    "ReplyType",
    "RequestState",
]


# 申请人类别: the columns of table 三 of the annual report (自然人 or a kind of organisation).
APPLICANT_KIND_CHOICES: list[tuple[str, str]] = list(APPLICANT_COLUMNS)
NATURAL_PERSON = APPLICANT_COLUMNS[0][0]
# 办理结果: the rows of 三、本年度办理结果; every answered request has exactly one.
OUTCOME_CHOICES: list[tuple[str, str]] = [(key, label) for key, label, _ in OUTCOME_ROWS]


class IdDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan", "台湾居民来往大陆通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码证书"
    OTHER = "other", "其他有效证件"


class DeliveryForm(models.TextChoices):
    """所需信息的指定提供载体形式 (第二十九条(三))."""

    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文档"
    DISC = "disc", "光盘等存储介质"
    INSPECT = "inspect", "当场查阅、抄录"


class DeliveryChannel(models.TextChoices):
    """获取信息的方式 (第二十九条(三))."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上查询"


class IntakeChannel(models.TextChoices):
    """How the request arrived; decides its receipt date (第三十一条)."""

    ONLINE = "online", "互联网在线申请"
    IN_PERSON = "in_person", "当面提交"
    POST = "post", "信函邮寄"
    FAX = "fax", "传真"


class RequestState(models.TextChoices):
    REGISTERED = "registered", "已登记（办理中）"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    CONSULTING = "consulting", "征求第三方意见中"
    EXTENDED = "extended", "已延期（办理中）"
    ANSWERED = "answered", "已答复"
    ARCHIVED = "archived", "已归档"


class ReplyType(models.TextChoices):
    """答复类型: 第三十六条 (1)–(7), 第三十七条 部分公开, and the cases of 第三十九条 and 第三十条."""

    ALREADY_PUBLIC = "already_public", "已主动公开（第三十六条第一项）"
    DISCLOSED = "disclosed", "予以公开（第三十六条第二项）"
    PARTLY_DISCLOSED = "partly_disclosed", "部分公开（第三十七条）"
    WITHHELD = "withheld", "不予公开（第三十六条第三项）"
    NOT_EXIST = "not_exist", "信息不存在（第三十六条第四项）"
    NOT_OUR_DUTY = "not_our_duty", "不属于本机关负责公开（第三十六条第五项）"
    REPEAT = "repeat", "重复申请，不予重复处理（第三十六条第六项）"
    SPECIAL_LAW = "special_law", "依照有关法律、行政法规的规定办理（第三十六条第七项）"
    NOT_PROCESSED = "not_processed", "不作为政府信息公开申请处理（第三十五条、第三十九条）"
    OTHER = "other", "其他处理（逾期不补正、逾期未缴费等）"


class FeeMethod(models.TextChoices):
    """信息处理费 (国办函〔2020〕109号): one method per application, never both."""

    PER_APPLICATION = "per_application", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交申请"
    REGISTERED = "registered", "登记"
    ASSIGNED = "assigned", "指定承办人"
    CORRECTION_ASKED = "correction_asked", "告知补正"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    CONSULTATION_STARTED = "consultation_started", "征求第三方意见"
    CONSULTATION_ENDED = "consultation_ended", "第三方意见返回"
    EXTENDED = "extended", "延期答复"
    FEE_DECIDED = "fee_decided", "决定收取信息处理费"
    FEE_PAID = "fee_paid", "缴纳信息处理费"
    ANSWERED = "answered", "答复"
    ARCHIVED = "archived", "归档"
    ID_VIEWED = "id_viewed", "查看证件号码"


class NoDelete(models.Model):
    """Nothing of a disclosure request is ever deleted (第四十五条: 归档)."""

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("依申请公开记录不得删除。")


class DisclosureRequest(NoDelete):
    tracking_number = models.CharField("申请编号", max_length=32, unique=True, editable=False)
    query_code_hash = models.CharField("查询码（散列）", max_length=200, editable=False)
    # One-time form token of the public form: the same submission twice is one request.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    applicant_kind = models.CharField("申请人类别", max_length=20, choices=APPLICANT_KIND_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=100)
    legal_representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdDocumentType.choices)
    id_number_encrypted = models.TextField("证件号码（加密）", editable=False)
    id_number_masked = models.CharField("证件号码（遮蔽）", max_length=40, editable=False)
    # Keyed digest of the ID: the same applicant's requests in a month (信息处理费按件计收)
    # without decrypting anything.
    applicant_digest = models.CharField(max_length=64, db_index=True, editable=False)
    contact_phone = models.CharField("联系电话", max_length=30)
    contact_email = models.EmailField("电子邮箱", blank=True)
    contact_address = models.CharField("通信地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)

    description = models.TextField("所需信息的名称、文号或特征描述")
    purpose = models.CharField("用途（可不填）", max_length=200, blank=True)
    delivery_form = models.CharField("提供载体形式", max_length=20, choices=DeliveryForm.choices)
    delivery_channel = models.CharField("获取方式", max_length=20, choices=DeliveryChannel.choices)

    intake_channel = models.CharField("申请渠道", max_length=20, choices=IntakeChannel.choices)
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("收到申请之日（第三十一条）")
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
        verbose_name="办理单位",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="承办人",
    )
    state = models.CharField(
        "状态", max_length=30, choices=RequestState.choices, default=RequestState.REGISTERED
    )

    # 补正 (第三十条)
    correction_request = models.TextField("补正告知内容", blank=True)
    correction_asked_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_due_on = models.DateField("补正期限", null=True, blank=True)
    correction_text = models.TextField("补正内容", blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)

    # 延期 (第三十三条第二款)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="延期批准人",
    )
    extension_notice = models.TextField("延期告知申请人内容", blank=True)

    # 信息处理费 (第四十二条, 国办函〔2020〕109号)
    fee_method = models.CharField("计收方式", max_length=20, choices=FeeMethod.choices, blank=True)
    fee_quantity = models.PositiveIntegerField("计费数量（件序或页数）", null=True, blank=True)
    fee_amount = models.DecimalField(
        "信息处理费（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_decided_on = models.DateField("收费决定日期", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # 答复 (第三十六条, 第三十七条)
    reply_type = models.CharField("答复类型", max_length=30, choices=ReplyType.choices, blank=True)
    outcome = models.CharField(
        "办理结果（年报统计）", max_length=40, choices=OUTCOME_CHOICES, blank=True
    )
    reply_text = models.TextField("答复内容（申请人可见）", blank=True)
    reply_on = models.DateField("答复日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "state"], name="disc_req_unit_state"),
            models.Index(fields=["received_on"], name="disc_req_received"),
            models.Index(fields=["reply_on"], name="disc_req_reply"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.applicant_name}"

    @property
    def is_open(self) -> bool:
        return self.state not in (RequestState.ANSWERED, RequestState.ARCHIVED)


class DisclosureRequestEvent(NoDelete):
    """One line of a request's log: append-only (第四十五条)."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.PROTECT, related_name="events", verbose_name="申请"
    )
    at = models.DateTimeField("时间")
    # The day the event takes effect for the clock (a pause's start, a correction's arrival).
    effective_on = models.DateField("生效日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人名称", max_length=100)
    kind = models.CharField("事项", max_length=30, choices=EventKind.choices)
    from_state = models.CharField("原状态", max_length=30, choices=RequestState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=30, choices=RequestState.choices, blank=True)
    days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("办理记录只能追加，不得修改。")
        super().save(*args, **kwargs)
