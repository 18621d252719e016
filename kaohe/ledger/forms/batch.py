"""The upload of a filled-in batch template (views/batch.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaohe.core.downloads import XLSX
from kaohe.ledger.evidence import CheckedFile, check_upload
from kaohe.ledger.forms.fields import _choices
from kaohe.years.models import Year


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
