"""The ledger's forms: they parse and check input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaohe.access import ledger as ledger_access
from kaohe.constants import Period
from kaohe.core.downloads import XLSX
from kaohe.engine.limits import MAX_ACTUAL, MAX_COUNT
from kaohe.engine.numbers import plain
from kaohe.engine.scheme import HALF_YEARS, Rule
from kaohe.engine.schemetext import rule_amount_text
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.evidence import CheckedFile, check_upload
from kaohe.ledger.models import DecisionMethod, Entry, EntryStatus
from kaohe.ledger.selectors import PERSON_TIME, Filters, assessed_departments, staff
from kaohe.ledger.validation import entry_problems
from kaohe.org.models import Department, Person
from kaohe.years.models import Year

EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ofd"
# The fields that depend on the rule, in the order the form shows them.
RULE_FIELDS = ("period", "count", "actual", "modifier", "same_work", "persons")
# Fields the actions name differently from the forms.
ACTION_FIELDS = {"rule_id": "rule"}


class MultipleFileInput(forms.FileInput):
    """A file input that takes several files."""

    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files, each checked by its content (type and size)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Evidence files"))
        kwargs.setdefault(
            "help_text",
            _("PDF, JPG or PNG images, Word, Excel or OFD; several files may be chosen at once."),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:  # type: ignore[override]
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked, problems = [], []
        for upload in uploads:
            super().clean(upload, initial)
            ok, why = check_upload(upload)
            if ok is None:
                problems.append(why)
            else:
                checked.append(ok)
        if problems:
            raise ValidationError(problems)
        return checked


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


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
    persons = forms.MultipleChoiceField(
        label=_("Persons involved"), required=False, widget=forms.CheckboxSelectMultiple
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
        if rule is None or not rule.modifiers:
            del self.fields["modifier"]
        else:
            modifiers = [(m.code, m.name) for m in rule.modifiers.values()]
            _choices(self, "modifier", _blank(_("None")) + modifiers)
        if rule is None or not rule.is_bonus:
            del self.fields["same_work"]
        if rule is None or rule.unit != PERSON_TIME:
            del self.fields["persons"]
        else:
            self.staff = staff(self.department_obj)
            _choices(self, "persons", [(str(p.pk), p.name) for p in self.staff])
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

    def entry_fields(self) -> dict[str, Any]:
        """The cleaned values as the actions take them."""
        data = self.cleaned_data
        chosen = set(data.get("persons") or [])
        fields: dict[str, Any] = {
            "period": data["period"],
            "count": data.get("count"),
            "actual": data.get("actual"),
            "modifier": data.get("modifier") or "",
            "same_work": data.get("same_work") or "",
            "persons": [p for p in self.staff if str(p.pk) in chosen],
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
        "persons": [str(p.pk) for p in entry.persons.all()],
        "description": entry.description,
    }


def query_initial(query: Any) -> dict[str, Any]:
    """A form's values from a query string (the htmx refresh sends the form as it stands)."""
    initial: dict[str, Any] = {k: query.get(k) for k in query if k != "persons"}
    initial["persons"] = query.getlist("persons")
    return initial


class FilterForm(forms.Form):
    """The ledger's filters; a value that is not one of the choices is ignored."""

    item = forms.TypedChoiceField(label=_("Item"), required=False, coerce=int, empty_value=None)
    office = forms.ChoiceField(label=_("Recording office"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, data: Any, *, year: Year, statuses: bool = True) -> None:
        super().__init__(data)
        scheme = year.scheme
        items = [(str(n), f"{n}、{i.title}") for n, i in sorted(scheme.items.items())]
        departments = [(d.code, f"{d.code} {d.name}") for d in assessed_departments(year)]
        _choices(self, "item", _blank(_("All")) + items)
        _choices(self, "office", _blank(_("All")) + list(scheme.offices.items()))
        _choices(self, "period", _blank(_("All")) + list(Period.choices))
        _choices(self, "department", _blank(_("All")) + departments)
        if statuses:
            _choices(self, "status", _blank(_("All")) + list(EntryStatus.choices))
        else:
            del self.fields["status"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "js-filter"

    def filters(self) -> Filters:
        """The valid filters given."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(**{k: v for k, v in data.items() if v not in (None, "")})


class ReasonForm(forms.Form):
    """A reason, for returning or voiding an entry."""

    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    """The assessment office's decision on a range entry's amount."""

    amount = forms.DecimalField(
        label=_("Decided amount per case"), max_digits=12, decimal_places=4, min_value=0
    )
    method = forms.ChoiceField(
        label=_("Decided by"), choices=DecisionMethod.choices, widget=forms.RadioSelect
    )
    meeting = forms.CharField(label=_("Meeting"), max_length=200)

    def __init__(self, *args: Any, rule: Rule, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["amount"].help_text = _("Between %(min)s and %(max)s.") % {
            "min": plain(rule.min or 0),
            "max": plain(rule.max or 0),
        }
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"


class ObjectionForm(forms.Form):
    """A department head's objection, with a reason and files."""

    reason = forms.CharField(
        label=_("Reason for the objection"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_files = EvidenceField()

    def values(self) -> dict[str, Any]:
        """The objection as `objection_raise` takes it."""
        return {"reason": self.cleaned_data["reason"], "files": self.cleaned_data["evidence_files"]}


OUTCOMES = [
    ("reject", _("Reject the objection: the entry stands")),
    ("void", _("Uphold the objection: void the entry")),
    ("correct", _("Uphold the objection: correct the entry")),
]


class ResolveForm(forms.Form):
    """The assessment office's decision on an objection; a correction names the new values."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    corrected_count = forms.IntegerField(
        label=_("Corrected count"), required=False, min_value=1, max_value=MAX_COUNT
    )
    corrected_actual = forms.IntegerField(
        label=_("Corrected actual count submitted"),
        required=False,
        min_value=0,
        max_value=MAX_ACTUAL,
    )
    corrected_amount = forms.DecimalField(
        label=_("Corrected amount per case"),
        required=False,
        max_digits=12,
        decimal_places=4,
        min_value=0,
    )
    resolution = forms.CharField(
        label=_("Reason for the decision"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, rule: Rule, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if rule.kind == RuleKind.SHORTFALL:
            del self.fields["corrected_count"]
        else:
            del self.fields["corrected_actual"]
        if rule.kind != RuleKind.RANGE:
            del self.fields["corrected_amount"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        corrections = [k for k in self.fields if k.startswith("corrected_")]
        given = [k for k in corrections if data.get(k) is not None]
        if data.get("outcome") == "correct" and not given:
            self.add_error(corrections[0], _("Enter the corrected value."))
        return data

    def decision(self) -> dict[str, Any]:
        """The decision as `objection_resolve` takes it; corrections only when correcting."""
        data = self.cleaned_data
        decision = {"uphold": data["outcome"] != "reject", "resolution": data["resolution"]}
        if data["outcome"] == "correct":
            decision |= {k: v for k, v in data.items() if k.startswith("corrected_")}
        return decision


class BatchUploadForm(forms.Form):
    """A filled-in batch template, for one of the clerk's offices."""

    office = forms.ChoiceField(label=_("Recording office"))
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, year: Year, offices: list[str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "office", [(o, year.scheme.offices[o]) for o in offices])
        if len(offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()
            self.fields["office"].initial = offices[0]

    def clean_file(self) -> CheckedFile:
        checked, why = check_upload(self.cleaned_data["file"])
        if checked is None:
            raise ValidationError(why)
        if checked.content_type != XLSX:
            raise ValidationError(_("Upload the Excel template (.xlsx), filled in."))
        return checked
