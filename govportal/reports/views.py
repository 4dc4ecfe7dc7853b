"""Public pages of the annual disclosure reports: the list, one report, its DOCX and PDF.

Only published reports are shown; a draft's URL answers 404 like any unknown page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govportal.reports import exports, layout
from govportal.reports.models import DisclosureReport
from govportal.reports.rules import PublisherKind


def published_report_get(year: int, publisher: str) -> DisclosureReport:
    """The published report of `year` for “district” or “unit-<id>”, or 404."""
    reports = DisclosureReport.objects.published().select_related("unit").filter(year=year)
    if publisher == "district":
        report = reports.filter(publisher_kind=PublisherKind.DISTRICT).first()
    elif publisher.startswith("unit-") and publisher[5:].isdigit():
        report = reports.filter(
            publisher_kind=PublisherKind.UNIT, unit_id=int(publisher[5:])
        ).first()
    else:
        report = None
    if report is None:
        raise Http404("没有找到该年度报告。")
    return report


def report_index(request: HttpRequest) -> HttpResponse:
    reports = list(DisclosureReport.objects.published().select_related("unit"))
    years: dict[int, list[DisclosureReport]] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    return render(
        request,
        "reports/index.html",
        {"years": sorted(years.items(), reverse=True)},
    )


def report_detail(request: HttpRequest, year: int, publisher: str) -> HttpResponse:
    report = published_report_get(year, publisher)
    return render(
        request,
        "reports/disclosure_report.html",
        {
            "report": report,
            "grids": layout.report_grids(report.tables_dict()),
            "overview": exports.paragraphs(report.overview),
            "problems": exports.paragraphs(report.problems),
            "other_matters": exports.paragraphs(report.other_matters),
            "fees_sentence": exports.fees_sentence(report.fees_collected),
        },
    )


def download_response(report: DisclosureReport, kind: str) -> HttpResponse:
    """The report file as an attachment (shared with the admin's download of drafts)."""
    if kind == "docx":
        body, content_type = exports.report_docx(report), exports.DOCX_CONTENT_TYPE
    else:
        body, content_type = exports.report_pdf(report), exports.PDF_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    # RFC 6266 / 5987: the Chinese file name, percent-encoded.
    from urllib.parse import quote

    name = quote(exports.filename(report, kind))
    response["Content-Disposition"] = (
        f"attachment; filename=\"report.{kind}\"; filename*=UTF-8''{name}"
    )
    return response


def report_docx(request: HttpRequest, year: int, publisher: str) -> HttpResponse:
    return download_response(published_report_get(year, publisher), "docx")


def report_pdf(request: HttpRequest, year: int, publisher: str) -> HttpResponse:
    return download_response(published_report_get(year, publisher), "pdf")
