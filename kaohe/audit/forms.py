"""The audit trail's filter form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.audit.choices import AuditAction, AuditTarget


class EventFilterForm(forms.Form):
    """Filter the audit trail by department, target, action and date."""

    department = forms.CharField(label=_("Department code"), required=False, max_length=20)
    target_type = forms.ChoiceField(
        label=_("Target"), choices=[("", _("Any")), *AuditTarget.choices], required=False
    )
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:  # type: ignore[operator]
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data
