"""Objections raised in the publicity (公示异议): who may raise them, and the assessment office's
answer the objector reads (issue 10.9)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.results.actions import adjustment_record
from kaohe.results.models import Publication, PublicityObjection
from tests.web.conftest import World
from tests.web.results_support import publish
from tests.web.seal_support import published_world

pytestmark = pytest.mark.django_db

URL = "/results/2016/objections/"


def in_publicity(world: World) -> Publication:
    today = timezone.localdate()
    return published_world(
        world,
        publicity_start=today - datetime.timedelta(days=1),
        publicity_end=today + datetime.timedelta(days=5),
    )


def raised(world: World, text: str = "民主测评票数有误") -> PublicityObjection:
    world.client(world.head_js).post(URL, {"department": world.js.pk, "text": text})
    return PublicityObjection.objects.get(text=text)


def answer_url(objection: PublicityObjection) -> str:
    return f"/results/2016/objections/{objection.pk}/answer/"


def test_the_page_says_exactly_who_may_object(world: World) -> None:
    in_publicity(world)
    body = world.client(world.liaison_js).get("/results/2016/").content.decode()
    assert "本委机关的每一个账号均可在此对公示结果提出异议" in body
    assert "任何人" not in body
    # every account of the organ may object: a department member, a clerk, a leader
    for user in (world.liaison_js, world.clerk_zh, world.leader):
        assert world.client(user).post(URL, {"text": "异议"}).status_code == 302
    assert PublicityObjection.objects.count() == 3
    # an account with no role in the organ may not
    assert world.client(world.outsider).post(URL, {"text": "异议"}).status_code == 403


def test_the_office_answers_and_the_objector_reads_the_answer(world: World) -> None:
    in_publicity(world)
    objection = raised(world)
    office = world.client(world.office)
    page = office.get(URL).content.decode()
    assert f'action="{answer_url(objection)}"' in page
    response = office.post(
        answer_url(objection), {"status": "replied", "answer": "经核对，票数无误"}
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.answered_by) == ("replied", world.office)
    assert AuditEvent.objects.filter(action="publicity_objection_answer").count() == 1
    mine = world.client(world.head_js).get("/results/2016/").content.decode()
    section = mine[mine.index('id="my-objections"') :]
    assert "民主测评票数有误" in section and "经核对，票数无误" in section and "已答复" in section
    # someone else does not see it on their page
    assert (
        "经核对，票数无误" not in world.client(world.head_xx).get("/results/2016/").content.decode()
    )
    # and it is answered once
    again = office.post(answer_url(objection), {"status": "rejected", "answer": "改"})
    assert again.status_code == 403
    objection.refresh_from_db()
    assert objection.status == "replied"


def test_a_bad_answer_is_refused_and_changes_nothing(world: World) -> None:
    in_publicity(world)
    objection = raised(world)
    office = world.client(world.office)
    for data, words in [
        ({"status": "replied", "answer": " "}, "请填写答复内容"),
        ({"status": "open", "answer": "答复"}, "请选择答复方式"),
        ({"status": "upheld", "answer": "采纳"}, "采纳异议须通过更正版本"),
        ({"status": "upheld", "answer": "采纳", "correction": "1"}, "采纳异议须通过更正版本"),
    ]:
        response = office.post(answer_url(objection), data, follow=True)
        assert words in response.content.decode()
        objection.refresh_from_db()
        assert objection.status == "open" and objection.answer == ""
    # only the office answers; the party group reads but does not answer; others never see it
    assert (
        world.client(world.party)
        .post(answer_url(objection), {"status": "replied", "answer": "x"})
        .status_code
        == 403
    )
    assert (
        world.client(world.head_js)
        .post(answer_url(objection), {"status": "replied", "answer": "x"})
        .status_code
        == 404
    )


def test_an_objection_is_upheld_through_a_correction_version(world: World) -> None:
    in_publicity(world)
    objection = raised(world)
    adjustment_record(
        by=world.office,
        year=world.year,
        department=world.js,
        amount=Decimal("1"),
        reason="党组研究加分",
        meeting="党组会",
    )
    corrected = publish(world.year, by=world.party)
    office = world.client(world.office)
    data = {"status": "upheld", "answer": "异议成立，已更正", "correction": str(corrected.number)}
    assert office.post(answer_url(objection), data).status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.correction == corrected
    mine = world.client(world.head_js).get("/results/2016/versions/1/").content.decode()
    section = mine[mine.index('id="my-objections"') :]
    assert "异议成立，已更正" in section and 'href="/results/2016/versions/2/"' in section
