"""Units (单位) and the auth groups of their roles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class UnitKind(models.TextChoices):
    TOWN = "town", "镇"
    STREET = "street", "街道办"
    DEPARTMENT = "department", "区政府部门"
    DIRECT = "direct", "区直单位"
    SPONSOR = "sponsor", "主办单位"
    OPERATOR = "operator", "承办单位"
    BUILDER = "builder", "建设单位"


phone_validator = RegexValidator(
    r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|400-?\d{3}-?\d{4}|12345)$",
    "电话号码格式不正确，应为 区号-号码 (如 0917-3212345) 或 11 位手机号。",
)


class Unit(models.Model):
    """A 单位: a town, street office or department that feeds columns (第四条)."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    code = models.CharField(
        "单位代码",
        max_length=20,
        blank=True,
        help_text="用于生成索引号等编码，如 11610302MB0000000X 的前缀或内部编号。",
    )
    kind = models.CharField("单位类别", max_length=20, choices=UnitKind.choices)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField("电子邮箱", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("code"), FieldPanel("sort_order")]),
        FieldRowPanel([FieldPanel("contact_person"), FieldPanel("phone"), FieldPanel("email")]),
    ]

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class UnitRole(models.TextChoices):
    """Per-unit roles; each unit has one Django group per role (第十二条: 审发分离)."""

    EDITOR = "editor", "编辑"
    REVIEWER = "reviewer", "审核"


class UnitGroup(models.Model):
    """Links a unit and a per-unit role to the auth group that carries its page permissions."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_groups")
    role = models.CharField(max_length=20, choices=UnitRole.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="unit_role")

    class Meta:
        verbose_name = "单位角色组"
        verbose_name_plural = "单位角色组"
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="unit_group_unique_role")
        ]

    def __str__(self) -> str:
        return self.group.name
