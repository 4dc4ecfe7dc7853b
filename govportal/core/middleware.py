"""Request guards that hold for every view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RejectNulMiddleware:
    """No address or query parameter of ours contains a NUL character, and PostgreSQL refuses
    them in text fields: answer such requests before any view queries the database with them
    (a path → the 404 page, a query string → the 400 page), instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from govportal.core import views

        if "\x00" in request.path:
            return views.page_not_found(request)
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return views.bad_request(request)
        return self.get_response(request)
