"""Moving a year in and out: import, export, and agreement with `kaohe compute`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from kaohe.assessment.bundle_io import year_export_document, year_import
from kaohe.demo import demo_bundle_document
from kaohe.engine import compute, parse_bundle
from kaohe.engine.output import results_document
from kaohe.ledger.models import Entry
from kaohe.results.bundle import year_results
from kaohe.years.models import Year

pytestmark = pytest.mark.django_db


def test_export_import_export_is_identical(tmp_path: Path) -> None:
    # given the demo year imported
    year = year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    first = year_export_document(year)
    # when it is exported, the database emptied, the export imported and exported again
    Entry.objects.all().delete()
    from kaohe.ballots.models import Ballot, Round
    from kaohe.results.models import Adjustment, Veto

    Ballot.objects.all().delete()
    Round.objects.all().delete()
    Adjustment.objects.all().delete()
    Veto.objects.all().delete()
    Year.objects.all().delete()
    second = year_export_document(year_import(by=None, bundle=parse_bundle(first)))
    # then both exports are the same document
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_web_results_equal_kaohe_compute_on_the_export(tmp_path: Path) -> None:
    # given the demo year in the database
    year = year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    # when exported and computed by the command line
    path = tmp_path / "year.json"
    call_command("export", "--year", "2016", "-o", str(path))
    proc = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "compute", str(path)], capture_output=True, check=True
    )
    # then the command's results equal the web application's
    assert json.loads(proc.stdout) == results_document(year_results(year))
    assert results_document(year_results(year)) == results_document(
        compute(parse_bundle(demo_bundle_document()))
    )


def test_a_bad_bundle_changes_nothing(tmp_path: Path) -> None:
    # given a bundle whose last entry is wrong
    doc = demo_bundle_document()
    doc["entries"].append(
        {
            "department": doc["departments"][0]["code"],
            "rule": "1.target_unmet",
            "period": "year",
            "amount": "7",
        }
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    # when it is imported
    with pytest.raises(SystemExit) as exc:
        call_command("import", str(path))
    # then the command fails with status 2 and nothing is stored
    assert exc.value.code == 2
    assert not Year.objects.exists()
    assert not Entry.objects.exists()


def test_importing_a_year_twice_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    count = Entry.objects.count()
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo_bundle_document(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import", str(path))
    assert Entry.objects.count() == count


def test_import_rejects_amounts_the_database_cannot_hold_exactly() -> None:
    doc = demo_bundle_document()
    doc["adjustments"] = [
        {"department": doc["departments"][0]["code"], "amount": "0.123456", "reason": "测试"}
    ]
    from kaohe.engine.problems import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        year_import(by=None, bundle=parse_bundle(doc))
    assert "adjustments[0].amount" in str(exc.value)
    assert not Year.objects.exists()
