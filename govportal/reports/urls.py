"""Public URLs of the reports app."""

from django.urls import URLPattern, URLResolver, path, register_converter

from govportal.reports import views


class PublisherConverter:
    """“district” or “unit-<id>”."""

    regex = r"district|unit-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PublisherConverter, "publisher")

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_index, name="index"),
    path(
        "disclosure/<int:year>/<publisher:publisher>/",
        views.report_detail,
        name="disclosure_detail",
    ),
    path(
        "disclosure/<int:year>/<publisher:publisher>/docx/",
        views.report_docx,
        name="disclosure_docx",
    ),
    path(
        "disclosure/<int:year>/<publisher:publisher>/pdf/",
        views.report_pdf,
        name="disclosure_pdf",
    ),
]
