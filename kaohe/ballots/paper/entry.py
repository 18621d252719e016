"""Reading the keyboard entry of a paper form: one key per department, 1–N a grade, 0 abstain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from kaohe.ballots.models import Round

KEY_PREFIX = "k:"
ABSTAIN_KEY = "0"
ENVELOPE = frozenset({"csrfmiddlewaretoken", "code", "discard"})


@dataclass
class KeyedForm:
    """A form as typed: its code, every department's key, the grades they mean, what is wrong."""

    code: str = ""
    keys: dict[str, str] = field(default_factory=dict)  # department → the key typed
    grades: dict[str, str] = field(default_factory=dict)  # department → grade, abstentions out
    problems: list[str] = field(default_factory=list)


def grade_keys(round: Round) -> dict[str, str]:
    """The key of each grade of the round's scale, in scale order from 1; 0 is abstain."""
    return {str(i + 1): g["code"] for i, g in enumerate(round.grades)}


def keys_of(round: Round, grades: dict[str, str]) -> dict[str, str]:
    """The keys that stand for stored grades (to show an entry again), abstentions as 0."""
    by_grade = {g: k for k, g in grade_keys(round).items()}
    return {
        d["code"]: by_grade.get(grades.get(d["code"], ""), ABSTAIN_KEY) for d in round.departments
    }


def parse_keyed(round: Round, data: QueryDict, *, code_known: bool = False) -> KeyedForm:
    """Read a posted entry: exactly one key per department of the round, nothing else.

    `code_known`: the code was read from the scan's QR code, so none need be typed."""
    form = KeyedForm(code=data.get("code", "").strip()[:80])
    departments = [d["code"] for d in round.departments]
    allowed = ENVELOPE | {KEY_PREFIX + d for d in departments}
    if set(data.keys()) - allowed or any(len(data.getlist(k)) > 1 for k in data):
        form.problems.append(_("The entry contains fields that do not belong to it."))
        return form
    if not form.code and not code_known:
        form.problems.append(_("Type the code printed under the QR code."))
    keys = grade_keys(round)
    missing = []
    for code in departments:
        key = data.get(KEY_PREFIX + code, "").strip()
        form.keys[code] = key
        if key == ABSTAIN_KEY:
            continue
        if key in keys:
            form.grades[code] = keys[key]
        else:
            missing.append(code)
    if missing:
        names = "、".join(d["name"] for d in round.departments if d["code"] in missing)
        form.problems.append(
            _("Type a key for every department (%(keys)s, or 0 to abstain): %(names)s.")
            % {"keys": f"1–{len(keys)}", "names": names}
        )
    return form


def entry_rows(
    round: Round, keys: dict[str, str], **columns: dict[str, str]
) -> list[dict[str, Any]]:
    """The rows of the entry page: each department, its typed key, and other entries to compare."""
    names = {g["code"]: g["name"] for g in round.grades}
    names_by_key = {k: names[g] for k, g in grade_keys(round).items()}
    rows = []
    for d in round.departments:
        row: dict[str, Any] = {"code": d["code"], "name": d["name"], "key": keys.get(d["code"], "")}
        for label, column in columns.items():
            key = keys_of(round, column)[d["code"]]
            row[label] = names_by_key.get(key, _("Abstain"))
        rows.append(row)
    return rows
