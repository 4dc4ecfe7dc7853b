"""Public URLs of disclosure requests (依申请公开), mounted at /disclosure/requests/."""

from django.urls import URLPattern, URLResolver, path

from govportal.disclosure import request_views as views

app_name = "disclosure_requests"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.apply, name="apply"),
    path("done/", views.done, name="done"),
    path("lookup/", views.lookup, name="lookup"),
    path("r/<str:tracking_number>/", views.status, name="status"),
    path("r/<str:tracking_number>/correction/", views.correct, name="correct"),
]
