"""Lists of entries: the ledger, the review queue, and the ledger as an Excel file."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaohe.access import ledger as ledger_access
from kaohe.access import years as year_access
from kaohe.core.downloads import XLSX, download
from kaohe.core.paging import page_of
from kaohe.ledger import actions, excel, selectors
from kaohe.ledger.forms import FilterForm
from kaohe.ledger.models import Entry
from kaohe.ledger.views.common import as_int
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
    rows = selectors.entry_rows(y, page.object_list)
    context = {
        "year": y,
        "form": form,
        "page": page,
        "rows": _with_urls(rows),
        "query": query,
        "may_record": bool(ledger_access.record_offices(request.user, y)),
        "pending_unseen": ledger_access.pending_unseen(request.user, y),
    }
    return render(request, "ledger/entries.html", context)


# A number no entry's URL has otherwise: replaced by each entry's own in one reverse()'s result.
_MARKER = 987654321


def _with_urls(rows: list[selectors.EntryRow]) -> list[selectors.EntryRow]:
    """The rows with their entries' pages, from one reverse() for the whole page of rows
    (one per row took a tenth of the list's time)."""
    pattern = reverse("ledger:entry_detail", args=[_MARKER])
    head, marker, tail = pattern.rpartition(str(_MARKER))
    assert marker, pattern
    return [replace(row, url=f"{head}{row.entry.pk}{tail}") for row in rows]


@login_required
@require_GET
def review(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office's queue: entries to confirm, ranges to decide, open objections."""
    y = year_access.year_for_user(request.user, year)
    ledger_access.require_review_queue(request.user)
    form = FilterForm(request.GET, year=y, statuses=False)
    queue = selectors.review_queue(y, form.filters())
    context = {"year": y, "form": form, "queue": queue, "query": request.GET.urlencode()}
    return render(request, "ledger/review.html", context)


@login_required
@require_POST
def review_bulk(request: HttpRequest, year: int) -> HttpResponse:
    """Confirm or return the entries selected in the queue (or one row's button), each by its
    own action; with htmx the queue is answered as a fragment, in place, with every outcome."""
    y = year_access.year_for_user(request.user, year)
    ledger_access.require_review_queue(request.user)
    decision, pks, reason = _selection(request)
    chosen = ledger_access.review_entries_for_user(request.user, y, pks)
    outcomes: list[actions.ReviewOutcome] = []
    problem = ""
    try:
        outcomes = actions.entries_review(
            by=request.user, entries=chosen, decision=decision, reason=reason
        )
    except ValidationError as error:
        problem = " ".join(error.messages)
    missing = len(set(pks)) - len(chosen)
    if not request.htmx:  # type: ignore[attr-defined]
        for text in outcome_lines(decision, outcomes, problem, missing):
            messages.info(request, text)
        query = request.GET.urlencode()
        return redirect(reverse("ledger:review", args=[y.year]) + (f"?{query}" if query else ""))
    form = FilterForm(request.GET, year=y, statuses=False)
    context = {
        "year": y,
        "queue": selectors.review_queue(y, form.filters()),
        "query": request.GET.urlencode(),
        "outcome_lines": outcome_lines(decision, outcomes, problem, missing),
        "refused": [o for o in outcomes if not o.done],
        "problem": problem,
    }
    return render(request, "ledger/_review_queue.html", context)


def _selection(request: HttpRequest) -> tuple[str, list[int], str]:
    """The decision, the entries and the reason: a row's own button ("confirm:12", with that
    row's reason), else the ticked entries with the selection's decision and reason."""
    one = request.POST.get("one", "")
    if ":" in one:
        decision, _sep, pk = one.partition(":")
        number = as_int(pk)
        reason = request.POST.get(f"reason-{pk}", "")
        return decision, [number] if number is not None else [], reason
    pks = [n for n in (as_int(v) for v in request.POST.getlist("entries")) if n is not None]
    return (
        request.POST.get("decision", ""),
        pks[: actions.MAX_AT_ONCE + 1],
        request.POST.get("reason", ""),
    )


def outcome_lines(
    decision: str, outcomes: list[actions.ReviewOutcome], problem: str, missing: int
) -> list[str]:
    """What became of a selection, a line each: how many were done, then each refused entry
    with its reason."""
    lines = [problem] if problem else []
    done = sum(o.done for o in outcomes)
    refused = len(outcomes) - done
    if outcomes:
        summary = (
            _("Confirmed: %(done)s; not done: %(refused)s.")
            if decision == actions.CONFIRM
            else _("Returned: %(done)s; not done: %(refused)s.")
        )
        lines.append(summary % {"done": done, "refused": refused})
    lines += [f"{o.ref}：{o.reason}" for o in outcomes if not o.done]
    if missing:
        lines.append(_("%(n)s selected entries are no longer in the queue.") % {"n": missing})
    return lines


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The visible entries, with the list's filters, as an Excel file."""
    y, _form, visible = _visible(request, year)
    rows = selectors.entry_rows(y, selectors.export_entries(visible))
    table = [selectors.export_row(y, row) for row in rows]
    content = excel.table_xlsx(_("Ledger"), selectors.EXPORT_COLUMNS, table)
    return download(content, XLSX, _("Ledger %(year)s.xlsx") % {"year": y.year})
