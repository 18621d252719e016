"""Downloads of a published version: the workbook, the notice (Word, PDF), score sheets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import results as result_access
from kaohe.access import years as year_access
from kaohe.core.downloads import DOCX, PDF, XLSX, download
from kaohe.org.models import Department
from kaohe.results.charts import publication_chart
from kaohe.results.exports.data import export_data
from kaohe.results.exports.notice import notice_content
from kaohe.results.exports.pdf import notice_pdf, score_sheet_pdf, score_sheets_pdf
from kaohe.results.exports.word import notice_docx
from kaohe.results.exports.xlsx import workbook_bytes
from kaohe.results.models import Publication
from kaohe.results.selectors import PublicationMismatch, version_for


def _publication(request: HttpRequest, year: int, number: int) -> Publication:
    y = year_access.year_for_user(request.user, year)
    p = version_for(y, number)
    if p is None:
        raise Http404
    return p


def _mismatch() -> HttpResponse:
    message = _(
        "This version's stored inputs no longer give its published figures with this version of "
        "the software; its exports cannot be made. The published figures stay on its page."
    )
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def workbook(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """The results workbook: every sheet, for readers of everything."""
    if not result_access.may_export_workbook(request.user):
        raise PermissionDenied
    p = _publication(request, year, number)
    try:
        data = export_data(p)
    except PublicationMismatch:
        return _mismatch()
    png = publication_chart(p, "ranking", data.scheme)
    return download(workbook_bytes(data, png), XLSX, f"kaohe-{year}-v{number}.xlsx")


@login_required
@require_GET
def notice_word(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """The results notice (考核结果通报) as Word: for everyone with a role."""
    p = _publication(request, year, number)
    try:
        body = notice_docx(notice_content(export_data(p)))
    except PublicationMismatch:
        return _mismatch()
    return download(body, DOCX, f"kaohe-{year}-v{number}-notice.docx")


@login_required
@require_GET
def notice_pdf_view(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """The results notice as PDF."""
    p = _publication(request, year, number)
    try:
        body = notice_pdf(notice_content(export_data(p)))
    except PublicationMismatch:
        return _mismatch()
    return download(body, PDF, f"kaohe-{year}-v{number}-notice.pdf")


@login_required
@require_GET
def score_sheet(request: HttpRequest, year: int, number: int, code: str) -> HttpResponse:
    """A department's one-page score sheet: readers of everything and the department itself."""
    p = _publication(request, year, number)
    department = Department.objects.filter(code=code).first()
    codes = {d["code"] for d in p.results["departments"]}
    if department is None or code not in codes:
        raise Http404
    if not result_access.may_see_department_trail(request.user, department.pk):
        raise Http404
    try:
        data = export_data(p)
    except PublicationMismatch:
        return _mismatch()
    png = publication_chart(p, f"profile-{code}", data.scheme)
    body = score_sheet_pdf(data, code, png)
    return download(body, PDF, f"kaohe-{year}-v{number}-{code}.pdf")


@login_required
@require_GET
def score_sheets(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """Every department's score sheet in one PDF: for whoever may see every department's sheet;
    anyone else is not told it exists, as with another department's sheet."""
    p = _publication(request, year, number)
    if not result_access.may_export_all_sheets(request.user):
        raise Http404
    try:
        data = export_data(p)
    except PublicationMismatch:
        return _mismatch()
    pngs = {
        d.code: publication_chart(p, f"profile-{d.code}", data.scheme)
        for d in data.results.departments
    }
    return download(score_sheets_pdf(data, pngs), PDF, f"kaohe-{year}-v{number}-sheets.pdf")
