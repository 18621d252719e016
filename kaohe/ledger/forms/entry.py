"""The forms of an entry's page: return, void, decide, object, resolve (views/entry.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.engine.limits import MAX_ACTUAL, MAX_COUNT
from kaohe.engine.numbers import plain
from kaohe.engine.scheme import Rule
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.forms.fields import EvidenceField
from kaohe.ledger.models import DecisionMethod
from kaohe.ledger.validation import AMOUNT_PLACES


class ReasonForm(forms.Form):
    """A reason, for returning or voiding an entry."""

    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    """The assessment office's decision on a range entry's amount."""

    amount = forms.DecimalField(
        label=_("Decided amount per case"),
        max_digits=12,
        decimal_places=AMOUNT_PLACES,
        min_value=0,
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
        decimal_places=AMOUNT_PLACES,
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
