"""The targets' forms: a target, a review, the leading group's approval, a report, the
supervision system's reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.ledger.forms.fields import EvidenceField
from kaohe.targets.actions import NAME_MAX, TEXT_MAX, TargetFields
from kaohe.targets.models import ReportPeriod, ReportStatus, TargetSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TargetForm(forms.Form):
    """A target as the department writes it; a revision adds its reason."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    content = forms.CharField(
        label=_("Target text"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    measure = forms.CharField(
        label=_("Measure of completion"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due = forms.DateField(label=_("Due by"), widget=DATE)
    source = forms.ChoiceField(label=_("Source"), choices=TargetSource.choices)
    in_supervision = forms.BooleanField(label=_("In the supervision system"), required=False)
    responsible = forms.CharField(label=_("Responsible person"), max_length=NAME_MAX)
    reason = forms.CharField(
        label=_("Reason for the revision"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        departments: list[tuple[int, str]] | None = None,
        revise: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            field = self.fields["department"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = departments
            field.required = True
        if not revise:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def values(self) -> TargetFields:
        """The target's fields for the action."""
        d = self.cleaned_data
        return TargetFields(
            d["content"], d["measure"], d["due"], d["source"], d["in_supervision"], d["responsible"]
        )


class ReviewForm(forms.Form):
    """The supervising leader's decision."""

    decision = forms.ChoiceField(choices=[("approve", _("Pass")), ("return", _("Return"))])
    comment = forms.CharField(
        label=_("Comments"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApprovalForm(forms.Form):
    """The leading group's approval as the assessment office records it."""

    meeting = forms.CharField(label=_("Meeting"), max_length=200)
    meeting_date = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    document_no = forms.CharField(label=_("Document number"), max_length=100)


class ReportForm(forms.Form):
    """A half-year or year-end report on a target."""

    period = forms.ChoiceField(label=_("Report"), choices=ReportPeriod.choices)
    status = forms.ChoiceField(label=_("Progress"), choices=ReportStatus.choices)
    done = forms.CharField(
        label=_("What was done"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = EvidenceField()


class OnlineReportForm(forms.Form):
    """One online report typed in: the target, the period, the date."""

    target = forms.ChoiceField(label=_("Target text"))
    period = forms.ChoiceField(label=_("Reporting period"))
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)

    def __init__(
        self,
        *args: Any,
        targets: list[tuple[int, str]],
        periods: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("target", targets), ("period", periods)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class ImportForm(forms.Form):
    """A workbook of online reports: 部门代码, 目标序号, 期次, 申报日期."""

    workbook = forms.FileField(label=_("Workbook (.xlsx)"))


class DiscardForm(forms.Form):
    """Why a proposed entry is discarded."""

    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, required=False)
