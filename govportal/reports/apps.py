from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "govportal.reports"
    label = "reports"
    verbose_name = "年度报告与统计"
