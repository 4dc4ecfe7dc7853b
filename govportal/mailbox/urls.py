"""Public pages of 区长信箱, mounted at /mailbox/."""

from django.urls import URLPattern, URLResolver

app_name = "mailbox"
urlpatterns: list[URLPattern | URLResolver] = []
