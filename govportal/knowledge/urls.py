"""Public pages of 知识库与智能问答, mounted at /knowledge/."""

from django.urls import URLPattern, URLResolver

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = []
