"""The benchmark's generated bundle (bench/compute.py), small: valid, complete, computed end to end.

No timing is asserted here; this only keeps the benchmark from rotting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.compute import bench, make_bundle
from kaohe.engine import builtin_scheme, compute, parse_bundle, parse_bundle_bytes
from kaohe.engine.bundle import load_json


def small() -> dict[str, Any]:
    """A generated bundle of 30 departments and 300 entries."""
    return make_bundle(departments=30, entries=300, seed=7)


def test_the_generated_bundle_is_the_same_for_the_same_seed() -> None:
    # given two generations with one seed / then they are equal; another seed, another bundle
    assert small() == small()
    assert make_bundle(departments=30, entries=300, seed=8) != small()


def test_the_generated_bundle_is_valid_and_uses_every_rule_of_the_scheme() -> None:
    # given a small generated bundle
    doc = small()
    # when parsed
    bundle = parse_bundle(doc)
    # then every rule of cz-jxw-2016 has entries, and nothing was refused
    assert {e.rule for e in bundle.entries} == set(builtin_scheme("cz-jxw-2016").rules)
    assert len(bundle.entries) == 300
    assert {e.modifier for e in bundle.entries} >= {"short", "line", "single"}
    assert any(e.same_work for e in bundle.entries)


def test_the_generated_bundle_reads_the_same_from_its_text_and_computes() -> None:
    # given the generated bundle as the benchmark writes it
    doc = small()
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    # when read from its text, as kaohe compute does, and computed
    bundle = parse_bundle_bytes(data)
    results = compute(bundle, trail=False)
    # then it is the bundle of the careful reading, with every department ranked
    assert bundle == parse_bundle(load_json(data))
    assert sorted(d.code for d in results.departments) == sorted(
        d["code"] for d in doc["departments"]
    )


def test_export_fields_change_nothing_in_the_results() -> None:
    # given the small bundle, plain and with the fields kaohe export adds to entries
    plain = small()
    exported = make_bundle(departments=30, entries=300, seed=7, export_fields=True)
    # when both are parsed / then the exported one carries them, valid, and scores the same
    bundle = parse_bundle(exported)
    assert all({"id", "office"} <= e.extra.keys() for e in bundle.entries)
    assert compute(bundle, trail=False) == compute(parse_bundle(plain), trail=False)


def test_the_benchmark_runs_end_to_end_at_a_tiny_scale(tmp_path: Path) -> None:
    # given the benchmark at scale 0.02 (20 departments, 2,000 entries, all the voters)
    # when it generates, runs kaohe compute once and checks the output
    row = bench(0.02, runs=1, seed=7, out=tmp_path)
    # then it reports on 20 departments, with figures to report
    assert row["departments"] == 20
    assert row["entries"] == 2000
    assert row["median"] > 0 and row["peak_mib"] > 0
