"""The individual report (seed §六.3): the persons named on person-time entries, their entries
and the points attributed to them; as a page and as a workbook."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import ledger as ledger_access
from kaohe.access import years as year_access
from kaohe.core.downloads import XLSX, download
from kaohe.ledger import excel
from kaohe.ledger.persons import PersonLine, individual_report

PLACES = Decimal("1e-12")  # a share with no finite decimal form, written to 12 places


def _person(request: HttpRequest) -> int | None:
    """The person asked for (?person=), or None for everyone."""
    text = request.GET.get("person", "")
    return int(text) if text.isdigit() and len(text) < 12 else None


@login_required
@require_GET
def persons(request: HttpRequest, year: int) -> HttpResponse:
    """The individual report: for the persons the user may see, entries, department, points."""
    found = year_access.year_for_user(request.user, year)
    departments = ledger_access.individual_report_departments(request.user, found)
    chosen = _person(request)
    context = {
        "year": found,
        "lines": individual_report(found, departments, chosen),
        "everyone": individual_report(found, departments) if chosen else None,
        "chosen": chosen,
    }
    return render(request, "ledger/persons.html", context)


def _exact(value: Fraction) -> Decimal:
    """An exact value as the workbook holds it (12 places where it has no finite form)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PLACES, rounding=ROUND_HALF_UP
    )


def _rows(year: int, lines: list[PersonLine]) -> list[list[object]]:
    rows: list[list[object]] = []
    for line in lines:
        p = line.person
        for e in line.entries:
            rows.append(
                [
                    p.name,
                    p.department.name,
                    year,
                    e.entry.ref,
                    f"{e.entry.item}、{e.rule_title}",
                    e.entry.department.name,
                    e.times,
                    e.total_times,
                    _exact(e.amount),
                    _exact(e.share),
                ]
            )
        rows.append(
            [
                p.name,
                p.department.name,
                year,
                _("Person's total"),
                "",
                "",
                line.times,
                "",
                "",
                _exact(line.total),
            ]
        )
    return rows


@login_required
@require_GET
def persons_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The individual report as a workbook: one row per person and entry, and each one's total."""
    found = year_access.year_for_user(request.user, year)
    departments = ledger_access.individual_report_departments(request.user, found)
    lines = individual_report(found, departments, _person(request))
    columns = [
        (_("Name"), 12),
        (_("Department"), 16),
        (_("Year"), 8),
        (_("Reference"), 14),
        (_("Assessment item"), 30),
        (_("Department of the entry"), 16),
        (_("Times"), 8),
        (_("Times of the entry"), 10),
        (_("Amount of the entry"), 12),
        (_("Points attributed"), 12),
    ]
    content = excel.table_xlsx(_("Individual report"), columns, _rows(found.year, lines))
    name = _("Individual report %(year)s.xlsx") % {"year": found.year}
    return download(content, XLSX, name, private=True)
