"""Public pages of 政府信息公开工作年度报告, mounted at /disclosure-report/."""

from django.urls import URLPattern, URLResolver

app_name = "disclosure_report"
urlpatterns: list[URLPattern | URLResolver] = []
