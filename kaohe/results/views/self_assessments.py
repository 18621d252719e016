"""The self-assessment forms (考核自评表) as files in the seed's layout, and the assessment
office's comparison of every department's self scores with its assessed scores."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import results as result_access
from kaohe.access import years as year_access
from kaohe.core.downloads import DOCX, PDF, XLSX, download
from kaohe.results.exports.self_assessment import form_sheet, forms_docx, forms_pdf, forms_xlsx
from kaohe.results.selectors import PublicationMismatch
from kaohe.results.self_assessments import all_forms, comparison, current_revisions
from kaohe.results.views.exports import _mismatch

RENDERERS = {"xlsx": (forms_xlsx, XLSX), "docx": (forms_docx, DOCX), "pdf": (forms_pdf, PDF)}


def _page_url(request: HttpRequest, year: int, code: str) -> str:
    """The form's page, absolute, for the QR code."""
    return request.build_absolute_uri(reverse("years:self_assessment", args=[year, code]))


@login_required
@require_GET
def self_assessment_export(request: HttpRequest, year: int, code: str, fmt: str) -> HttpResponse:
    """One department's form as xlsx, docx or PDF: for whoever may read the form."""
    found = year_access.year_for_user(request.user, year)
    department = year_access.self_assessment_department(request.user, found, code, write=False)
    if fmt not in RENDERERS:
        raise Http404
    render_file, content_type = RENDERERS[fmt]
    revision = current_revisions(found).get(department.pk)
    sheet = form_sheet(found, department, revision, _page_url(request, year, code))
    name = _("Self-assessment form %(year)s %(department)s") % {
        "year": year,
        "department": department.name,
    }
    return download(render_file([sheet]), content_type, f"{name}.{fmt}", private=True)


@login_required
@require_GET
def self_assessments(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office's page: self scores beside assessed scores, per item and category."""
    found = year_access.year_for_user(request.user, year)
    result_access.require_self_assessment_comparison(request.user)
    try:
        compared = comparison(found)
    except PublicationMismatch:
        return _mismatch()
    return render(request, "results/self_assessments.html", {"year": found, "comparison": compared})


@login_required
@require_GET
def self_assessments_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """Every department's form at once: one PDF, or one workbook with a sheet per department."""
    found = year_access.year_for_user(request.user, year)
    result_access.require_self_assessment_comparison(request.user)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    render_file, content_type = RENDERERS[fmt]
    url = _page_url(request, year, "CODE").replace("CODE", "{code}")
    name = _("Self-assessment forms %(year)s") % {"year": year}
    return download(render_file(all_forms(found, url)), content_type, f"{name}.{fmt}", private=True)
