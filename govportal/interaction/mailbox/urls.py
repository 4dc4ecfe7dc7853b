"""Public URLs of the mailbox part (mounted at /mailbox/)."""

from django.urls import URLPattern, URLResolver, path

from govportal.interaction.mailbox import views

app_name = "mailbox"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("write/", views.write, name="write"),
    path("query/", views.query, name="query"),
    path("mine/<str:tracking_number>/", views.mine, name="mine"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("statistics/", views.statistics, name="statistics"),
    path("bench-floor/", views.bench_floor, name="bench_floor"),  # 404 unless in bench mode
]
