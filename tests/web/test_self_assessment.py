"""The self-assessment form (考核自评表): the department fills it in; the proposal warns of missing ones."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEvent
from kaohe.years.models import SelfAssessment
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def url(code: str = "JS") -> str:
    return f"/years/2016/departments/{code}/self-assessment/"


def test_the_head_submits_the_form_and_readers_see_it(world: World) -> None:
    # given the head of JS on the form, which lists the 18 items of the scheme
    client = world.client(world.head_js)
    page = client.get(url()).content.decode()
    assert "18、获先进集体、先进个人等荣誉" in page
    # when they submit self scores and notes
    response = client.post(url(), {"score_1": "19.8", "note_1": "半年度少报一次", "score_17": "12"})
    # then it is stored, audited, and the office reads it
    assert response.status_code == 302
    form = SelfAssessment.objects.get(department=world.js)
    assert form.lines["1"] == {"score": "19.8", "note": "半年度少报一次"}
    assert form.lines["2"] == {"score": "", "note": ""}
    assert AuditEvent.objects.filter(action="self_assessment_submit", department_code="JS").exists()
    assert "半年度少报一次" in world.client(world.office).get(url()).content.decode()


def test_a_bad_score_is_refused_and_nothing_is_saved(world: World) -> None:
    response = world.client(world.liaison_js).post(url(), {"score_1": "abc", "note_1": "说明"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "最多两位小数" in body
    assert "说明" in body  # what was typed stays in the form
    assert not SelfAssessment.objects.exists()


def test_only_the_department_fills_its_form(world: World) -> None:
    assert world.client(world.office).post(url(), {"score_1": "20"}).status_code == 403
    assert world.client(world.head_xx).get(url()).status_code == 404
    assert world.client(world.head_xx).post(url(), {"score_1": "20"}).status_code == 404
    assert world.client(world.clerk_zh).get(url()).status_code == 404
    assert not SelfAssessment.objects.exists()


def test_the_proposal_warns_of_missing_self_assessments(world: World) -> None:
    world.client(world.head_js).post(url(), {"score_1": "20"})
    body = world.client(world.office).get("/results/2016/proposal/").content.decode()
    warnings = body[body.index('id="warnings"') :]
    # one line for every department missing, with the count, each department named and linked
    assert warnings.count("尚未提交考核自评表") == 1
    assert "2 个处室尚未提交考核自评表:" in warnings
    for department in (world.xx, world.bg):
        link = f'href="/years/2016/departments/{department.code}/self-assessment/"'
        assert f"{link}>{department.name}</a>" in warnings
    assert "/JS/self-assessment/" not in warnings
