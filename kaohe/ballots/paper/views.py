"""The office's pages for paper forms: double entry by hand, and the third person's decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from kaohe.access import ballots as ballot_access
from kaohe.ballots import actions
from kaohe.ballots.actions import EntryOutcome
from kaohe.ballots.models import PaperEntry, PaperEntryStatus, PaperScan, Round
from kaohe.ballots.paper.entry import KeyedForm, entry_rows, grade_keys, keys_of, parse_keyed
from kaohe.ballots.paper.printing import round_layout
from kaohe.ballots.paper.reading import read_page
from kaohe.ballots.paper.uploads import scanned_pages
from kaohe.ballots.slips import round_title
from kaohe.core.limits import accepts_uploads


def _said(outcome: EntryOutcome) -> str:
    """What the clerk is told of an entry; never the other clerk's entry."""
    return {
        EntryOutcome.WAITING: _(
            "Entered. Another clerk must enter this form too before it counts."
        ),
        EntryOutcome.COUNTED: _("The ballot is counted."),
        EntryOutcome.DISPUTED: _(
            "The two entries of this form differ: put it with the forms a third person decides."
        ),
        EntryOutcome.ALREADY_SUBMITTED: _(
            "This code has already cast its ballot (on paper or by phone): this form does not count."
        ),
    }[outcome]


def _context(round: Round, form: KeyedForm | None, **extra: Any) -> dict[str, Any]:
    keys = form.keys if form is not None else {}
    return {
        "round": round,
        "title": round_title(round),
        "keys": [
            (k, next(g["name"] for g in round.grades if g["code"] == c))
            for k, c in grade_keys(round).items()
        ],
        "rows": entry_rows(round, keys, **extra.pop("columns", {})),
        "problems": form.problems if form is not None else [],
        "code": form.code if form is not None else "",  # kept on a refusal, to fix and resend
        **extra,
    }


def _attempt(request: HttpRequest, form: KeyedForm, write: Any) -> EntryOutcome | None:
    """Run the action unless the entry has problems; a refusal joins the problems."""
    if form.problems:
        return None
    try:
        outcome: EntryOutcome = write()
    except ValidationError as error:
        form.problems.extend(error.messages)
        return None
    return outcome


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one paper form by hand: its code, then one key per department."""
    found = ballot_access.paper_round_for_user(request.user, pk)
    form = None
    if request.method == "POST":
        form = parse_keyed(found, request.POST)
        outcome = _attempt(
            request,
            form,
            lambda: actions.paper_entry_record(
                by=request.user, round=found, code=form.code, grades=form.grades
            ),
        )
        if outcome is not None:
            messages.success(request, _said(outcome))
            return redirect("ballots:paper_entry", pk=found.pk)
    status = 400 if form is not None else 200
    return render(request, "ballots/paper_entry.html", _context(found, form), status=status)


@never_cache
@login_required
@require_GET
def paper_disputes(request: HttpRequest, pk: int) -> HttpResponse:
    """The forms whose two entries differ, for a third member of the office to decide."""
    found = ballot_access.paper_round_for_user(request.user, pk)
    entries = [
        {"entry": e, "may_decide": ballot_access.may_decide_paper(request.user, e)}
        for e in PaperEntry.objects.filter(round=found, status=PaperEntryStatus.DISPUTED)
        .select_related("round", "code__group")
        .order_by("code__number")
    ]
    waiting = PaperEntry.objects.filter(round=found, status=PaperEntryStatus.WAITING).count()
    context = {"round": found, "title": round_title(found), "entries": entries, "waiting": waiting}
    return render(request, "ballots/paper_disputes.html", context)


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def paper_decide(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    """Decide a disputed form: both entries shown, the code typed again from the form."""
    found = ballot_access.paper_round_for_user(request.user, pk)
    disputed = ballot_access.paper_entry_for_user(request.user, found, entry)
    first, second = keys_of(found, disputed.first), keys_of(found, disputed.second or {})
    agreed = {d: k for d, k in first.items() if second.get(d) == k}
    form = None
    if request.method == "POST":
        form = parse_keyed(found, request.POST)
        outcome = _attempt(
            request,
            form,
            lambda: actions.paper_entry_decide(
                by=request.user, entry=disputed, code=form.code, grades=form.grades
            ),
        )
        if outcome is not None:
            messages.success(request, _said(outcome))
            return redirect("ballots:paper_disputes", pk=found.pk)
    shown = form or KeyedForm(keys=agreed)
    columns = {"first": disputed.first, "second": disputed.second or {}}
    context = _context(found, shown, columns=columns, disputed=disputed)
    context["differs"] = {d for d in first if first[d] != second.get(d)}
    return render(
        request, "ballots/paper_decide.html", context, status=400 if form is not None else 200
    )


def _problem_words() -> dict[str, str]:
    """Why a scanned page was kept for a person, in words."""
    return {
        "no_markers": _("The four corner markers were not found."),
        "no_code": _("The QR code could not be read."),
        "unsure_box": _("A box is neither clearly ticked nor clearly empty."),
        "correction": _("A box is filled in or crossed out: perhaps a correction."),
        "double_mark": _("A row has two ticks."),
        "unknown_code": _("The code is not a valid code of this round."),
        "used_code": _("The code has already cast its ballot (on paper or by phone)."),
        "invalid": _("The marks break a rule of the ballot (e.g. too many excellent grades)."),
    }


@accepts_uploads
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def paper_scans(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload scanned forms (PDF or images); the pages a person must decide."""
    found = ballot_access.paper_round_for_user(request.user, pk)
    problems: list[str] = []
    if request.method == "POST":
        try:
            pages = scanned_pages(request.FILES.getlist("scans"))
            layout = round_layout(found)
            readings = [(read_page(page, layout), page) for page in pages]
            summary = actions.scans_record(by=request.user, round=found, readings=readings)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("%(pages)s pages read: %(counted)s counted, %(kept)s for a person to decide.")
                % {"pages": summary.pages, "counted": summary.counted, "kept": summary.to_review},
            )
            return redirect("ballots:paper_scans", pk=found.pk)
    words = _problem_words()
    kept = [
        {"scan": s, "why": [words.get(p, p) for p in s.reading.get("problems", [])]}
        for s in PaperScan.objects.filter(round=found).select_related("code").order_by("pk")
    ]
    context = {"round": found, "title": round_title(found), "kept": kept, "problems": problems}
    return render(request, "ballots/paper_scans.html", context, status=400 if problems else 200)


