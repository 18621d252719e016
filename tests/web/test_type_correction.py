"""Department types lock once the year's rounds open; a change is then a recorded correction
with a preview computed by the engine (issue 10, point 1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kaohe.assessment.actions import AssessedRow, year_departments_set
from kaohe.assessment.type_correction import department_type_correct, type_correction_preview
from kaohe.audit.models import AuditEvent
from kaohe.ballots.models import Ballot
from kaohe.results.selectors import live_year
from kaohe.years.models import YearDepartment
from tests.web.conftest import World
from tests.web.results_support import hold_rounds, publish

pytestmark = pytest.mark.django_db

URL = "years:department_type_correct"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _rows(world: World, **types: str) -> list[AssessedRow]:
    return [
        AssessedRow(a.department, True, types.get(a.department.code, a.type), a.previous_rank)
        for a in world.year.assessed.select_related("department")
    ]


def _js(world: World) -> YearDepartment:
    return world.year.assessed.select_related("department").get(department=world.js)


def test_types_change_freely_before_any_round_opens(world: World) -> None:
    year_departments_set(by=world.office, year=world.year, rows=_rows(world, JS="general"))
    assert _js(world).type == "general"


def test_once_a_round_opened_the_departments_page_refuses_a_type_change(world: World) -> None:
    hold_rounds(world.year)
    with pytest.raises(ValidationError, match="类型已锁定") as refused:
        year_departments_set(by=world.office, year=world.year, rows=_rows(world, JS="general"))
    assert "技术进步处" in refused.value.messages[0]
    assert "更正" in refused.value.messages[0]
    assert _js(world).type == "service"
    # ranks and the other choices still save while the types stay
    year_departments_set(by=world.office, year=world.year, rows=_rows(world))


def test_the_preview_shows_the_engines_totals_and_saving_gives_them(world: World) -> None:
    hold_rounds(world.year)
    # JS rated excellent in the style round only: as a comprehensive department it has none
    Ballot.objects.filter(round__kind="style").update(grades={"JS": "excellent", "XX": "good"})
    before = live_year(world.year, trail=False).results.get("JS").total
    preview = type_correction_preview(year=world.year, department=_js(world), new_type="general")
    js = next(t for t in preview.totals if t.code == "JS")
    assert js.before == before
    assert js.after != js.before
    # the style round rates service departments only: its points for JS go to 0
    assert any(r.before > 0 and r.after == 0 for r in preview.rounds)
    # of the four rounds, three give a comprehensive department other points (the leader's: 10 both)
    assert len(preview.rounds) == 3
    department_type_correct(
        by=world.office,
        year=world.year,
        department=_js(world),
        new_type="general",
        reason="定性有误",
    )
    assert live_year(world.year, trail=False).results.get("JS").total == js.after
    assert _js(world).type == "general"


def test_the_correction_needs_a_reason_and_is_recorded(world: World) -> None:
    hold_rounds(world.year)
    with pytest.raises(ValidationError, match="理由"):
        department_type_correct(
            by=world.office, year=world.year, department=_js(world), new_type="general", reason=" "
        )
    assert _js(world).type == "service"
    assert not AuditEvent.objects.filter(action="department_type_correct").exists()
    department_type_correct(
        by=world.office,
        year=world.year,
        department=_js(world),
        new_type="general",
        reason="定性有误",
    )
    event = AuditEvent.objects.get(action="department_type_correct")
    assert (event.before["type"], event.after["type"]) == ("service", "general")
    assert event.after["reason"] == "定性有误"
    assert event.department_code == "JS"
    assert "JS" in event.after["totals"]


def test_the_page_previews_then_confirms(world: World) -> None:
    hold_rounds(world.year)
    office = client_for(world.office)
    data = {"department": "JS", "new_type": "general", "reason": "定性有误"}
    page = office.post(reverse(URL, args=[2016]), data | {"preview": ""})
    assert page.status_code == 200
    text = page.content.decode()
    assert "技术进步处" in text and "确认更正" in text
    assert page.context["preview"] is not None
    assert _js(world).type == "service"
    done = office.post(reverse(URL, args=[2016]), data | {"confirm": ""})
    assert done.status_code == 302
    assert _js(world).type == "general"


def test_the_page_refuses_a_missing_reason_in_chinese(world: World) -> None:
    hold_rounds(world.year)
    office = client_for(world.office)
    data = {"department": "JS", "new_type": "general", "reason": "", "confirm": ""}
    page = office.post(reverse(URL, args=[2016]), data)
    assert page.status_code == 200
    assert "这个字段是必填项" in page.content.decode() or "必填" in page.content.decode()
    assert _js(world).type == "service"


def test_after_publication_the_preview_says_the_published_version_stays(world: World) -> None:
    hold_rounds(world.year)
    publish(world.year)
    office = client_for(world.office)
    data = {"department": "JS", "new_type": "general", "reason": "定性有误", "preview": ""}
    text = office.post(reverse(URL, args=[2016]), data).content.decode()
    assert "只改变实时计算" in text


def test_the_correction_is_the_assessment_offices(world: World) -> None:
    with pytest.raises(PermissionDenied):
        department_type_correct(
            by=world.clerk_zh,
            year=world.year,
            department=_js(world),
            new_type="general",
            reason="x",
        )
    assert _js(world).type == "service"
