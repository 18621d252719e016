"""The results pages: published results for all staff, trails, versions, objections, charts,
adjustments and vetoes with their files, across years."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.results.actions import adjustment_record, adjustment_remove, veto_record, veto_remove
from kaohe.results.models import Adjustment, Attachment, PublicityObjection, PublishedChart, Veto
from tests.web.conftest import World
from tests.web.results_support import Demo, demo_fixture, demo_year, hold_rounds, publish  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("party", 200),
        ("head_js", 200),
        ("liaison_js", 200),
        ("clerk", 200),
        ("outsider", 403),
    ],
)
def test_the_published_results_are_for_everyone_with_a_role(
    demo: Demo, persona: str, status: int
) -> None:
    publish(demo.year, by=demo.party)
    response = demo.client(getattr(demo, persona)).get("/results/2016/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "先进处室" in page and "信息化推进处" in page and "分类得分" in page


def test_anonymous_visitors_are_sent_to_log_in(demo: Demo) -> None:
    from django.test import Client

    assert Client().get("/results/2016/")["Location"].startswith("/login/")


def test_a_department_head_sees_the_trail_of_their_own_department_only(demo: Demo) -> None:
    publish(demo.year, by=demo.party)
    head = demo.client(demo.head_js).get("/results/2016/").content.decode()
    assert 'id="trail-JS"' in head and 'id="trail-XXH"' not in head
    clerk = demo.client(demo.clerk).get("/results/2016/").content.decode()
    assert 'id="trail-' not in clerk
    office = demo.client(demo.office).get("/results/2016/").content.decode()
    assert 'id="trail-JS"' in office and 'id="trail-XXH"' in office


def test_the_published_page_loads_each_trail_on_demand(demo: Demo) -> None:
    # given a published year read by the assessment office (every trail)
    publish(demo.year, by=demo.party)
    office = demo.client(demo.office)
    page = office.get("/results/2016/").content.decode()
    # then each department has a closed summary and a link to its fragment, no trail table
    trails = page.split('<section id="trails">')[1].split("</section>")[0]
    assert trails.count('class="trail"') == 20
    assert 'hx-get="/results/2016/versions/1/trails/JS/"' in trails
    assert "<table" not in trails
    # when a trail is opened, the fragment holds it, open, with its chart and sheet
    fragment = office.get("/results/2016/versions/1/trails/JS/").content.decode()
    assert 'id="trail-JS" open' in fragment and "<table" in fragment and "<html" not in fragment
    assert "/results/2016/versions/1/charts/profile-JS.png" in fragment
    assert office.get("/results/2016/versions/1/trails/NOPE/").status_code == 404
    # a head sees their own trail open on the page, and no other department's fragment
    head = demo.client(demo.head_js)
    own = head.get("/results/2016/").content.decode()
    assert 'id="trail-JS" open' in own and "<table" in own.split('id="trail-JS"')[1]
    assert head.get("/results/2016/versions/1/trails/XXH/").status_code == 404
    # and the page stays small: the trails are not in it
    assert len(page) < 4 * len(page.split('<section id="trails">')[0])


def test_an_unpublished_year_says_so(demo: Demo) -> None:
    page = demo.client(demo.head_js).get("/results/2016/").content.decode()
    assert "尚未公布" in page


def test_the_published_page_takes_a_constant_number_of_queries(
    demo: Demo, django_assert_max_num_queries: object
) -> None:
    publish(demo.year, by=demo.party)
    client = demo.client(demo.office)
    client.get("/results/2016/")
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        assert client.get("/results/2016/").status_code == 200


def test_charts_are_rendered_once_and_served_as_stored(demo: Demo) -> None:
    publish(demo.year, by=demo.party)
    client = demo.client(demo.head_js)
    for name in ("ranking", "distribution", "rank_change", "profile-JS"):
        response = client.get(f"/results/2016/versions/1/charts/{name}.png")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")
    first = client.get("/results/2016/versions/1/charts/ranking.png").content
    assert PublishedChart.objects.filter(name="ranking").count() == 1
    assert client.get("/results/2016/versions/1/charts/ranking.png").content == first
    assert client.get("/results/2016/versions/1/charts/nonsense.png").status_code == 404


def test_versions_and_the_across_years_page(demo: Demo) -> None:
    y2015 = demo_year(2015)
    publish(y2015, by=demo.party)
    publish(demo.year, by=demo.party)
    client = demo.client(demo.head_js)
    assert "第1版" in client.get("/results/2016/versions/").content.decode()
    page = client.get("/results/across/").content.decode()
    assert "2015" in page and "2016" in page and "信息化推进处" in page
    assert page.count("第1版 · ") == 2  # each year names the version it shows
    assert client.get("/results/2016/versions/7/").status_code == 404


def test_objections_can_be_raised_during_the_publicity_period_for_the_office_to_see(
    demo: Demo,
) -> None:
    today = timezone.localdate()
    publish(
        demo.year,
        by=demo.party,
        publicity_start=today - datetime.timedelta(days=1),
        publicity_end=today + datetime.timedelta(days=5),
    )
    head = demo.client(demo.head_js)
    assert "提出异议" in head.get("/results/2016/").content.decode()
    response = head.post(
        "/results/2016/objections/", {"department": demo.js.pk, "text": "民主测评票数有误"}
    )
    assert response.status_code == 302
    objection = PublicityObjection.objects.get()
    assert objection.raised_by == demo.head_js and objection.publication.number == 1
    assert head.get("/results/2016/objections/").status_code == 403
    assert (
        "民主测评票数有误"
        in demo.client(demo.office).get("/results/2016/objections/").content.decode()
    )


def test_no_objection_outside_the_publicity_period(demo: Demo) -> None:
    today = timezone.localdate()
    publish(
        demo.year,
        by=demo.party,
        publicity_start=today - datetime.timedelta(days=9),
        publicity_end=today - datetime.timedelta(days=2),
    )
    head = demo.client(demo.head_js)
    assert "提出异议" not in head.get("/results/2016/").content.decode()
    assert head.post("/results/2016/objections/", {"text": "太晚了"}).status_code == 403
    assert not PublicityObjection.objects.exists()


def test_the_office_records_an_adjustment_with_its_file(world: World) -> None:
    client = world.client(world.office)
    upload = SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/results/2016/adjustments/",
        {
            "department": world.bg.pk,
            "amount": "-1.25",
            "reason": "党组研究减分",
            "meeting": "党组会(2017-01-20)",
            "documents": [upload],
        },
    )
    assert response.status_code == 302
    a = Adjustment.objects.get()
    assert a.amount == Decimal("-1.25") and a.ref == "2016-adj-1"
    file = Attachment.objects.get(adjustment=a)
    assert file.original_name == "纪要.pdf" and file.content_type == "application/pdf"
    event = AuditEvent.objects.get(action="adjustment_record")
    assert event.after["amount"] == "-1.25" and event.after["files"][0]["file"] == "纪要.pdf"
    # the file is for readers of everything only
    assert world.client(world.leader).get(f"/results/files/{file.pk}/").status_code == 200
    assert world.client(world.head_js).get(f"/results/files/{file.pk}/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused(world: World) -> None:
    upload = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = world.client(world.office).post(
        "/results/2016/adjustments/",
        {
            "department": world.bg.pk,
            "amount": "1",
            "reason": "r",
            "meeting": "m",
            "documents": [upload],
        },
    )
    assert response.status_code == 200 and not Adjustment.objects.exists()


@pytest.mark.parametrize("amount", ["0", "0.00001", "abc"])
def test_a_bad_adjustment_amount_is_refused(world: World, amount: str) -> None:
    response = world.client(world.office).post(
        "/results/2016/adjustments/",
        {"department": world.bg.pk, "amount": amount, "reason": "r", "meeting": "m"},
    )
    assert response.status_code == 200 and not Adjustment.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "party", "head_js", "clerk_zh"])
def test_only_the_office_records_adjustments_and_vetoes(world: World, persona: str) -> None:
    client = world.client(getattr(world, persona))
    data = {
        "department": world.bg.pk,
        "amount": "1",
        "reason": "criticised",
        "facts": "f",
        "meeting": "m",
    }
    assert client.post("/results/2016/adjustments/", data).status_code == 403
    assert client.post("/results/2016/vetoes/", data).status_code == 403
    assert not Adjustment.objects.exists() and not Veto.objects.exists()


def test_vetoes_are_recorded_and_removed_with_their_audit(world: World) -> None:
    client = world.client(world.office)
    response = client.post(
        "/results/2016/vetoes/",
        {"department": world.js.pk, "reason": "act_revoked", "facts": "行政复议被撤销"},
    )
    assert response.status_code == 302
    veto = Veto.objects.get()
    assert "行政复议被撤销" in client.get("/results/2016/vetoes/").content.decode()
    assert client.post(f"/results/2016/vetoes/{veto.pk}/remove/").status_code == 302
    assert not Veto.objects.exists()
    removed = AuditEvent.objects.get(action="veto_remove")
    assert removed.before["reason"] == "act_revoked" and removed.after is None


def test_adjustment_actions_are_audited_with_before_and_after(world: World) -> None:
    a = adjustment_record(
        by=world.office,
        year=world.year,
        department=world.js,
        amount=Decimal("2.5"),
        reason="加分",
        meeting="党组会",
    )
    adjustment_remove(by=world.office, adjustment=a)
    events = list(AuditEvent.objects.filter(target_type="adjustment").order_by("id"))
    assert [e.action for e in events] == ["adjustment_record", "adjustment_remove"]
    assert events[0].after["amount"] == "2.5" and events[1].before["amount"] == "2.5"
    v = veto_record(
        by=world.office, year=world.year, department=world.js, reason="criticised", facts="通报"
    )
    veto_remove(by=world.office, veto=v)
    assert AuditEvent.objects.filter(target_type="veto").count() == 2


def test_the_confirm_page_lists_blockers_with_links_and_offers_no_form(world: World) -> None:
    page = world.client(world.party).get("/results/2016/confirm/").content.decode()
    assert "尚不能确认" in page and 'id="confirm-form"' not in page
    hold_rounds(world.year)
    page = world.client(world.party).get("/results/2016/confirm/").content.decode()
    assert 'id="confirm-form"' in page


def test_a_version_whose_inputs_no_longer_give_its_figures_is_shown_as_published(
    demo: Demo,
) -> None:
    from kaohe.results.models import Publication
    from kaohe.results.seal import seal_publication

    # given a version whose stored figures differ from what its inputs compute (an engine
    # change), duly sealed when it was published
    good = publish(demo.year, by=demo.party)
    results = json.loads(json.dumps(good.results))
    results["departments"][0]["total"] = "999.99"
    changed = Publication(
        year=demo.year,
        number=2,
        bundle=good.bundle,
        digest=good.digest,
        results=results,
        honors=good.honors,
        decisions=good.decisions,
        reason="测试",
        confirmed_by=demo.party,
    )
    seal_publication(changed, previous=good)
    changed.save()
    client = demo.client(demo.office)
    # then its page shows the published figures with a warning, its charts still draw,
    page = client.get("/results/2016/").content.decode()
    assert "999.99" in page and "不一致" in page
    assert client.get("/results/2016/versions/2/charts/ranking.png").status_code == 200
    # and its exports are refused rather than made from other figures
    assert client.get("/results/2016/versions/2/notice.pdf").status_code == 409
    assert client.get("/results/2016/versions/2/results.xlsx").status_code == 409
