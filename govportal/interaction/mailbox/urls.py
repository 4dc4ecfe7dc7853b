"""Public URLs of the mailbox part."""

from django.urls import URLPattern, URLResolver

app_name = "mailbox"
urlpatterns: list[URLPattern | URLResolver] = []
