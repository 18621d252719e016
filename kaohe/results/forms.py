"""Forms of the results app: adjustments, vetoes, the party group's confirmation, objections."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import VetoReason, honor_name
from kaohe.engine import Decisions, Settlement, TieGroup
from kaohe.engine.decisions import TIE_TIERS
from kaohe.engine.limits import MAX_ADJUSTMENT
from kaohe.ledger.evidence import CheckedFile, checked_uploads
from kaohe.org.models import Department
from kaohe.results.actions.circulars import MAX_TEXT
from kaohe.results.choices import decisions_of, tie_field
from kaohe.results.models import CircularHalf
from kaohe.results.selectors import Proposal
from kaohe.years.models import Year


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several uploaded files, each checked by its content (kaohe.ledger.evidence)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        uploads: list[UploadedFile] = [f for f in (data or []) if f]
        return checked_uploads(uploads)


def _department_field(year: Year) -> forms.ModelChoiceField[Department]:
    return forms.ModelChoiceField(
        label=gettext_lazy("department"),
        queryset=Department.objects.filter(years__year=year).order_by("code"),
    )


class AdjustmentForm(forms.Form):
    """A party-group adjustment: department, signed amount, reason, meeting, files."""

    amount = forms.DecimalField(
        label=gettext_lazy("amount (negative deducts)"),
        max_digits=12,
        decimal_places=4,
        min_value=-int(MAX_ADJUSTMENT),
        max_value=int(MAX_ADJUSTMENT),
    )
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    meeting = forms.CharField(label=gettext_lazy("party group meeting"), max_length=200)
    documents = FilesField(label=gettext_lazy("files"), required=False)

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"department": _department_field(year), **self.fields}

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("Give a signed amount other than 0."))
        return amount

    def values(self) -> dict[str, Any]:
        """The adjustment as `adjustment_record` takes it."""
        data = self.cleaned_data
        names = ("department", "amount", "reason", "meeting")
        return {**{k: data[k] for k in names}, "files": data["documents"]}


class VetoForm(forms.Form):
    """A veto: department, one of the four reasons, the facts, files."""

    reason = forms.ChoiceField(label=gettext_lazy("reason"), choices=VetoReason.choices)
    facts = forms.CharField(label=gettext_lazy("facts"), widget=forms.Textarea(attrs={"rows": 3}))
    documents = FilesField(label=gettext_lazy("files"), required=False)

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"department": _department_field(year), **self.fields}

    def values(self) -> dict[str, Any]:
        """The veto as `veto_record` takes it."""
        data = self.cleaned_data
        names = ("department", "reason", "facts")
        return {**{k: data[k] for k in names}, "files": data["documents"]}


class ConfirmForm(forms.Form):
    """The party group's confirmation: its choices on the honors, the meeting, the dates.

    The choice fields are the engine's: a field per tied group the `settlement` met (under the
    choices made so far), and the recommended among the advanced it names.
    """

    digest = forms.CharField(widget=forms.HiddenInput)
    recommended = forms.MultipleChoiceField(
        label=gettext_lazy("recommended to the city as excellent departments"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    meeting = forms.CharField(label=gettext_lazy("party group meeting"), max_length=200)
    notice_number = forms.CharField(
        label=gettext_lazy("document number of the notice"), max_length=60, required=False
    )
    publicity_start = forms.DateField(
        label=gettext_lazy("publicity from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    publicity_end = forms.DateField(
        label=gettext_lazy("publicity until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        proposal: Proposal,
        settlement: Settlement,
        choices: Decisions,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        names = {d.code: d.name for d in proposal.results.departments}
        field = self.fields["recommended"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c, names[c]) for c in settlement.recommended.candidates]
        field.help_text = _("Choose %(n)s among the advanced departments.") % {
            "n": settlement.recommended.count
        }
        self.recommend = settlement.recommended.count > 0
        self.initial.setdefault("digest", proposal.digest)
        self.initial.setdefault("recommended", list(choices.recommended or ()))
        self.tie_fields: list[str] = []
        for group in settlement.groups:
            if group.tier in TIE_TIERS:
                self._tie_field(group, names, choices)
        if proposal.latest is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def _tie_field(self, group: TieGroup, names: dict[str, str], choices: Decisions) -> None:
        name = tie_field(group.tier)
        self.fields[name] = forms.MultipleChoiceField(
            label=_("%(honor)s: tied across the boundary, %(left)s places left")
            % {"honor": honor_name(group.tier), "left": group.left},
            choices=[(c, names[c]) for c in group.codes],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_(
                "Tick the departments that keep the honor: at least %(left)s; ticking all keeps the tie."
            )
            % {"left": group.left},
        )
        self.initial.setdefault(name, list(choices.ties.get(group.tier, ())))
        self.tie_fields.append(name)

    def decisions(self) -> Decisions:
        """The choices as the engine takes them (a tier with nothing ticked: not decided)."""
        data = self.cleaned_data
        ties = {name.removeprefix("tie_"): data.get(name) or [] for name in self.tie_fields}
        return decisions_of(data.get("recommended") or [], ties)

    def choice_fields(self) -> list[forms.BoundField]:
        """The questions in the order the engine computes the tiers (advanced, recommended …)."""
        first = [n for n in self.tie_fields if n == tie_field("advanced")]
        names = first + (["recommended"] if self.recommend else [])
        names += [n for n in self.tie_fields if n not in first]
        return [self[name] for name in names]


class PublicityObjectionForm(forms.Form):
    """An objection to the published results during the publicity period."""

    text = forms.CharField(
        label=gettext_lazy("objection"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = _department_field(year)
        department.required = False
        department.label = gettext_lazy("department concerned (optional)")
        self.fields = {"department": department, **self.fields}


# --- the half-year supervision circular ------------------------------------------------------

CIRCULAR_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CircularNewForm(forms.Form):
    """A new circular: the half-year, its document number and date of issue."""

    half = forms.ChoiceField(label=gettext_lazy("Half-year"), choices=CircularHalf.choices)
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "常经信考〔2017〕3号"}),
    )
    date = forms.DateField(label=gettext_lazy("Date of issue"), widget=CIRCULAR_DATE)


class CircularForm(forms.Form):
    """A draft's number, date, preface and conclusion."""

    number = forms.CharField(label=gettext_lazy("Document number"), max_length=60)
    date = forms.DateField(label=gettext_lazy("Date of issue"), widget=CIRCULAR_DATE)
    preface = forms.CharField(
        label=gettext_lazy("Preface"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    conclusion = forms.CharField(
        label=gettext_lazy("Conclusion"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
