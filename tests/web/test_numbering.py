"""One numbering and names, not technical ids, on every page and export (issue 10.19)."""

from __future__ import annotations

import copy
import importlib
import io
import re

import pytest
from django.apps import apps
from openpyxl import load_workbook

from kaohe.assessment.bundle_io import year_import
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.engine.problems import InvalidInput
from kaohe.ledger.models import Entry
from kaohe.results.models import Adjustment
from kaohe.results.trails import entry_ref
from kaohe.years.counters import reference_next, reference_normal, reference_shown
from tests.web.conftest import World
from tests.web.factories import add_entry

pytestmark = pytest.mark.django_db

ONE_FORMAT = re.compile(r"2016-[0-9]{5}")


def test_imported_and_recorded_entries_share_one_numbering() -> None:
    # given the demo year imported (its entries numbered in the bundle)
    year = year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    refs = list(Entry.objects.values_list("ref", flat=True))
    # then every stored number is written one way, the one new entries get
    assert refs and all(ONE_FORMAT.fullmatch(r) for r in refs), sorted(refs)[:3]
    assert Entry.objects.filter(ref="2016-00031").exists()
    following = reference_next(model=Entry, year=year)
    assert ONE_FORMAT.fullmatch(following) and following not in refs


def test_a_number_of_another_width_is_the_same_number() -> None:
    document = copy.deepcopy(demo_bundle_document())
    entries = document["entries"]
    entries[0]["id"], entries[1]["id"], entries[2]["id"] = "2016-701", "2016-0702", "ZH-17"
    year_import(by=None, bundle=parse_bundle(document))
    refs = set(Entry.objects.values_list("ref", flat=True))
    assert {"2016-00701", "2016-00702", "ZH-17"} <= refs  # another system's id is kept
    # two ids naming one number are refused, whatever their widths
    Entry.objects.all().delete()
    apps.get_model("results", "Adjustment").objects.all().delete()
    apps.get_model("results", "Veto").objects.all().delete()
    apps.get_model("ballots", "Ballot").objects.all().delete()
    apps.get_model("ballots", "Round").objects.all().delete()
    apps.get_model("years", "Year").objects.all().delete()
    entries[0]["id"], entries[1]["id"] = "2016-701", "2016-00701"
    with pytest.raises(InvalidInput):
        year_import(by=None, bundle=parse_bundle(document))


def test_the_migration_writes_stored_numbers_one_way(world: World) -> None:
    # given entries stored in two formats before, one of them clashing with a five-digit number
    short = add_entry(world.year, world.js, "1.report_missed", ref="2016-031")
    clash = add_entry(world.year, world.js, "1.report_missed", ref="2016-032")
    taken = add_entry(world.year, world.js, "1.report_missed", ref="2016-00032")
    other = add_entry(world.year, world.js, "1.report_missed", ref="ZH-17")
    migration = importlib.import_module("kaohe.ledger.migrations.0004_entry_refs_one_numbering")
    # when it runs
    migration.refs_one_numbering(apps, None)
    # then the short one is written the one way; references stay unique; others are kept
    refs = {e.pk: e.ref for e in Entry.objects.all()}
    assert refs[short.pk] == "2016-00031"
    assert refs[clash.pk] == "2016-032" and refs[taken.pk] == "2016-00032"
    assert refs[other.pk] == "ZH-17"


def test_the_one_numbering_function() -> None:
    assert reference_normal(2016, "2016-031") == "2016-00031"
    assert reference_normal(2016, "2015-031") == "2015-031"  # another year's: as it is
    assert reference_normal(2016, "2016-adj-01") == "2016-adj-1"
    assert reference_shown("2016-031") == "2016-00031"
    assert reference_shown("2017-adj-1") == "党组加减分 2017-00001"
    assert reference_shown("2017-veto-2") == "一票否决 2017-00002"
    assert reference_shown("ZH-17") == "ZH-17"


def test_a_trail_names_an_entry_of_an_old_version_in_the_one_numbering() -> None:
    document = copy.deepcopy(demo_bundle_document())
    document["entries"][0]["id"] = "2016-031"
    assert entry_ref(parse_bundle(document), 0) == "2016-00031"


def test_the_entry_page_and_the_ledger_export_name_the_rule_not_its_id(world: World) -> None:
    entry = add_entry(world.year, world.js, "2.paper_provincial", ref="2016-00001")
    client = world.client(world.office)
    body = client.get(f"/ledger/entries/{entry.pk}/").content.decode()
    assert "学术论文或调研报告在省级报刊杂志" in body and "2、积极开展工作调研" in body
    assert "2.paper_provincial" not in body
    workbook = load_workbook(io.BytesIO(client.get("/ledger/2016/ledger.xlsx").content))
    cells = [str(c.value) for row in workbook.active.iter_rows() for c in row]
    assert "2016-00001" in cells
    assert "2.paper_provincial" not in cells and "规则编号" not in cells


def test_the_adjustments_page_shows_the_one_numbering(world: World) -> None:
    Adjustment.objects.create(
        year=world.year, department=world.js, amount=1, reason="表彰", ref="2016-adj-1"
    )
    body = world.client(world.office).get("/results/2016/adjustments/").content.decode()
    assert "党组加减分 2016-00001" in body
    assert "2016-adj-1" not in body