@never_cache
@login_required
@require_GET
def paper_scan_image(request: HttpRequest, pk: int, scan: int) -> HttpResponse:
    """The kept page's image (grey PNG), for the person who decides it."""
    found = ballot_access.paper_round_for_user(request.user, pk)
    kept = ballot_access.paper_scan_for_user(request.user, found, scan)
    response = HttpResponse(bytes(kept.image), content_type="image/png")
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def paper_scan(request: HttpRequest, pk: int, scan: int) -> HttpResponse:
    """Decide a kept page: its image beside the entry form, the doubtful rows left empty."""
    found = ballot_access.paper_round_for_user(request.user, pk)
    kept = ballot_access.paper_scan_for_user(request.user, found, scan)
    read = kept.reading.get("grades", {})
    doubtful = set(kept.reading.get("doubtful", []))
    form = None
    if request.method == "POST" and request.POST.get("discard") == "1":
        actions.scan_discard(by=request.user, scan=kept)
        messages.info(request, _("The page was set aside; it casts no ballot."))
        return redirect("ballots:paper_scans", pk=found.pk)
    if request.method == "POST":
        form = parse_keyed(found, request.POST, code_known=kept.code_id is not None)
        outcome = _attempt(
            request,
            form,
            lambda: (
                actions.scan_decide(by=request.user, scan=kept, code=form.code, grades=form.grades)
                or EntryOutcome.COUNTED
            ),
        )
        if outcome is not None:
            messages.success(request, _said(outcome))
            return redirect("ballots:paper_scans", pk=found.pk)
    keys = {d: k for d, k in keys_of(found, read).items() if d not in doubtful}
    if not kept.reading.get("read"):
        keys = {}  # no box was judged (no markers found): every row is typed
    shown = form or KeyedForm(keys=keys)
    words = _problem_words()
    context = _context(found, shown, scan=kept, doubtful=doubtful)
    context["why"] = [words.get(p, p) for p in kept.reading.get("problems", [])]
    return render(request, "ballots/paper_scan.html", context, status=400 if form else 200)
