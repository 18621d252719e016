"""The self-assessment form (考核自评表): the department fills it in; the proposal warns of missing ones."""

from __future__ import annotations

import importlib

import pytest
from django.http import HttpResponse
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.years.models import SelfAssessment
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


HEADER = {"filled_on": "2017-01-08", "head_name": "张处长"}


def url(code: str = "JS") -> str:
    return f"/years/2016/departments/{code}/self-assessment/"


def post(client: Client, **fields: str) -> HttpResponse:
    """The form posted with its header (填表日期， 处室负责人) and the given fields."""
    response: HttpResponse = client.post(url(), {**HEADER, **fields})
    return response


def test_the_head_submits_the_form_and_readers_see_it(world: World) -> None:
    # given the head of JS on the form, which lists the 18 items of the scheme
    client = world.client(world.head_js)
    page = client.get(url()).content.decode()
    assert "18、获先进集体、先进个人等荣誉" in page
    # when they submit self scores and notes
    response = post(client, score_1="19.8", note_1="半年度少报一次", score_17="10")
    # then it is stored, audited, and the office reads it
    assert response.status_code == 302
    form = SelfAssessment.objects.get(department=world.js)
    assert form.lines["1"] == {"score": "19.8", "note": "半年度少报一次"}
    assert form.lines["2"] == {"score": "", "note": ""}
    assert AuditEvent.objects.filter(action="self_assessment_submit", department_code="JS").exists()
    assert "半年度少报一次" in world.client(world.office).get(url()).content.decode()


def test_a_bad_score_is_refused_and_nothing_is_saved(world: World) -> None:
    response = post(world.client(world.liaison_js), score_1="abc", note_1="说明")
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
    post(world.client(world.head_js), score_1="20")
    body = world.client(world.office).get("/results/2016/proposal/").content.decode()
    warnings = body[body.index('id="warnings"') :]
    # one line for every department missing, with the count, each department named and linked
    assert warnings.count("尚未提交考核自评表") == 1
    assert "2 个处室尚未提交考核自评表:" in warnings
    for department in (world.xx, world.bg):
        link = f'href="/years/2016/departments/{department.code}/self-assessment/"'
        assert f"{link}>{department.name}</a>" in warnings
    assert "/JS/self-assessment/" not in warnings


# --- bounds, totals, revisions (issue 10.3) ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("score_1", "-5", "第 1 项“年度目标任务完成情况”：自评分应在 0 至 20 分之间。"),
        ("score_1", "100", "第 1 项“年度目标任务完成情况”：自评分应在 0 至 20 分之间。"),
        ("score_4", "10.5", "第 4 项“加强理论学习”：自评分应在 0 至 10 分之间。"),
        ("score_2", "1.234", "第 2 项“积极开展工作调研”：请填写 0 至 20 之间、最多两位小数的数。"),
        ("score_2", "NaN", "第 2 项“积极开展工作调研”：请填写 0 至 20 之间、最多两位小数的数。"),
        ("score_2", "１", "第 2 项“积极开展工作调研”：请填写 0 至 20 之间、最多两位小数的数。"),
    ],
)
def test_an_impossible_self_score_is_refused_with_its_bound(
    world: World, field: str, value: str, words: str
) -> None:
    client = world.client(world.head_js)
    post(client, score_1="18")
    response = post(client, **{field: value, "score_3": "1"})
    assert response.status_code == 200
    assert words in response.content.decode()
    form = SelfAssessment.objects.get(department=world.js)
    assert form.lines["1"]["score"] == "18" and form.lines["3"]["score"] == ""  # unchanged
    assert form.revisions.count() == 1


def test_a_category_over_its_points_is_refused(world: World) -> None:
    # given items of the 20-point 业务工作 adding up to 25
    response = post(world.client(world.head_js), score_1="20", score_2="3", score_3="2")
    body = response.content.decode()
    assert response.status_code == 200
    assert "业务工作的自评分合计 25 分，超过该类别的 20 分。" in body
    assert not SelfAssessment.objects.exists()


def test_the_head_and_the_date_are_required(world: World) -> None:
    client = world.client(world.head_js)
    body = client.post(url(), {"score_1": "20", "filled_on": "明天"}).content.decode()
    assert "请填写填表日期。" in body
    assert "请填写处室负责人。" in body
    future = {"filled_on": "2999-01-01", "head_name": "张处长"}
    assert "填表日期不能晚于今天。" in client.post(url(), future).content.decode()
    assert not SelfAssessment.objects.exists()


def test_the_page_shows_subtotals_and_the_total_out_of_the_scheme(world: World) -> None:
    client = world.client(world.head_js)
    post(client, score_1="18.5", score_2="1.25", score_4="9", score_17="10")
    body = client.get(url()).content.decode()
    assert 'data-subtotal="business" data-points="20">19.75</output> / 20' in body
    assert 'data-subtotal="capacity" data-points="10">9</output> / 10' in body
    assert "<output data-total>38.75</output> / 70" in body
    assert "years/self_assessment.js" in body
    assert "onclick" not in body and "oninput" not in body  # CSP: the script is a static file


def test_every_submission_is_a_revision_and_the_latest_is_shown(world: World) -> None:
    # when the head submits, then the liaison submits other scores
    post(world.client(world.head_js), score_1="20", note_1="首次")
    post(world.client(world.liaison_js), score_1="15", note_1="修改后", head_name="李处长")
    # then both are kept, with who and when, and the latest is the current one
    form = SelfAssessment.objects.get(department=world.js)
    first, second = form.revisions.order_by("number")
    assert (first.number, first.submitted_by, first.lines["1"]["score"]) == (1, world.head_js, "20")
    assert (second.number, second.submitted_by, second.lines["1"]["score"]) == (
        2,
        world.liaison_js,
        "15",
    )
    assert str(second.filled_on) == "2017-01-08" and second.head_name == "李处长"
    assert form.lines["1"]["note"] == "修改后"
    body = world.client(world.office).get(url()).content.decode()
    assert "修改后" in body and "首次" not in body
    history = body[body.index('id="revisions"') :]
    assert "第 2 次提交" in history and "第 1 次提交" in history
    assert history.index("第 2 次提交") < history.index("第 1 次提交")
    assert "李处长" in history and "张处长" in history


def test_the_migration_keeps_an_existing_form_as_its_revision_1(world: World) -> None:
    from django.apps import apps

    migration = importlib.import_module("kaohe.years.migrations.0004_self_assessment_revisions")
    form = SelfAssessment.objects.create(
        year=world.year,
        department=world.js,
        lines={"1": {"score": "19", "note": "旧表"}},
        submitted_by=world.head_js,
    )
    migration.forms_as_first_revisions(apps, None)
    (first,) = form.revisions.all()
    assert (first.number, first.lines, first.submitted_by) == (1, form.lines, world.head_js)
    assert first.submitted_at == form.submitted_at
