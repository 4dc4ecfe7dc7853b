"""Public URLs of disclosure requests (依申请公开), mounted at /disclosure/requests/."""

from django.urls import URLPattern, URLResolver

app_name = "disclosure_requests"
urlpatterns: list[URLPattern | URLResolver] = []
