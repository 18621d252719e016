"""The audit trail's filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.audit.choices import AuditAction, AuditTarget


def _target_choices(hidden: frozenset[str] = frozenset()) -> list[tuple[str, Any]]:
    return [("", _("Any")), *((v, label) for v, label in AuditTarget.choices if v not in hidden)]


class EventFilterForm(forms.Form):
    """Filter the audit trail by department, target, action and date."""

    department = forms.CharField(label=_("Department code"), required=False, max_length=20)
    target_type = forms.ChoiceField(label=_("Target"), choices=_target_choices(), required=False)
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

    def __init__(self, *args: Any, hidden_targets: frozenset[str] = frozenset(), **kwargs: Any):
        """`hidden_targets`: the kinds of row the reader may not see, so not offered either."""
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = _target_choices(hidden_targets)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:  # type: ignore[operator]
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data
