"""Public pages of 征集调查, mounted at /surveys/."""

from django.urls import URLPattern, URLResolver

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = []
