"""Year pages that combine the apps: creating a year, its departments, the overview, a
department's page (the years app's own pages are in kaohe/years/views.py).

Each view parses, checks access (kaohe.access) first, calls an action or a read, renders.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import results as result_access
from kaohe.access import years as year_access
from kaohe.assessment import actions, pages, progress, type_correction
from kaohe.core.forms import attempt
from kaohe.org.models import Department
from kaohe.results.selectors import PublicationMismatch
from kaohe.years.forms import AssessedFormSet, TypeCorrectionForm, YearCreateForm
from kaohe.years.models import Year


@login_required
def year_new(request: HttpRequest) -> HttpResponse:
    """Create a year from a scheme (built-in, library or an earlier year's)."""
    year_access.require_year_management(request.user)
    form = YearCreateForm(request.POST or None)
    if request.method == "POST":
        year = attempt(
            form,
            lambda: actions.year_create(
                by=request.user, year=form.cleaned_data["year"], source=form.cleaned_data["source"]
            ),
        )
        if year is not None:
            messages.success(request, _("Year %(year)s created.") % {"year": year.year})
            return redirect("years:departments", year=year.year)
    return render(request, "years/new.html", {"form": form})


@login_required
def year_departments(request: HttpRequest, year: int) -> HttpResponse:
    """Choose the year's assessed departments, their types and last year's ranks."""
    year_access.require_year_management(request.user)
    found = year_access.year_hub_for_user(request.user, year)
    departments = list(Department.objects.all())
    formset = AssessedFormSet(request.POST or None, initial=_assessed_initial(found, departments))
    save_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = _assessed_rows(formset, departments)
        try:
            actions.year_departments_set(by=request.user, year=found, rows=rows)
        except ValidationError as exc:
            save_errors = exc.messages
        else:
            messages.success(request, _("The year's departments were saved."))
            return redirect("years:detail", year=found.year)
    context = {
        "year": found,
        "formset": formset,
        "rows": list(zip(departments, formset.forms, strict=True)),
        "save_errors": save_errors,
        "locked": type_correction.types_locked(found),
    }
    return render(request, "years/departments.html", context)


def _assessed_initial(year: Year, departments: list[Department]) -> list[dict[str, Any]]:
    """Every department's row as the year has it now (else not assessed, of its usual type)."""
    current = {a.department_id: a for a in year.assessed.all()}
    return [
        {
            "department": d.pk,
            "assessed": d.pk in current,
            "type": current[d.pk].type if d.pk in current else d.type,
            "previous_rank": current[d.pk].previous_rank if d.pk in current else None,
        }
        for d in departments
    ]


def _assessed_rows(formset: Any, departments: list[Department]) -> list[actions.AssessedRow]:
    """The formset's rows as `year_departments_set` takes them (unknown departments left out)."""
    by_pk = {d.pk: d for d in departments}
    return [
        actions.AssessedRow(
            department=by_pk[f.cleaned_data["department"]],
            assessed=f.cleaned_data["assessed"],
            type=f.cleaned_data["type"],
            previous_rank=f.cleaned_data["previous_rank"],
        )
        for f in formset
        if f.cleaned_data.get("department") in by_pk
    ]


def _published_instead(request: HttpRequest, year: int) -> HttpResponse:
    """A version whose stored inputs no longer give its figures: its own page shows them."""
    messages.error(
        request,
        _(
            "The published version's stored inputs no longer give its figures with this version "
            "of the software; its published figures are on the results page."
        ),
    )
    return redirect("results:published", year=year)


@login_required
def year_overview(request: HttpRequest, year: int) -> HttpResponse:
    """All departments' figures as published (else proposed), for readers of everything."""
    found = year_access.year_for_user(request.user, year)
    year_access.require_overview(request.user)
    office = result_access.may_see_live_results(request.user, published=True)
    try:
        o = pages.overview(found, office=office)
    except PublicationMismatch:
        return _published_instead(request, year)
    return render(request, "years/overview.html", {"year": found, "o": o})


@login_required
def year_department(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A department's year as published (else proposed), with the trail behind every number."""
    found = year_access.year_for_user(request.user, year)
    department = year_access.department_for_user(request.user, found, code)
    office = result_access.may_see_live_results(request.user, published=True)
    try:
        page = pages.department_page(found, department, office=office)
    except PublicationMismatch:
        return _published_instead(request, year)
    context = {
        "year": found,
        "p": page,
    }
    return render(request, "years/department.html", context)


@login_required
def year_department_type_correct(request: HttpRequest, year: int) -> HttpResponse:
    """Correct a department's type after the rounds opened: a preview first, then the record."""
    found = year_access.year_for_user(request.user, year)
    if not year_access.may_correct_department_types(request.user):
        raise PermissionDenied
    form = TypeCorrectionForm(request.POST or None, year=found)
    preview = None
    if request.method == "POST" and form.is_valid():
        row = found.assessed.select_related("department").get(
            department__code=form.cleaned_data["department"]
        )
        new_type, reason = form.cleaned_data["new_type"], form.cleaned_data["reason"]
        act = type_correction.type_correction_preview
        if "confirm" in request.POST:
            act = partial(type_correction.department_type_correct, by=request.user, reason=reason)
        preview = attempt(form, lambda: act(year=found, department=row, new_type=new_type))
        if preview is not None and "confirm" in request.POST:
            messages.success(request, _("The department's type was corrected."))
            return redirect("years:departments", year=found.year)
    context = {
        "year": found,
        "form": form,
        "preview": preview,
        "locked": type_correction.types_locked(found),
    }
    return render(request, "years/type_correction.html", context)


@login_required
def year_deadlines(request: HttpRequest, year: int) -> HttpResponse:
    """Per step of the year, its deadline and each department: done (when), not yet, late."""
    year_access.require_deadlines(request.user)
    found = year_access.year_for_user(request.user, year)
    today = timezone.localdate()
    steps = progress.year_progress(
        found,
        today,
        department_ids=year_access.deadline_department_ids(request.user, found),
        office_steps=year_access.sees_office_steps(request.user),
    )
    context = {
        "year": found,
        "today": today,
        "steps": steps,
        "may_edit": year_access.may_set_deadlines(request.user),
    }
    return render(request, "years/deadlines.html", context)
