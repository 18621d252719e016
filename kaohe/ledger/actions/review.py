"""The review queue's several entries at once: each confirmed or returned by its own action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from kaohe.ledger.actions.entries import entry_confirm, entry_return
from kaohe.ledger.models import Entry

CONFIRM, RETURN = "confirm", "return"
DECISIONS = (CONFIRM, RETURN)
MAX_AT_ONCE = 200  # entries in one request: the queue's page never shows more at a time


@dataclass(frozen=True)
class ReviewOutcome:
    """What became of one entry of a selection: done, or why not (in Chinese)."""

    ref: str
    done: bool
    reason: str = ""


def entries_review(
    *, by: Any, entries: Sequence[Entry], decision: str, reason: str = ""
) -> list[ReviewOutcome]:
    """Confirm or return each entry through `entry_confirm` / `entry_return`, each atomic on its
    own locked row (with its audit row): one refused entry does not stop the others, and each
    outcome says what happened. Returning needs the one reason given for the selection."""
    if decision not in DECISIONS:
        raise ValidationError(_("Choose whether to confirm or return the entries."))
    if decision == RETURN and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for returning the entry.")]})
    if not entries:
        raise ValidationError(_("Select at least one entry."))
    if len(entries) > MAX_AT_ONCE:
        raise ValidationError(_("At most %(n)s entries at a time.") % {"n": MAX_AT_ONCE})
    outcomes = []
    for entry in entries:
        try:
            if decision == CONFIRM:
                entry_confirm(by=by, entry=entry)
            else:
                entry_return(by=by, entry=entry, reason=reason)
        except ValidationError as refused:
            outcomes.append(ReviewOutcome(entry.ref, False, " ".join(refused.messages)))
        except PermissionDenied:
            outcomes.append(ReviewOutcome(entry.ref, False, _("You may not review this entry.")))
        else:
            outcomes.append(ReviewOutcome(entry.ref, True))
    return outcomes
