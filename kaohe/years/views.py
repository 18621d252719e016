"""The years app's pages: the list of years, a year's hub and scheme, the scheme library, a
department's self-assessment form.

Each view parses, checks access (kaohe.access) first, calls an action or a read, renders.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import years as year_access
from kaohe.core.forms import attempt
from kaohe.core.numbers import to_decimal
from kaohe.engine import builtin_scheme, builtin_scheme_ids
from kaohe.years import actions, pages, schemediff, schemeform
from kaohe.years.deadlines import year_deadlines
from kaohe.years.forms import DeadlinesForm, SchemeCopyForm, SchemeEditForm
from kaohe.years.models import SchemeDocument, SelfAssessment, Year
from kaohe.years.self_assessment import parse_score, subtotals


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    """The assessment office's list of years."""
    year_access.require_year_management(request.user)
    years = Year.objects.defer("scheme_document")  # numbers and dates: no scheme decoded
    return render(request, "years/list.html", {"years": years})


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """A year's hub: its scheme, and the departments the user may open."""
    found = year_access.year_hub_for_user(request.user, year)
    context = {
        "year": found,
        "assessed": year_access.pages_of_departments(request.user, found),
    }
    return render(request, "years/detail.html", context)


@login_required
def year_scheme(request: HttpRequest, year: int) -> HttpResponse:
    """The year's frozen scheme, readable: categories, items, rules, evaluation, honors, vetoes;
    and what changed from the previous year's (or another chosen) scheme."""
    found = year_access.year_hub_for_user(request.user, year)
    with_library = year_access.may_manage_years(request.user)
    compared = schemediff.comparison(found, request.GET.get("compare"), with_library=with_library)
    context = {"year": found, "page": pages.scheme_page(found.scheme), "compared": compared}
    return render(request, "years/scheme.html", context)


# --- the scheme library --------------------------------------------------------------------


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    """The scheme library: the built-in schemes and the office's edited copies."""
    year_access.require_year_management(request.user)
    builtins = [builtin_scheme(i) for i in builtin_scheme_ids()]
    library = SchemeDocument.objects.exclude(scheme_id__in=builtin_scheme_ids()).select_related(
        "created_by"
    )
    return render(request, "years/schemes.html", {"builtins": builtins, "library": library})


@login_required
def scheme_copy(request: HttpRequest) -> HttpResponse:
    """Copy a scheme into the library under a new id, to be edited."""
    year_access.require_year_management(request.user)
    form = SchemeCopyForm(request.POST or None, initial={"source": request.GET.get("source")})
    if request.method == "POST":
        created = attempt(
            form,
            lambda: actions.scheme_copy(
                by=request.user,
                source=form.cleaned_data["source"],
                new_id=form.cleaned_data["new_id"],
                name=form.cleaned_data["name"],
            ),
        )
        if created is not None:
            messages.success(request, _("Scheme %(id)s created.") % {"id": created.scheme_id})
            return redirect("years:scheme_form", scheme_id=created.scheme_id)
    return render(request, "years/scheme_copy.html", {"form": form})


@login_required
def scheme_edit(request: HttpRequest, scheme_id: str) -> HttpResponse:
    """Edit a library scheme's JSON; the engine checks it and nothing is saved on error."""
    document = year_access.scheme_document_for_user(request.user, scheme_id)
    builtin = not year_access.may_edit_scheme(request.user, document)
    text = json.dumps(document.document, ensure_ascii=False, indent=1)
    form = SchemeEditForm(request.POST or None, initial={"document": text}, scheme_id=scheme_id)
    if request.method == "POST":
        done = attempt(
            form,
            lambda: actions.scheme_update(
                by=request.user, scheme=document, document=form.cleaned_data["document"]
            ),
        )
        if done is not None:
            messages.success(request, _("Scheme %(id)s saved.") % {"id": scheme_id})
            return redirect("years:scheme_edit", scheme_id=scheme_id)
    context = {"scheme": document, "form": form, "builtin": builtin}
    return render(request, "years/scheme_edit.html", context)


@login_required
def scheme_form(request: HttpRequest, scheme_id: str) -> HttpResponse:
    """Edit a library scheme through a form, field by field; the engine checks the whole
    document, each problem is shown beside its field, and nothing is saved on error."""
    document = year_access.scheme_document_for_user(request.user, scheme_id)
    may_save = year_access.may_edit_scheme(request.user, document)
    if request.method == "POST" and not may_save:
        raise PermissionDenied
    page = schemeform.editor_page(document.document, request.POST or None)
    if page.valid is not None:
        try:
            actions.scheme_update(by=request.user, scheme=document, document=page.valid)
        except ValidationError as exc:
            page.top = exc.messages
        else:
            messages.success(request, _("Scheme %(id)s saved.") % {"id": scheme_id})
            return redirect("years:scheme_form", scheme_id=scheme_id)
    context = {"scheme": document, "page": page, "may_save": may_save and not page.broken}
    return render(request, "years/scheme_form.html", context)


