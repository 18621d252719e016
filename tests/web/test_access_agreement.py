"""The button and the action agree: for every persona and entry state, shown <=> allowed.

The entry page draws its buttons from `can` (kaohe/ledger/views/entry.py `_permissions`, the
predicates of kaohe/access/ledger.py); each action checks the same predicate. Every step is tried
for real inside a savepoint that is rolled back, so one entry serves every persona.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

import kaohe
from kaohe.access import ledger as ledger_access
from kaohe.accounts.models import RoleKind
from kaohe.ledger import actions
from kaohe.ledger.models import Entry, EntryStatus, Objection, ObjectionStatus
from kaohe.ledger.views.entry import _permissions
from tests.web.conftest import World
from tests.web.factories import RoleFactory, add_entry
from tests.web.test_access_matrix import LOGGED_IN

pytestmark = pytest.mark.django_db

# Every role of the access matrix, and JS's head who also sits in the assessment office.
PERSONAS = (*sorted(LOGGED_IN), "head_and_office")
STATES = (
    EntryStatus.DRAFT,
    EntryStatus.SUBMITTED,
    EntryStatus.CONFIRMED,
    EntryStatus.RETURNED,
    EntryStatus.VOIDED,
)
RULES = ("1.report_missed", "1.target_unmet")  # a fixed amount per item, and a range

STEPS: dict[str, Callable[[Any, Entry], object]] = {
    "submit": lambda by, e: actions.entry_submit(by=by, entry=e),
    "confirm": lambda by, e: actions.entry_confirm(by=by, entry=e),
    "return": lambda by, e: actions.entry_return(by=by, entry=e, reason="证据不足"),
    "decide": lambda by, e: actions.entry_decide(
        by=by, entry=e, amount=Decimal("2"), method="collective", meeting="考核办第3次会议"
    ),
    "void": lambda by, e: actions.entry_void(by=by, entry=e, reason="重复记录"),
    "object": lambda by, e: actions.objection_raise(by=by, entry=e, reason="已按时报送"),
}


def persona(world: World, name: str) -> Any:
    if name == "head_and_office":
        user = world.head_js
        RoleFactory(user=user, kind=RoleKind.ASSESSMENT_OFFICE)
        return type(user).objects.get(pk=user.pk)  # fresh: roles are cached per user object
    return getattr(world, name)


def allowed(act: Callable[..., object], *args: Any) -> bool:
    """Whether the action goes through; whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            act(*args)
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError):
        return False
    return True


@pytest.mark.parametrize("name", PERSONAS)
def test_each_entry_button_is_shown_exactly_when_its_action_is_allowed(
    world: World, name: str
) -> None:
    user = persona(world, name)
    disagreements = []
    for rule_id in RULES:
        for status in STATES:
            entry = add_entry(world.year, world.js, rule_id, status=status, office="ZH")
            shown = _permissions(user, Entry.objects.get(pk=entry.pk))
            for step, act in STEPS.items():
                done = allowed(act, user, Entry.objects.get(pk=entry.pk))
                if shown[step] != done:
                    disagreements.append((rule_id, status, step, shown[step], done))
    assert disagreements == []


def reject(by: Any, objection: Objection) -> object:
    return actions.objection_resolve(
        by=by, objection=objection, uphold=False, resolution="经核实无误"
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_the_resolve_form_is_shown_exactly_when_resolving_is_allowed(
    world: World, name: str
) -> None:
    user = persona(world, name)
    entry = add_entry(world.year, world.js, "1.report_missed", status="confirmed", office="ZH")
    for status in (ObjectionStatus.OPEN, ObjectionStatus.REJECTED):
        objection = Objection.objects.create(
            entry=entry, raised_by=world.liaison_js, reason="有异议", status=status
        )
        shown = ledger_access.may_resolve_objection(user, objection)
        done = allowed(reject, user, objection)
        assert (status, shown) == (status, done)
        objection.delete()


ROLE_WORDS = re.compile(r"\b(is_office|reads_all|nav_is_office|nav_reads_all|nav_clerk|has_role)\b")


def test_templates_ask_capabilities_not_roles() -> None:
    # Pages branch on `may` (kaohe/assessment/context.py) or on their view's predicates.
    templates = Path(kaohe.__file__).parent.glob("**/templates/**/*.html")
    found = [f"{t.name}: {m}" for t in templates for m in ROLE_WORDS.findall(t.read_text())]
    assert found == []
