"""Public pages of 在线访谈, mounted at /interviews/."""

from django.urls import URLPattern, URLResolver

app_name = "interviews"
urlpatterns: list[URLPattern | URLResolver] = []
