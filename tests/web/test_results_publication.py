"""Confirmation by the party group, publication as immutable versions, corrections, ties."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.engine import compute, parse_bundle
from kaohe.engine.output import results_document
from kaohe.org.models import Department
from kaohe.results.actions import adjustment_record, publication_confirm
from kaohe.results.choices import initial_choices
from kaohe.results.models import Publication
from kaohe.results.selectors import publication_honors, year_proposal
from tests.web.conftest import World
from tests.web.factories import DepartmentFactory, make_year
from tests.web.results_support import (  # noqa: F401
    Demo,
    demo_fixture,
    hold_rounds,
    keep_every_tie,
    publish,
)

pytestmark = pytest.mark.django_db


def _confirm(
    user: object,
    year: object,
    *,
    recommended: list[str] | None = None,
    ties: dict[str, list[str]] | None = None,
    **kwargs: object,
) -> Publication:
    """Confirm with every tie kept whole, unless `recommended` or `ties` say otherwise."""
    p = year_proposal(year)  # type: ignore[arg-type]
    decisions = keep_every_tie(p)
    if recommended is not None:
        decisions = dataclasses.replace(decisions, recommended=tuple(recommended))
    if ties is not None:
        decisions = dataclasses.replace(decisions, ties={t: tuple(c) for t, c in ties.items()})
    options: dict = {"digest": p.digest, "decisions": decisions, "meeting": "党组会", **kwargs}
    return publication_confirm(by=user, year=year, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("persona", ["office", "leader", "head_js", "clerk_zh", "outsider"])
def test_only_a_party_group_member_may_confirm(world: World, persona: str) -> None:
    hold_rounds(world.year)
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        _confirm(user, world.year)
    client = world.client(user)
    assert client.get("/results/2016/confirm/").status_code == 403
    assert client.post("/results/2016/confirm/", {"meeting": "x"}).status_code == 403
    assert not Publication.objects.exists()


def test_confirming_publishes_version_1_with_the_digest_of_its_inputs(demo: Demo) -> None:
    # given the demo year, complete and without blockers
    proposal = year_proposal(demo.year)
    # when a party group member confirms through the page, with the default choices
    response = demo.client(demo.party).post(
        "/results/2016/confirm/",
        {
            "digest": proposal.digest,
            "recommended": proposal.honors_of("recommended"),
            "meeting": "委党组会议",
        },
    )
    # then version 1 is published and the published page shows it
    assert response.status_code == 302 and response["Location"] == "/results/2016/"
    p = Publication.objects.get()
    assert p.number == 1 and p.confirmed_by == demo.party
    # every figure comes with the SHA-256 of its canonical inputs, which recompute to it
    canonical = json.dumps(p.bundle, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert p.digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert results_document(compute(parse_bundle(p.bundle))) == p.results
    assert p.results == proposal.results_doc
    # the recommended pair is the first two advanced departments, as proposed
    assert sorted(c for c, h in publication_honors(p).items() if "recommended" in h) == sorted(
        proposal.honors_of("recommended")
    )
    # and the confirmation is in the audit trail
    event = AuditEvent.objects.get(action="publication_confirm")
    assert event.after["digest"] == p.digest and event.before is None
    page = demo.client(demo.head_js).get("/results/2016/").content.decode()
    assert p.digest in page


def test_the_party_group_may_recommend_two_other_advanced_departments(demo: Demo) -> None:
    proposal = year_proposal(demo.year)
    advanced = [d.code for d in proposal.results.departments if "advanced" in d.honors]
    chosen = advanced[-2:]
    p = _confirm(demo.party, demo.year, recommended=chosen)
    honors = publication_honors(p)
    assert sorted(c for c, h in honors.items() if "recommended" in h) == sorted(chosen)
    assert p.bundle["decisions"]["recommended"] == sorted(chosen)


@pytest.mark.parametrize("recommended", [[], ["XXH"], ["XXH", "JS", "ZXQ"], ["XXH", "CY"]])
def test_the_recommended_are_exactly_two_advanced_departments(
    demo: Demo, recommended: list
) -> None:
    with pytest.raises(ValidationError):
        _confirm(demo.party, demo.year, recommended=recommended)
    assert not Publication.objects.exists()


def test_a_stale_proposal_cannot_be_confirmed(demo: Demo) -> None:
    # given the party group member opened the proposal
    seen = year_proposal(demo.year).digest
    # when the assessment office records an adjustment meanwhile
    adjustment_record(
        by=demo.office,
        year=demo.year,
        department=demo.js,
        amount=Decimal("2"),
        reason="党组研究",
        meeting="党组会",
    )
    # then confirming what was seen is refused
    with pytest.raises(ValidationError) as exc:
        _confirm(demo.party, demo.year, digest=seen)
    assert "changed" in str(exc.value) or "变化" in str(exc.value)
    assert not Publication.objects.exists()


def _tied_year(n: int = 7) -> tuple[object, list[str]]:
    departments = [
        DepartmentFactory(code=f"T{i}", name=f"第{i}处", type="service") for i in range(1, n + 1)
    ]
    year = make_year(2016, departments)
    hold_rounds(year)  # every department graded alike: all tied on everything
    return year, [d.code for d in departments]


def test_boundary_ties_must_be_settled_and_the_settlement_is_published(db: None) -> None:
    from tests.web.factories import RoleFactory

    party = RoleFactory(kind="party_group").user
    year, codes = _tied_year()
    proposal = year_proposal(year)  # type: ignore[arg-type]
    # seven departments tied at place 1: 先进处室 (5 places), 推荐 (2) and 末两名 (2) straddle
    found = {(g.tier, g.left) for g in proposal.settlement.open_groups}
    assert found == {("advanced", 5), ("recommended", 2), ("bottom", 2)}
    assert all("boundary_tie" in d.flags for d in proposal.results.departments)
    # unsettled, or settled with too few, is refused
    with pytest.raises(ValidationError):
        _confirm(party, year, ties={}, recommended=codes[:2])
    with pytest.raises(ValidationError):
        _confirm(party, year, ties={"advanced": codes[:4], "bottom": codes[5:]})
    # settled: five keep 先进处室 (the two left out are praised), two are the last two
    p = _confirm(
        party, year, ties={"advanced": codes[:5], "bottom": codes[5:]}, recommended=codes[:2]
    )
    honors = publication_honors(p)
    assert honors["T1"] == ["advanced", "recommended"]
    assert honors["T3"] == ["advanced"]
    assert honors["T6"] == ["praised", "bottom"]
    assert p.bundle["decisions"] == {
        "recommended": codes[:2],
        "ties": {"advanced": codes[:5], "bottom": codes[5:]},
    }
    # and the stored honors only repeat what the results say: both are the results'
    assert p.honors == {} and p.decisions == {}


def test_the_confirm_page_asks_for_each_boundary_tie(db: None) -> None:
    from django.test import Client

    from tests.web.factories import PASSWORD, RoleFactory

    party = RoleFactory(kind="party_group").user
    _tied_year()
    client = Client()
    client.login(username=party.username, password=PASSWORD)
    page = client.get("/results/2016/confirm/").content.decode()
    assert 'name="tie_advanced"' in page and 'name="tie_bottom"' in page
    digest = year_proposal(Department.objects.get(code="T1").years.get().year).digest
    response = client.post(
        "/results/2016/confirm/",
        {
            "digest": digest,
            "recommended": ["T1", "T2"],
            "meeting": "党组会",
            "tie_advanced": ["T1", "T2", "T3", "T4", "T5"],
            "tie_bottom": ["T6", "T7"],
        },
    )
    assert response.status_code == 302
    assert publication_honors(Publication.objects.get())["T7"] == ["praised", "bottom"]


def test_a_correction_is_a_new_version_with_a_reason_and_the_old_one_stays(demo: Demo) -> None:
    # given version 1
    v1 = publish(demo.year, by=demo.party)
    stored = dict(Publication.objects.filter(pk=v1.pk).values()[0])
    # when an adjustment is added and the year confirmed again
    adjustment_record(
        by=demo.office,
        year=demo.year,
        department=demo.js,
        amount=Decimal("-3"),
        reason="党组研究扣分",
        meeting="党组会(2017-02-01)",
    )
    with pytest.raises(ValidationError):
        _confirm(demo.party, demo.year)  # a correction needs its reason
    v2 = _confirm(demo.party, demo.year, reason="补记党组研究扣分")
    # then version 2 is current, version 1 is unchanged and still readable
    assert v2.number == 2 and v2.digest != v1.digest
    assert dict(Publication.objects.filter(pk=v1.pk).values()[0]) == stored
    client = demo.client(demo.head_js)
    assert "第1版" in client.get("/results/2016/versions/1/").content.decode()
    assert "第2版" in client.get("/results/2016/").content.decode()
    # and the difference between them is shown
    diff = client.get("/results/2016/versions/1/diff/2/").content.decode()
    js_v1 = next(d for d in v1.results["departments"] if d["code"] == "JS")
    js_v2 = next(d for d in v2.results["departments"] if d["code"] == "JS")
    assert js_v1["total"] in diff and js_v2["total"] in diff
    assert "补记党组研究扣分" in diff


def test_confirming_again_without_any_change_is_refused(demo: Demo) -> None:
    publish(demo.year, by=demo.party)
    with pytest.raises(ValidationError):
        _confirm(demo.party, demo.year, reason="再次确认")
    assert Publication.objects.count() == 1


def test_the_publicity_period_needs_both_dates_in_order(demo: Demo) -> None:
    import datetime

    with pytest.raises(ValidationError):
        _confirm(demo.party, demo.year, publicity_start=datetime.date(2017, 2, 1))
    with pytest.raises(ValidationError):
        _confirm(
            demo.party,
            demo.year,
            publicity_start=datetime.date(2017, 2, 9),
            publicity_end=datetime.date(2017, 2, 1),
        )


def test_a_correction_starts_from_the_choices_already_published(demo: Demo) -> None:
    proposal = year_proposal(demo.year)
    advanced = [d.code for d in proposal.results.departments if "advanced" in d.honors]
    _confirm(demo.party, demo.year, recommended=advanced[-2:])
    adjustment_record(
        by=demo.office,
        year=demo.year,
        department=demo.js,
        amount=Decimal("0.5"),
        reason="党组研究加分",
        meeting="党组会",
    )
    again = year_proposal(demo.year)
    assert sorted(initial_choices(again).recommended or ()) == sorted(advanced[-2:])
    assert sorted(again.honors_of("recommended")) == sorted(advanced[-2:])