# --- the self-assessment form ---------------------------------------------------------------


def _self_assessment_rows(
    found: Year, values: dict[str, tuple[str, str]], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The form's rows as the 自评表 lays them out: category, item, self score, note; after each
    category its subtotal (as the server adds what is shown), the script updating it live."""
    lines = {
        n: {"score": v[0].strip() if parse_score(v[0].strip()) else ""} for n, v in values.items()
    }
    sums = {sub.category.code: sub for sub in subtotals(found.scheme, lines)}
    rows: list[dict[str, Any]] = []
    for category in found.scheme.categories:
        for i, item in enumerate(category.items):
            score, note = values.get(str(item.number), ("", ""))
            rows.append(
                {
                    "category": category if i == 0 else None,
                    "code": category.code,
                    "span": len(category.items) + 1,
                    "item": item,
                    "score": score,
                    "note": note,
                    "errors": errors.get(f"score_{item.number}", []),
                }
            )
        rows.append(
            {
                "subtotal": sums[category.code],
                "errors": errors.get(f"category_{category.code}", []),
            }
        )
    return rows


def _self_assessment_values(request: HttpRequest, found: Year) -> dict[str, tuple[str, str]]:
    """The scores and notes as posted, by item number."""
    post = request.POST
    return {
        str(n): (post.get(f"score_{n}", ""), post.get(f"note_{n}", "")) for n in found.scheme.items
    }


def _posted_date(text: str) -> date | None:
    """A date as the date field posts it (2017-01-08); None if it is not one."""
    try:
        return date.fromisoformat(text.strip()) if len(text) <= 10 else None
    except ValueError:
        return None


@login_required
def year_self_assessment(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A department's self-assessment form (考核自评表): its head or liaison submits it; every
    submission is kept as a revision, the latest the current one."""
    found = year_access.year_for_user(request.user, year)
    write = request.method == "POST"
    department = year_access.self_assessment_department(request.user, found, code, write=write)
    form = SelfAssessment.objects.filter(year=found, department=department).first()
    revisions = list(form.revisions.select_related("submitted_by")) if form else []
    current = revisions[0] if revisions else None
    lines = current.lines if current else {}
    values = {n: (line.get("score", ""), line.get("note", "")) for n, line in lines.items()}
    header = {
        "filled_on": str(current.filled_on or "") if current else str(timezone.localdate()),
        "head_name": current.head_name if current else "",
    }
    errors: dict[str, list[str]] = {}
    if write:
        values = _self_assessment_values(request, found)
        header = {k: request.POST.get(k, "")[:100] for k in ("filled_on", "head_name")}
        try:
            actions.self_assessment_submit(
                by=request.user,
                year=found,
                department=department,
                raw=values,
                filled_on=_posted_date(header["filled_on"]),
                head_name=header["head_name"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The self-assessment form was submitted."))
            return redirect("years:self_assessment", year, code)
    rows = _self_assessment_rows(found, values, errors)
    context = {
        "year": found,
        "department": department,
        "current": current,
        "revisions": revisions,
        "header": header,
        "errors": errors,
        "rows": rows,
        "total": sum((r["subtotal"].total for r in rows if "subtotal" in r), Decimal(0)),
        "points": to_decimal(sum((c.points for c in found.scheme.categories), Fraction(0))),
        "may_fill": year_access.may_fill_self_assessment(request.user, department),
        "deadline_year": found.year + 1,
    }
    return render(request, "years/self_assessment.html", context)


@login_required
def year_deadlines_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office sets the year's deadlines, step by step."""
    if not year_access.may_set_deadlines(request.user):
        raise PermissionDenied
    found = year_access.year_for_user(request.user, year)
    form = DeadlinesForm(request.POST or None, deadlines=year_deadlines(found))
    if request.method == "POST":
        saved = attempt(
            form,
            lambda: actions.deadlines_set(by=request.user, year=found, dates=form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("The deadlines were saved."))
            return redirect("years:deadlines", year=found.year)
    return render(request, "years/deadlines_edit.html", {"year": found, "form": form})
