"""The shared helpers of kaohe.core (issue 13 §9): downloads, form errors, numbers, stored files."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.core.downloads import PDF, XLSX, download
from kaohe.core.forms import attempt
from kaohe.core.numbers import to_decimal, to_fraction
from kaohe.ledger.evidence import check_upload
from kaohe.ledger.models import Evidence
from kaohe.results.models import Adjustment, Attachment
from kaohe.years.counters import reference, reference_next
from tests.web import files_support as files
from tests.web.conftest import World
from tests.web.factories import add_adjustment


@pytest.fixture(autouse=True)
def isolated_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_a_download_names_its_file_in_utf8_and_is_never_sniffed() -> None:
    response = download(b"x", XLSX, "台账 2016.xlsx")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2016.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6%202016.xlsx"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in response


def test_an_inline_private_download_is_shown_and_not_cached() -> None:
    response = download(b"%PDF", PDF, "specimen-1.pdf", inline=True, private=True)
    assert response["Content-Disposition"].startswith('inline; filename="specimen-1.pdf"')
    assert response["Cache-Control"] == "no-store"


class _Form(forms.Form):
    name = forms.CharField()
    rule = forms.CharField(required=False)


def test_attempt_puts_an_actions_errors_next_to_their_fields() -> None:
    form = _Form({"name": "x"})

    def refuse() -> None:
        raise ValidationError({"name": ["taken"], "rule_id": ["unknown"], "other": ["no"]})

    assert attempt(form, refuse, {"rule_id": "rule"}) is None
    assert form.errors["name"] == ["taken"]
    assert form.errors["rule"] == ["unknown"]
    assert form.non_field_errors() == ["no"]


def test_attempt_runs_the_action_only_on_a_valid_form() -> None:
    ran: list[int] = []
    assert attempt(_Form({}), lambda: ran.append(1)) is None
    assert ran == []
    assert attempt(_Form({"name": "x"}), lambda: "done") == "done"
    form = _Form({"name": "x"})
    assert attempt(form, lambda: (_ for _ in ()).throw(ValidationError("plain"))) is None
    assert form.non_field_errors() == ["plain"]


def test_references_are_formatted_one_way() -> None:
    assert reference(2016, 7) == "2016-00007"
    assert reference(2016, 7, "adj") == "2016-adj-7"


@pytest.mark.django_db
def test_the_next_reference_skips_numbers_already_taken(world: World) -> None:
    taken = add_adjustment(world.year, world.js, "1", "imported")
    taken.ref = "2016-adj-2"
    taken.save()
    assert reference_next(model=Adjustment, year=world.year, series="adj") == "2016-adj-3"
    assert reference_next(model=Adjustment, year=world.year, series="adj") == "2016-adj-4"


def test_decimals_and_fractions_convert_exactly() -> None:
    assert to_fraction(Decimal("1.25")) == Fraction(5, 4)
    assert to_fraction("1/3") == Fraction(1, 3)
    assert to_decimal(Fraction(5, 4)) == Decimal("1.25")
    assert to_decimal(Fraction(1, 3)) == Decimal("0.333333333333")
    assert to_decimal(3) == Decimal(3)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "directory"), [(Evidence, "evidence"), (Attachment, "results")])
def test_a_kept_file_is_stored_under_its_models_directory_and_served(
    world: World, model: Any, directory: str
) -> None:
    checked, _why = check_upload(SimpleUploadedFile("纪要.pdf", files.PDF))
    assert checked is not None
    owner = (
        {"adjustment": add_adjustment(world.year, world.js, "1", "r")}
        if model is Attachment
        else {"entry": None}
    )
    kept = model.keep(checked, by=world.office, **owner)
    assert kept.file.name == f"{directory}/{kept.id.hex[:2]}/{kept.id.hex}"
    assert (kept.size, kept.content_type, kept.uploaded_by) == (len(files.PDF), PDF, world.office)
    response = kept.download()
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Disposition"].endswith("filename*=UTF-8''%E7%BA%AA%E8%A6%81.pdf")
