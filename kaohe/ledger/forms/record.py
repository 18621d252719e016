"""The form that records or edits an entry (views/record.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.access import ledger as ledger_access
from kaohe.constants import Period
from kaohe.engine.limits import MAX_ACTUAL, MAX_COUNT
from kaohe.engine.scheme import HALF_YEARS, Rule
from kaohe.engine.schemetext import rule_amount_text
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.forms.fields import (
    EvidenceField,
    PersonTimesField,
    PersonTimesWidget,
    _blank,
    _choices,
)
from kaohe.ledger.models import Entry
from kaohe.ledger.selectors import assessed_departments, staff
from kaohe.ledger.validation import counts_persons, entry_problems, person_problems
from kaohe.org.models import Department, Person
from kaohe.years.models import Year

# The fields that depend on the rule, in the order the form shows them.
RULE_FIELDS = ("period", "count", "actual", "modifier", "same_work", "persons")
# Fields the actions name differently from the forms.
ACTION_FIELDS = {"rule_id": "rule"}


class EntryForm(forms.Form):
    """Record an entry, or (with `entry`) edit one; the rule decides which fields apply."""

    office = forms.ChoiceField(label=_("Recording office"))
    department = forms.ChoiceField(label=_("Department"))
    item = forms.ChoiceField(label=_("Item"), required=False)
    rule = forms.ChoiceField(label=_("Rule"))
    period = forms.ChoiceField(label=_("Period"))
    count = forms.IntegerField(label=_("Count"), required=False, min_value=1, max_value=MAX_COUNT)
    actual = forms.IntegerField(
        label=_("Actual count submitted"),
        required=False,
        min_value=0,
        max_value=MAX_ACTUAL,
        help_text=_("How many were submitted in the half-year; the shortfall is worked out."),
    )
    modifier = forms.ChoiceField(label=_("Modifier"), required=False)
    same_work = forms.CharField(
        label=_("Same-work key"),
        required=False,
        max_length=100,
        help_text=_(
            "Give several awards or reprints of one piece of work the same key: only the highest counts."
        ),
    )
    persons = PersonTimesField(
        label=_("Persons involved and times"),
        required=False,
        help_text=_("Give each person involved how many times; the count is their sum."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_files = EvidenceField()

    def __init__(self, *args: Any, user: Any, year: Year, entry: Entry | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.user, self.year, self.entry = user, year, entry
        self.offices = ledger_access.record_offices(user, year)
        self.departments = assessed_departments(year)
        self.staff: list[Person] = []
        if entry is None:
            self._choose_rule()
        else:
            for name in ("office", "department", "item", "rule"):
                del self.fields[name]
        self.rule_obj = self._rule()
        self.department_obj = self._department()
        self._fit_to_rule()
        if self.rule_obj is not None and "rule" in self.fields:
            self.fields["rule"].help_text = rule_amount_text(self.rule_obj)
        for name in ("count", "actual"):
            if name in self.fields:
                self.fields[name].widget.attrs["inputmode"] = "numeric"

    def current(self, name: str) -> str:
        """The field's value as given so far (posted data, else the initial values)."""
        source: Mapping[str, Any] = self.data if self.is_bound else self.initial
        value = source.get(name)
        return "" if value is None else str(value)

    def data_persons(self) -> dict[str, Any]:
        """The persons' times as given so far (posted data, else the initial values)."""
        if "persons" not in self.fields:
            return {}
        if self.is_bound:
            widget = self.fields["persons"].widget
            return dict(
                widget.value_from_datadict(self.data, self.files, self.add_prefix("persons"))
            )
        return dict(self.initial.get("persons") or {})

    def _choose_rule(self) -> None:
        scheme = self.year.scheme
        office = self.current("office") or (self.offices[0] if self.offices else "")
        _choices(self, "office", [(o, scheme.offices[o]) for o in self.offices])
        self.fields["office"].initial = office
        if len(self.offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()
        departments = [(d.code, f"{d.code} {d.name}") for d in self.departments]
        _choices(self, "department", _blank(_("Choose…")) + departments)
        rules = [
            r for r in ledger_access.recordable_rules(self.user, self.year) if office in r.offices
        ]
        items = sorted({r.item for r in rules})
        titles = {n: f"{n}、{scheme.items[n].title}" for n in items}
        _choices(self, "item", _blank(_("All items")) + [(str(n), titles[n]) for n in items])
        item = self.current("item")
        groups = [
            (titles[n], [(r.id, f"{r.name}({rule_amount_text(r)})") for r in rules if r.item == n])
            for n in items
            if not item or str(n) == item
        ]
        _choices(self, "rule", _blank(_("Choose…")) + groups)
        for name in ("office", "department", "item", "rule"):
            self.fields[name].widget.attrs["class"] = "js-refresh"

    def _rule(self) -> Rule | None:
        rule_id = self.entry.rule_id if self.entry else self.current("rule")
        return self.year.scheme.rules.get(rule_id)

    def _department(self) -> Department | None:
        if self.entry is not None:
            return self.entry.department
        code = self.current("department")
        return next((d for d in self.departments if d.code == code), None)

    def _fit_to_rule(self) -> None:
        """Only the fields the chosen rule takes (rules.md §3)."""
        rule = self.rule_obj
        half_yearly = rule is not None and rule.kind == RuleKind.SHORTFALL
        periods = [(p, label) for p, label in Period.choices if p in HALF_YEARS or not half_yearly]
        _choices(self, "period", _blank(_("Choose…")) + periods)
        del self.fields["count" if half_yearly else "actual"]
        if rule is not None and counts_persons(rule):
            del self.fields["count"]  # the sum of the persons' times
        if rule is None or not rule.modifiers:
            del self.fields["modifier"]
        else:
            modifiers = [(m.code, m.name) for m in rule.modifiers.values()]
            _choices(self, "modifier", _blank(_("None")) + modifiers)
        if rule is None or not rule.is_bonus:
            del self.fields["same_work"]
        if rule is None or not counts_persons(rule):
            del self.fields["persons"]
        else:
            self.staff = staff(self.department_obj)
            widget = self.fields["persons"].widget
            assert isinstance(widget, PersonTimesWidget)
            widget.staff = [(str(p.pk), p.name) for p in self.staff]
            if self.department_obj is None:
                self.fields["persons"].help_text = _("Choose the department to list its staff.")
            elif not self.staff:
                self.fields["persons"].help_text = _("The department has no staff on record.")

    def rule_fields(self) -> list[forms.BoundField]:
        """The fields the chosen rule takes, in order."""
        return [self[name] for name in RULE_FIELDS if name in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule, office = data.get("rule"), data.get("office")
        refused = (
            rule and office and not ledger_access.may_record(self.user, self.year, rule, office)
        )
        if self.entry is None and refused:
            self.add_error("rule", _("Your office does not record this rule."))
        if self.rule_obj is not None and counts_persons(self.rule_obj) and "persons" in data:
            times = list(self._chosen(data).values())
            data["count"] = sum(times) or None
            if self.department_obj is not None:
                for message in person_problems(self.rule_obj, data["count"], times).get(
                    "persons", []
                ):
                    self.add_error("persons", message)
        self._check_with_scheme(data)
        return data

    def _check_with_scheme(self, data: dict[str, Any]) -> None:
        """The action's own checks, run now so that every problem shows at once."""
        if self.rule_obj is None or self.department_obj is None:
            return
        problems = entry_problems(
            year=self.year,
            department=self.department_obj,
            rule_id=self.rule_obj.id,
            period=data.get("period") or "",
            count=data.get("count"),
            actual=data.get("actual"),
            modifier=data.get("modifier") or "",
            same_work=data.get("same_work") or "",
            exclude_pk=self.entry.pk if self.entry else None,
        )
        for field, messages in problems.items():
            name = ACTION_FIELDS.get(field, field)
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)

    def _chosen(self, data: dict[str, Any]) -> dict[str, int]:
        """The staff named and their times (names of other departments left out)."""
        staff_pks = {str(p.pk) for p in self.staff}
        return {pk: n for pk, n in (data.get("persons") or {}).items() if pk in staff_pks}

    def entry_fields(self) -> dict[str, Any]:
        """The cleaned values as the actions take them."""
        data = self.cleaned_data
        chosen = self._chosen(data)
        fields: dict[str, Any] = {
            "period": data["period"],
            "count": data.get("count"),
            "actual": data.get("actual"),
            "modifier": data.get("modifier") or "",
            "same_work": data.get("same_work") or "",
            "persons": [p for p in self.staff for _n in range(chosen.get(str(p.pk), 0))],
            "description": data.get("description") or "",
            "files": data.get("evidence_files") or [],
        }
        if self.entry is None:
            fields |= {
                "office": data["office"],
                "department": self.department_obj,
                "rule_id": data["rule"],
            }
        return fields


def entry_initial(entry: Entry) -> dict[str, Any]:
    """An entry's values as the edit form's initial values."""
    return {
        "period": entry.period,
        "count": entry.count,
        "actual": entry.actual,
        "modifier": entry.modifier,
        "same_work": entry.same_work,
        "persons": {str(p.pk): n for p, n in entry.person_times()},
        "description": entry.description,
    }


def query_initial(query: Any) -> dict[str, Any]:
    """A form's values from a query string (the htmx refresh sends the form as it stands)."""
    initial: dict[str, Any] = {k: query.get(k) for k in query if not k.startswith("persons-")}
    initial["persons"] = {
        k.removeprefix("persons-"): query.get(k) for k in query if k.startswith("persons-")
    }
    return initial
