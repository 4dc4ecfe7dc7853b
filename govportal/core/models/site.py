"""Per-site identity: the identifiers every Chinese government site shows in its footer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from govportal.core.models.units import phone_validator

site_code_validator = RegexValidator(
    r"^(\d{10}|bm\d{8})$", "政府网站标识码应为 10 位数字，或 bm 加 8 位数字。"
)
icp_validator = RegexValidator(
    r"^[\u4e00-\u9fa5]ICP备\d{8}号(-\d{1,3})?$", "ICP备案号格式应如 陕ICP备05001234号-1。"
)
police_validator = RegexValidator(
    r"^[\u4e00-\u9fa5]公网安备 ?\d{14}号$", "公安机关备案号格式应如 陕公网安备 61030202000123号。"
)


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """The identifiers every Chinese government site shows in its footer (底部功能区)."""

    site_name = models.CharField("网站名称", max_length=100, default="渭滨区人民政府门户网站")
    site_domain = models.CharField("网站域名", max_length=100, blank=True)
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    operator = models.CharField("承办单位", max_length=100, blank=True)
    builder = models.CharField("建设单位", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField(
        "邮编",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮编应为 6 位数字。")],
    )
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField("电子邮箱", blank=True)
    site_code = models.CharField(
        "政府网站标识码", max_length=10, blank=True, validators=[site_code_validator]
    )
    icp_number = models.CharField(
        "ICP备案号", max_length=40, blank=True, validators=[icp_validator]
    )
    icp_url = models.URLField("ICP备案链接", blank=True, default="https://beian.miit.gov.cn/")
    police_number = models.CharField(
        "公安机关备案号", max_length=40, blank=True, validators=[police_validator]
    )
    police_url = models.URLField("公安机关备案链接", blank=True)
    party_mark = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="党政机关网站标识",
    )
    party_mark_url = models.URLField("党政机关网站标识链接", blank=True)
    error_report_url = models.URLField("我为政府网站找错链接", blank=True)
    sitemap_path = models.CharField("网站地图地址", max_length=100, default="/sitemap/")

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("site_domain")],
            heading="网站",
        ),
        MultiFieldPanel(
            [FieldPanel("sponsor"), FieldPanel("operator"), FieldPanel("builder")],
            heading="主办、承办、建设单位",
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading="联系方式",
        ),
        MultiFieldPanel(
            [
                FieldPanel("site_code"),
                FieldRowPanel([FieldPanel("icp_number"), FieldPanel("icp_url")]),
                FieldRowPanel([FieldPanel("police_number"), FieldPanel("police_url")]),
                FieldRowPanel([FieldPanel("party_mark"), FieldPanel("party_mark_url")]),
                FieldPanel("error_report_url"),
                FieldPanel("sitemap_path"),
            ],
            heading="网站标识",
        ),
    ]

    class Meta:
        verbose_name = "网站标识与信息"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.police_number and not self.police_url:
            errors["police_url"] = "填写公安机关备案号时须同时填写其链接。"
        if self.party_mark_id and not self.party_mark_url:
            errors["party_mark_url"] = "设置党政机关网站标识时须同时填写其链接。"
        if errors:
            raise ValidationError(errors)
