"""Public URLs of the interviews part."""

from django.urls import URLPattern, URLResolver, path

from govportal.interaction.interviews import views

app_name = "interviews"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.interview_list, name="list"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/ask/", views.question_submit, name="ask"),
    path("<int:pk>/live.json", views.live_feed, name="live"),
]
