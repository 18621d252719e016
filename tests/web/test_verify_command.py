"""`kaohe verify`: exit 0 with a line per version when every seal, link and figure holds; exit 2
naming each broken version and why. And docs/verify.md documents the record it checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kaohe.audit.models import AuditEvent
from kaohe.results import guards
from kaohe.results.seal import SEAL_V1
from tests.web.conftest import World
from tests.web.results_support import Demo, demo_fixture, publish  # noqa: F401
from tests.web.seal_support import (  # noqa: F401
    alter,
    corrected_world,
    published_world,
    sql,
    unguarded_fixture,
    verify,
)

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "verify.md"


def test_kaohe_verify_passes_an_untouched_database_with_the_demo_year_published(
    demo: Demo,
) -> None:
    first = publish(demo.year, by=demo.party)
    code, out, err = verify()
    assert (code, err) == (0, "")
    assert f"2016 version 1: ok, seal {first.seal}, 20 departments recomputed\n" in out
    assert out.endswith("1 version(s) checked, 0 broken; database guards in place\n")
    assert verify("--year", "2017")[:2] == (
        0,
        "no published version of 2017\n0 version(s) checked, 0 broken; database guards in place\n",
    )
    assert not AuditEvent.objects.filter(action="seal_breach_record").exists()


def test_the_record_it_writes_hashes_to_the_seal(world: World, tmp_path: Path) -> None:
    p = published_world(world)
    code, _out, _err = verify("--year", "2016", "--record", "1", "-o", str(tmp_path / "r.json"))
    assert code == 0
    assert hashlib.sha256((tmp_path / "r.json").read_bytes()).hexdigest() == p.seal
    assert verify("--year", "2016", "--record", "2")[0] == 2


def test_the_documentation_names_every_column_of_the_record() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in [*SEAL_V1.sealed, *SEAL_V1.excluded]:
        assert f"| `{name}` |" in text, name


def test_kaohe_verify_names_an_altered_earlier_version(world: World, unguarded: None) -> None:
    first, _second = corrected_world(world)
    alter(first, meeting="另一次会议")
    code, out, err = verify()
    assert code == 2 and "2016 version 2: ok" not in err
    assert "2016 version 1: BROKEN" in out
    assert "error: 2016 version 1: Version 1 of 2016 was altered after publication" in err


def test_kaohe_verify_names_the_broken_link_after_a_resealed_version(
    world: World, unguarded: None
) -> None:
    first, _second = corrected_world(world)
    alter(first, meeting="另一次会议")
    first.refresh_from_db()
    alter(first, seal=SEAL_V1.seal(first))
    code, out, err = verify("--year", "2016")
    assert code == 2 and "2016 version 1: ok" in out
    assert "error: 2016 version 2: The chain of 2016 is broken at version 2" in err


def test_kaohe_verify_names_each_altered_version(world: World, unguarded: None) -> None:
    p = published_world(world)
    alter(p, honors={d["code"]: ["advanced"] for d in p.results["departments"]})
    code, out, err = verify()
    assert code == 2
    assert "2016 version 1: BROKEN" in out
    assert "error: 2016 version 1: Version 1 of 2016 was altered after publication" in err
    assert "database guard kaohe_guard_results_publication" in err  # dropped
    assert AuditEvent.objects.filter(action="seal_breach_record", actor=None).count() == 1


def test_kaohe_verify_recomputes_figures_even_under_a_valid_seal(
    world: World, unguarded: None
) -> None:
    # given the figures altered and the version sealed again, seal and chain hold
    p = published_world(world)
    results = {**p.results, "departments": [dict(d) for d in p.results["departments"]]}
    results["departments"][0]["total"] = "99.99"
    alter(p, results=results)
    p.refresh_from_db()
    alter(p, seal=SEAL_V1.seal(p))
    # then the engine, recomputing the stored inputs, still finds it out
    code, _out, err = verify()
    assert (
        code == 2 and "the engine's results for its stored inputs are not its stored results" in err
    )


def test_kaohe_verify_refuses_while_the_flush_permit_lets_deletes_through(world: World) -> None:
    # given a published version, and one row in the permit table, which is all raw SQL needs
    published_world(world)
    sql(f"INSERT INTO {guards.PERMIT} (permit) VALUES (1)")
    code, out, err = verify()
    assert code == 2
    assert f"error: database guard {guards.PERMIT} holds a row: deletes are let through" in err
    assert out.endswith("database guards missing\n")


def test_kaohe_verify_names_a_published_version_deleted_from_the_database(
    world: World, unguarded: None
) -> None:
    # given versions 1 and 2, both deleted by SQL once the guards are gone
    first, second = corrected_world(world)
    sql("DELETE FROM results_partydecisions")
    sql("DELETE FROM results_publishedchart")
    sql("DELETE FROM results_publication")
    code, out, err = verify()
    assert code == 2
    assert "error: 2016 version 1: published (audit trail) but no longer stored" in err
    assert "error: 2016 version 2: published (audit trail) but no longer stored" in err
    assert out.endswith("0 version(s) checked, 2 broken; database guards missing\n")
    assert verify("--year", "2017")[0] == 2  # the guards are still missing
