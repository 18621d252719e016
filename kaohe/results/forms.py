"""Forms of the results app: adjustments, vetoes, the party group's confirmation, objections."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import VetoReason
from kaohe.engine.limits import MAX_ADJUSTMENT
from kaohe.engine.output import HONOR_NAMES
from kaohe.ledger.evidence import CheckedFile, check_upload
from kaohe.org.models import Department
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
        checked, errors = [], []
        for upload in uploads:
            ok, error = check_upload(upload)
            if ok is None:
                errors.append(error)
            else:
                checked.append(ok)
        if errors:
            raise forms.ValidationError(errors)
        return checked


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


class VetoForm(forms.Form):
    """A veto: department, one of the four reasons, the facts, files."""

    reason = forms.ChoiceField(label=gettext_lazy("reason"), choices=VetoReason.choices)
    facts = forms.CharField(label=gettext_lazy("facts"), widget=forms.Textarea(attrs={"rows": 3}))
    documents = FilesField(label=gettext_lazy("files"), required=False)

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"department": _department_field(year), **self.fields}


class ConfirmForm(forms.Form):
    """The party group's confirmation: the recommended pair, boundary ties, the meeting, dates."""

    digest = forms.CharField(widget=forms.HiddenInput)
    recommended = forms.MultipleChoiceField(
        label=gettext_lazy("recommended to the city as excellent departments"),
        widget=forms.CheckboxSelectMultiple,
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

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {d.code: d.name for d in proposal.results.departments}
        advanced = [d.code for d in proposal.results.departments if "advanced" in d.honors]
        field = self.fields["recommended"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c, names[c]) for c in advanced]
        self.initial.setdefault("digest", proposal.digest)
        self.initial.setdefault("recommended", proposal.recommended)
        self.tie_fields: list[str] = []
        for tie in proposal.ties:
            name = f"tie_{tie.honor}"
            self.fields[name] = forms.MultipleChoiceField(
                label=_("%(honor)s: tied across the boundary, %(slots)s places left")
                % {"honor": HONOR_NAMES[tie.honor], "slots": tie.slots},
                choices=[(c, names[c]) for c in tie.codes],
                widget=forms.CheckboxSelectMultiple,
                required=True,
            )
            if tie.honor in proposal.kept:  # as settled in the current version
                self.initial.setdefault(name, proposal.kept[tie.honor])
            self.tie_fields.append(name)
        if proposal.latest is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def kept(self) -> dict[str, list[str]]:
        """The boundary-tie decisions: honor → the tied departments that keep it."""
        return {
            name.removeprefix("tie_"): list(self.cleaned_data.get(name) or [])
            for name in self.tie_fields
        }

    def tie_bound_fields(self) -> list[forms.BoundField]:
        """The tie questions, for the template."""
        return [self[name] for name in self.tie_fields]


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
