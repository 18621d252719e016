"""Lists of entries: the ledger, the review queue, and the ledger as an Excel file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import ledger as ledger_access
from kaohe.access import years as year_access
from kaohe.core.downloads import XLSX, download
from kaohe.core.paging import page_of
from kaohe.ledger import excel, selectors
from kaohe.ledger.forms import FilterForm
from kaohe.ledger.models import Entry
from kaohe.years.models import Year

PAGE_SIZE = 50


def _visible(request: HttpRequest, year: int) -> tuple[Year, FilterForm, QuerySet[Entry]]:
    """The year, the list's filters and the entries the user may see that pass them."""
    y = year_access.year_for_user(request.user, year)
    visible = ledger_access.visible_entries(request.user, y)
    form = FilterForm(request.GET, year=y, entries=visible)
    return y, form, selectors.listed(visible, form.filters())


@login_required
@require_GET
def entries(request: HttpRequest, year: int) -> HttpResponse:
    """The entries the user may see, filtered and paginated, amounts computed by the engine."""
    y, form, visible = _visible(request, year)
    page, query = page_of(request, visible, PAGE_SIZE)
    context = {
        "year": y,
        "form": form,
        "page": page,
        "rows": selectors.entry_rows(y, page.object_list),
        "query": query,
        "may_record": bool(ledger_access.record_offices(request.user, y)),
        "pending_unseen": ledger_access.pending_unseen(request.user, y),
    }
    return render(request, "ledger/entries.html", context)


@login_required
@require_GET
def review(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office's queue: entries to confirm, ranges to decide, open objections."""
    y = year_access.year_for_user(request.user, year)
    ledger_access.require_review_queue(request.user)
    form = FilterForm(request.GET, year=y, statuses=False)
    queue = selectors.review_queue(y, form.filters())
    context = {"year": y, "form": form, "queue": queue, "here": request.get_full_path()}
    return render(request, "ledger/review.html", context)


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The visible entries, with the list's filters, as an Excel file."""
    y, _form, visible = _visible(request, year)
    rows = selectors.entry_rows(y, selectors.export_entries(visible))
    table = [selectors.export_row(y, row) for row in rows]
    content = excel.table_xlsx(_("Ledger"), selectors.EXPORT_COLUMNS, table)
    return download(content, XLSX, _("Ledger %(year)s.xlsx") % {"year": y.year})
