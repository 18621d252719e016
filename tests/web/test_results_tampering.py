"""With the guards dropped (as the owner of the database could), an altered version is caught by
its seal wherever it would be used: pages, exports, last year's ranks (and `kaohe verify`, in
test_verify_command.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.results.actions import publication_confirm
from kaohe.results.models import Publication
from kaohe.results.seal import SEAL_V1
from kaohe.results.selectors import SealBroken, version_for, year_proposal
from tests.web.conftest import World
from tests.web.factories import make_year
from tests.web.results_support import hold_rounds
from tests.web.seal_support import (  # noqa: F401
    alter,
    corrected_world,
    published_world,
    unguarded_fixture,
)

pytestmark = pytest.mark.django_db

ALTERED = "已被改动"
SHOWN = [
    "/results/2016/",
    "/results/2016/versions/1/",
    "/results/2016/versions/",
    "/results/2016/versions/1/diff/1/",
    "/results/2016/versions/1/charts/ranking.png",
    "/results/across/",
]
EXPORTED = [
    "/results/2016/versions/1/bundle.json",
    "/results/2016/versions/1/results.xlsx",
    "/results/2016/versions/1/notice.docx",
    "/results/2016/versions/1/notice.pdf",
    "/results/2016/versions/1/sheets/JS.pdf",
]


def _alterations(p: Publication) -> dict[str, dict[str, Any]]:
    """What an intruder would change: who is honored, the meeting, the number, the figures."""
    results = {**p.results, "departments": [dict(d) for d in p.results["departments"]]}
    results["departments"][0]["total"] = "99.99"
    return {
        # a version's own honors column (kept by versions published before decisions were
        # engine input, empty since): filled in, the pages would announce it
        "honors": {"honors": {d["code"]: ["advanced"] for d in p.results["departments"]}},
        "meeting": {"meeting": "另一次会议"},
        "notice_number": {"notice_number": "常经信党〔2017〕99号"},
        "results": {"results": results},
    }


@pytest.mark.parametrize("what", ["honors", "meeting", "notice_number", "results"])
def test_an_altered_version_is_refused_on_every_page_and_export(
    world: World, unguarded: None, what: str
) -> None:
    # given a published version altered by SQL, the guards dropped
    p = published_world(world)
    alter(p, **_alterations(p)[what])
    # then every page showing it and every export of it says it was altered, naming it
    client = world.client(world.office)
    for url in SHOWN + EXPORTED:
        response = client.get(url)
        assert response.status_code == 409, url
        page = response.content.decode()
        assert ALTERED in page and "2016年第1版" in page, url
        assert p.seal[:16] in page, url


@pytest.mark.parametrize("what", ["honors", "meeting", "results", "login"])
def test_a_version_read_before_is_checked_again_once_altered(
    world: World, unguarded: None, what: str
) -> None:
    # given a published version read (and its seal checked: remembered by the process)
    p = published_world(world)
    client = world.client(world.office)
    for url in SHOWN:
        assert client.get(url).status_code == 200, url
    # when its row is altered by SQL (or the login its seal names is renamed)
    if what == "login":
        User = type(world.party)
        User.objects.filter(pk=world.party.pk).update(username="someone-else")
    else:
        alter(p, **_alterations(p)[what])
    # then the next reads check it again, and refuse it
    for url in SHOWN + EXPORTED:
        response = client.get(url)
        assert response.status_code == 409, url
        assert ALTERED in response.content.decode(), url


def test_the_detection_is_audited_once_per_version_and_seal(world: World, unguarded: None) -> None:
    p = published_world(world)
    alter(p, meeting="另一次会议")
    client = world.client(world.head_js)
    for url in SHOWN:
        client.get(url)
    events = AuditEvent.objects.filter(action="seal_breach_record")
    assert events.count() == 1
    event = events.get()
    assert event.target_id == str(p.pk) and event.actor == world.head_js
    assert event.after["version"] == 1 and event.after["stored"] == p.seal
    assert "2016年第1版在公布后被改动" in event.after["text"]
    # altered again, to something else: a second detection
    alter(p, meeting="第三次会议")
    client.get("/results/2016/")
    assert events.count() == 2


def _next_year(world: World) -> Any:
    year = make_year(2017, [world.js, world.xx, world.bg])
    hold_rounds(year)
    return year


def test_last_years_ranks_are_not_taken_from_an_altered_version(
    world: World, unguarded: None
) -> None:
    # given 2016 published, and 2017 ready, whose proposal takes 2016's ranks
    p = published_world(world)
    y2017 = _next_year(world)
    ranks = {d["code"]: d["rank"] for d in p.results["departments"]}
    assert year_proposal(y2017).bundle.previous_ranks == ranks
    # when 2016's version is altered
    alter(p, notice_number="常经信党〔2017〕99号")
    # then 2017's proposal uses no rank of it, and is blocked, saying why
    proposal = year_proposal(y2017)
    assert proposal.bundle.previous_ranks == {} and proposal.previous is None
    response = world.client(world.office).get("/results/2017/proposal/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "去年的名次不予采用" in page and "2016年第1版" in page
    with pytest.raises(ValidationError, match="Last year|去年"):
        publication_confirm(
            by=world.party,
            year=y2017,
            digest=proposal.digest,
            decisions=proposal.bundle.decisions,
            meeting="党组会",
        )
    assert AuditEvent.objects.filter(action="seal_breach_record").count() == 1


def test_an_altered_earlier_version_breaks_the_chain(world: World, unguarded: None) -> None:
    # given versions 1 and 2, and version 1 altered
    first, _second = corrected_world(world)
    alter(first, meeting="另一次会议")
    # then the current version is not served either: the chain it stands on is broken
    page = world.client(world.office).get("/results/2016/")
    assert page.status_code == 409 and "2016年第1版在公布后被改动" in page.content.decode()


def test_an_earlier_version_altered_and_resealed_breaks_the_next_link(
    world: World, unguarded: None
) -> None:
    # given version 1 altered, and sealed again by whoever altered it
    first, _second = corrected_world(world)
    alter(first, meeting="另一次会议")
    first.refresh_from_db()
    alter(first, seal=SEAL_V1.seal(first))
    # then version 1 holds on its own, but version 2 was sealed after version 1's old seal
    assert version_for(world.year, 1) == first
    with pytest.raises(SealBroken) as broken:
        version_for(world.year, 2)
    assert [(p.number, p.kind) for p in broken.value.problems] == [(2, "link")]
    page = world.client(world.office).get("/results/2016/").content.decode()
    assert "2016年的版本链在第2版处断开" in page
