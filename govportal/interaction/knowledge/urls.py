"""Public URLs of the knowledge part."""

from django.urls import URLPattern, URLResolver, path

from govportal.interaction.knowledge import views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.entry_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("<int:pk>/", views.entry_detail, name="entry"),
]
