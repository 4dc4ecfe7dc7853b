"""Public URLs of the surveys part."""

from django.urls import URLPattern, URLResolver, path

from govportal.interaction.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.survey_list, name="list"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/answer/", views.survey_answer, name="answer"),
    path("<int:pk>/comment/", views.comment_submit, name="comment"),
]
