"""The audit trail in words: the names of the fields its rows keep, and their coded values.

One vocabulary for the audit page and an entry's history (kaohe.ledger.selectors). A coded
value (a status, a veto reason, a role) is shown by the label of its TextChoices (kaohe.constants).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.diff import plain_text
from kaohe.constants import (
    DecisionMethod,
    DepartmentType,
    EntryStatus,
    Flag,
    Honor,
    Kind,
    ObjectionStatus,
    Period,
    RoleKind,
    VetoReason,
)

FIELD_LABELS = {
    "department": gettext_lazy("Department"),
    "rule": gettext_lazy("Rule"),
    "office": gettext_lazy("Recording office"),
    "period": gettext_lazy("Period"),
    "count": gettext_lazy("Count"),
    "amount": gettext_lazy("Decided amount per case"),
    "actual": gettext_lazy("Actual count submitted"),
    "modifier": gettext_lazy("Modifier"),
    "same_work": gettext_lazy("Same-work key"),
    "description": gettext_lazy("Description"),
    "persons": gettext_lazy("Persons involved"),
    "status": gettext_lazy("Status"),
    "reason": gettext_lazy("Reason"),
    "decision_method": gettext_lazy("Decided by"),
    "decision_meeting": gettext_lazy("Meeting"),
    "decision_votes": gettext_lazy("Secret ballot"),
    "members": gettext_lazy("Members"),
    "voted": gettext_lazy("Voted"),
    "abstained": gettext_lazy("Abstained"),
    "distribution": gettext_lazy("Amounts cast"),
    "step": gettext_lazy("Step"),
    "file": gettext_lazy("File"),
    "resolution": gettext_lazy("Decision"),
    "entry": gettext_lazy("record"),
    "name": gettext_lazy("name"),
    "type": gettext_lazy("type"),
    "parent": gettext_lazy("parent unit"),
    "active_from": gettext_lazy("active from year"),
    "active_to": gettext_lazy("active until year"),
    "supervising_leader": gettext_lazy("supervising leader"),
    "head": gettext_lazy("head"),
    "code": gettext_lazy("code"),
    "active": gettext_lazy("in post"),
    "scheme": gettext_lazy("scheme"),
    "scheme_id": gettext_lazy("scheme id"),
    "source": gettext_lazy("copied from"),
    "departments": gettext_lazy("departments"),
    "entries": gettext_lazy("records"),
    "ballots": gettext_lazy("ballots"),
    "rounds": gettext_lazy("evaluation rounds"),
    "adjustments": gettext_lazy("the party group's adjustments"),
    "vetoes": gettext_lazy("vetoes"),
    "withheld": gettext_lazy("groups left out (too few ballots)"),
    "version": gettext_lazy("version"),
    "problem": gettext_lazy("problem"),
    "stored": gettext_lazy("stored"),
    "found": gettext_lazy("what was found"),
    "text": gettext_lazy("what was found"),
    "user": gettext_lazy("user"),
    "username": gettext_lazy("login name"),
    "full_name": gettext_lazy("full name"),
    "enabled": gettext_lazy("account enabled"),
    "must_change_password": gettext_lazy("must change the password"),
    "superuser": gettext_lazy("superuser"),
    "kind": gettext_lazy("role"),
    "ref": gettext_lazy("Reference"),
    "meeting": gettext_lazy("Meeting"),
    "facts": gettext_lazy("Facts"),
    "files": gettext_lazy("Files"),
    "digest": gettext_lazy("Digest"),
    "sha256": gettext_lazy("Digest"),
    "size": gettext_lazy("Size in bytes"),
    "previous_rank": gettext_lazy("Last year's rank"),
    "ties": gettext_lazy("Tied groups decided"),
    "decisions": gettext_lazy("The party group's decisions"),
    "seal": gettext_lazy("Seal"),
    "honor": gettext_lazy("Honor"),
    "recommended": gettext_lazy("Recommended"),
    "submitted": gettext_lazy("Submitted"),
    "title": gettext_lazy("Title"),
    "groups": gettext_lazy("Voter groups"),
    "numbers": gettext_lazy("Slip numbers"),
    "request": gettext_lazy("Requested"),
    "refused": gettext_lazy("Refused"),
    "rows": gettext_lazy("Rows"),
    "notice_number": gettext_lazy("Notice number"),
    "publicity_start": gettext_lazy("Publicity from"),
    "publicity_end": gettext_lazy("Publicity until"),
    "lines": gettext_lazy("Lines"),
    "document": gettext_lazy("Scheme document"),
    # annual targets and their reports (kaohe.targets)
    "number": gettext_lazy("Target number"),
    "content": gettext_lazy("Target content"),
    "measure": gettext_lazy("Measure of completion"),
    "due": gettext_lazy("Due by"),
    "origin": gettext_lazy("Source of the target"),
    "in_supervision": gettext_lazy("In the supervision system"),
    "responsible": gettext_lazy("Responsible person"),
    "revision": gettext_lazy("Revision"),
    "comment": gettext_lazy("Review comments"),
    "target": gettext_lazy("Target number"),
    "done": gettext_lazy("What was done"),
    "periods": gettext_lazy("Reporting periods"),
    "reports": gettext_lazy("Online reports"),
    "asof": gettext_lazy("As of"),
    "state": gettext_lazy("Handling state"),
    # the security policy (kaohe.accounts.policy)
    "lockout_failures": gettext_lazy("Failures before a login name is locked out"),
    "lockout_address_failures": gettext_lazy("Failures before an address is locked out"),
    "lockout_minutes": gettext_lazy("Lockout (minutes)"),
    "password_min_length": gettext_lazy("Minimum password length"),
    "password_classes": gettext_lazy("Character classes required"),
    "password_max_age_days": gettext_lazy("Maximum password age (days)"),
    "password_history": gettext_lazy("Earlier passwords not reused"),
    "session_idle_minutes": gettext_lazy("Idle timeout (minutes)"),
    "session_max_hours": gettext_lazy("Session lifetime (hours)"),
    "second_factor_roles": gettext_lazy("Roles that must use a second factor"),
}
# The choices a field's coded values come from; a value none of them has is shown as it is.
VALUE_CHOICES: dict[str, tuple[type[models.TextChoices], ...]] = {
    "status": (EntryStatus, ObjectionStatus),
    "period": (Period,),
    "decision_method": (DecisionMethod,),
    "reason": (VetoReason,),
    "kind": (RoleKind, Kind),
    "second_factor_roles": (RoleKind,),
    "type": (DepartmentType,),
    "honor": (Honor,),
    "honors": (Honor,),
    "flags": (Flag,),
}
INDEXED = re.compile(r"^(?P<name>.*?)\[(?P<index>\d+)\]$")


def field_label(path: str) -> str:
    """A diff path in words, segment by segment (`decisions.ties.advanced`: 党组研究决定 · 已决定的
    并列组 · 先进处室); an index counts from 1 (`groups[0].name`: 投票人类别 1 · 名称)."""
    words = []
    for segment in path.split("."):
        found = INDEXED.match(segment)
        name = found.group("name") if found else segment
        word = str(FIELD_LABELS.get(name) or coded("honor", name))
        words.append(f"{word} {int(found.group('index')) + 1}" if found else word)
    return " · ".join(words)


def coded(name: str, value: str) -> str:
    """A coded value by the label of its field's choices; any other value as it is."""
    for choices in VALUE_CHOICES.get(name, ()):
        if value in choices.values:
            return str(choices(value).label)
    return value


def value_text(name: str, value: Any) -> str:
    """A kept value in words: coded values by their labels, yes or no, lists joined (、)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return coded(name, value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(coded(name, v) for v in value)
    return plain_text(name, value)
