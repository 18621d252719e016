"""The evidence field and the small helpers the ledger's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.engine.limits import MAX_COUNT
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


class PersonTimesWidget(forms.Widget):
    """Each staff member of the department with a number: how many times the entry counts them
    (`<name>-<person pk>` in the posted data; empty or 0 for not involved)."""

    template_name = "ledger/widgets/person_times.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.staff: list[tuple[str, str]] = []  # (person pk, name), set by the form

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        prefix = f"{name}-"
        return {k.removeprefix(prefix): data.get(k) for k in data if k.startswith(prefix)}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        given = value if isinstance(value, dict) else {}
        context["widget"]["rows"] = [
            {
                "name": f"{name}-{pk}",
                "id": f"id_{name}_{pk}",
                "label": label,
                "value": given.get(pk),
            }
            for pk, label in self.staff
        ]
        return context


def person_times_total(given: Any) -> int:
    """The sum of the times given (what is not a whole number from 1 up counts nothing)."""
    values = given.values() if isinstance(given, dict) else given
    return sum(n for n in (_whole(v) for v in values) if n is not None and n > 0)


def _whole(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


class PersonTimesField(forms.Field):
    """The persons a person-time (人次) entry names, each with how many times: {pk: times}."""

    widget = PersonTimesWidget

    def to_python(self, value: Any) -> dict[str, int]:
        chosen: dict[str, int] = {}
        for pk, raw in (value or {}).items():
            text = "" if raw is None else str(raw).strip()
            if text in ("", "0"):
                continue
            times = _whole(text)
            if times is None or not 0 <= times <= MAX_COUNT:
                raise forms.ValidationError(
                    _("Give each person's times as a whole number from 0 to %(max)s.")
                    % {"max": MAX_COUNT}
                )
            if times:
                chosen[pk] = times
        return chosen
