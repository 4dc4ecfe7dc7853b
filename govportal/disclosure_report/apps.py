from django.apps import AppConfig


class DisclosureReportConfig(AppConfig):
    name = "govportal.disclosure_report"
    label = "disclosure_report"
    verbose_name = "政府信息公开工作年度报告"
