"""The evidence field and the small helpers the ledger's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.ledger.evidence import CheckedFile, checked_uploads

EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ofd"


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
        for upload in uploads:
            super().clean(upload, initial)
        return checked_uploads(uploads)


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
