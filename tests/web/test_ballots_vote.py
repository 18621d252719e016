"""The voter's page: one ballot per code, everything checked on the server, nothing leaked."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import models
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.ballots import actions
from kaohe.ballots.models import Ballot, BallotCode, Round
from kaohe.ballots.validation import PREFIX
from kaohe.core.codes import code_display, code_normalise
from tests.web.ballots_support import ballot_data, issue, open_round, post_ballot, set_options

pytestmark = pytest.mark.django_db


GOOD = {"JS": "excellent", "XX": "good", "BG": "fair"}


@pytest.fixture
def voting(world: Any) -> tuple[Round, list[str]]:
    round = open_round(world)
    codes = issue(world, round)
    return round, codes["中层正职"] + codes["中层副职"]


def used(code: str) -> bool:
    row = actions.code_find(code)
    assert row is not None
    return row.used


# --- the happy path -------------------------------------------------------------------------


def test_the_code_page_reads_the_code_from_the_fragment_only(client: Client) -> None:
    body = client.get("/v/").content.decode()
    assert 'name="code"' in body and 'method="post"' in body
    # one script of the site's own (no CDN, no bundle), a file as the Content-Security-Policy asks
    assert body.count("<script") == 1 and '<script src="/static/ballots/vote.js" defer>' in body
    script = finders.find("ballots/vote.js")
    assert script and "location.hash" in Path(script).read_text(encoding="utf-8")


def test_a_code_shows_the_rounds_departments_and_grades(
    client: Client, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    response = client.post("/v/", {"code": codes[0], "step": "code"})
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("技术进步处", "信息化推进处", "办公室", "优秀", "良好", "一般", "较差", "弃权"):
        assert name in body
    assert f'name="{PREFIX}JS"' in body


def test_review_then_submit_stores_one_ballot_and_thanks(
    client: Client, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    review = post_ballot(client, round, GOOD, codes[0], step="review")
    assert review.status_code == 200 and "核对选票" in review.content.decode()
    assert not used(codes[0])
    response = post_ballot(client, round, GOOD, codes[0])
    assert response.status_code == 302 and response["Location"] == "/v/thanks/"
    assert "感谢参与" in client.get("/v/thanks/").content.decode()
    ballot = Ballot.objects.get()
    assert ballot.grades == GOOD and ballot.group == "中层正职" and ballot.round == round
    assert used(codes[0])


def test_abstentions_are_left_out_and_all_abstain_is_a_blank_ballot(
    client: Client, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    post_ballot(client, round, {"JS": "good"}, codes[0])
    post_ballot(client, round, {}, codes[1])
    assert sorted(map(len, Ballot.objects.values_list("grades", flat=True))) == [0, 1]


def test_a_typed_code_is_forgiven_case_dashes_and_look_alikes(
    client: Client, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    typed = code_display(codes[0]).lower().replace("0", "o").replace("1", "l")
    assert code_normalise(typed) == codes[0]
    assert post_ballot(client, round, GOOD, typed).status_code == 302


def test_the_same_code_again_is_already_submitted_and_stores_nothing(
    client: Client, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    post_ballot(client, round, GOOD, codes[0])
    again = client.post("/v/", {"code": codes[0], "step": "code"})
    replay = post_ballot(client, round, {"JS": "poor"}, codes[0])
    for response in (again, replay):
        assert response.status_code == 200
        assert "已经提交" in response.content.decode()
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().grades == GOOD


# --- tampering: refused, the code stays unused ---------------------------------------------

TAMPERED = {
    "another round's department": lambda d: {**d, f"{PREFIX}ZZ": "good"},
    "a missing department": lambda d: {k: v for k, v in d.items() if k != f"{PREFIX}XX"},
    "an empty choice": lambda d: {**d, f"{PREFIX}XX": ""},
    "an unknown grade": lambda d: {**d, f"{PREFIX}JS": "outstanding"},
    "a grade's display name": lambda d: {**d, f"{PREFIX}JS": "优秀"},
    "a group field": lambda d: {**d, "group": "委领导"},
    "a weight field": lambda d: {**d, "weight": "2"},
    "a grades field": lambda d: {**d, "grades": '{"JS": "excellent"}'},
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_ballot_is_refused_and_the_code_stays_unused(
    client: Client, voting: tuple[Round, list[str]], tamper: Any
) -> None:
    round, codes = voting
    response = client.post("/v/", tamper(ballot_data(round, GOOD, codes[0])))
    assert response.status_code == 400
    assert 'class="problems"' in response.content.decode()
    assert Ballot.objects.count() == 0
    assert not used(codes[0])
    assert post_ballot(client, round, GOOD, codes[0]).status_code == 302


def test_a_department_given_twice_is_refused(
    client: Client, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    body = "&".join(f"{k}={v}" for k, v in ballot_data(round, GOOD, codes[0]).items())
    body += f"&{PREFIX}JS=poor"
    response = client.post("/v/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert Ballot.objects.count() == 0 and not used(codes[0])


def test_a_department_the_kind_does_not_rate_is_refused(client: Client, world: Any) -> None:
    round = open_round(world, kind="style", groups=[("企业代表", 3)])
    code = issue(world, round)["企业代表"][0]
    assert [d["code"] for d in round.departments] == ["JS", "XX"]  # BG is a general department
    data = {**ballot_data(round, {"JS": "good"}, code), f"{PREFIX}BG": "good"}
    assert client.post("/v/", data).status_code == 400
    assert not used(code)


def test_the_action_itself_refuses_invalid_grades(voting: tuple[Round, list[str]]) -> None:
    from django.core.exceptions import ValidationError

    round, codes = voting
    for grades in ({"ZZ": "good"}, {"JS": "outstanding"}):
        with pytest.raises(ValidationError):
            actions.ballot_submit(code=codes[0], grades=grades)
    assert not used(codes[0])


def test_the_excellent_share_option_is_enforced_without_using_the_code(
    client: Client, world: Any
) -> None:
    set_options(world.year, excellent_max_share="0.5")
    round = open_round(world)
    code = issue(world, round)["中层正职"][0]
    too_many = post_ballot(
        client, round, {"JS": "excellent", "XX": "excellent", "BG": "good"}, code
    )
    assert too_many.status_code == 400
    assert "最多只能有 1 个" in too_many.content.decode()
    assert not used(code)
    # One excellent of the two departments graded (BG abstains) is within half.
    assert post_ballot(client, round, {"JS": "excellent", "XX": "good"}, code).status_code == 302


def test_an_unknown_step_is_refused(client: Client, voting: tuple[Round, list[str]]) -> None:
    round, codes = voting
    assert post_ballot(client, round, GOOD, codes[0], step="commit").status_code == 400
    assert not used(codes[0])


# --- refused codes: one generic message (the throttle: test_ballots_throttle.py) ----------


def refusal(response: Any) -> str:
    assert response.status_code == 403
    return re.sub(r"\s+", " ", response.content.decode().split('role="alert">')[1].split("<")[0])


def test_unknown_revoked_and_closed_round_codes_get_one_generic_refusal(
    client: Client, world: Any, voting: tuple[Round, list[str]]
) -> None:
    round, codes = voting
    actions.code_revoke(by=world.office, round=round, numbers="2")
    unknown = refusal(post_ballot(client, round, GOOD, "Z" * 28))
    garbage = refusal(post_ballot(client, round, GOOD, "not a code"))
    revoked = refusal(post_ballot(client, round, GOOD, codes[1]))
    actions.round_close(by=world.office, round=round)
    closed = refusal(post_ballot(client, round, GOOD, codes[2]))
    assert unknown == garbage == revoked == closed
    assert Ballot.objects.count() == 0


def test_the_ballot_form_carries_a_csrf_token_and_needs_it(
    voting: tuple[Round, list[str]],
) -> None:
    round, codes = voting
    client = Client(enforce_csrf_checks=True)
    page = client.get("/v/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    assert post_ballot(client, round, GOOD, codes[0]).status_code == 403  # no token
    data = {**ballot_data(round, GOOD, codes[0]), "csrfmiddlewaretoken": token.group(1)}
    assert client.post("/v/", data).status_code == 302


# --- anonymity ------------------------------------------------------------------------------


def test_ballots_carry_no_time_and_no_link_to_codes_users_or_sessions() -> None:
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "round", "group", "grades"}
    assert isinstance(fields["id"], models.UUIDField)
    assert not any(
        isinstance(f, models.DateField | models.TimeField | models.DurationField)
        for f in fields.values()
    )
    related = {f.related_model for f in Ballot._meta.get_fields() if f.is_relation}
    assert related == {Round}
    code_fields = BallotCode._meta.get_fields()
    assert not any(isinstance(f, models.DateField | models.TimeField) for f in code_fields)
    assert Ballot not in {f.related_model for f in code_fields if f.is_relation}


def test_ballot_ids_are_random(client: Client, voting: tuple[Round, list[str]]) -> None:
    round, codes = voting
    for code in codes[:4]:
        post_ballot(client, round, GOOD, code)
    ids = sorted(Ballot.objects.values_list("id", flat=True))
    assert all(i.version == 4 for i in ids)


def test_nothing_audited_or_logged_links_a_code_to_a_ballot(
    client: Client, world: Any, voting: tuple[Round, list[str]], caplog: Any
) -> None:
    round, codes = voting
    caplog.set_level(logging.DEBUG)
    client.post("/v/", {"code": codes[0], "step": "code"})
    post_ballot(client, round, {**GOOD, "JS": "nonsense"}, codes[0])  # refused: logs a 400
    post_ballot(client, round, GOOD, codes[0])
    post_ballot(client, round, GOOD, codes[0])
    post_ballot(client, round, GOOD, "Z" * 28)  # refused: logs a 403
    actions.round_close(by=world.office, round=round)
    ballot = Ballot.objects.get()
    digest = BallotCode.objects.get(used=True).digest
    secrets = {codes[0], code_display(codes[0]), codes[0].lower(), digest, str(ballot.id)}
    events = " ".join(
        f"{e.action} {e.target_id} {e.before} {e.after}" for e in AuditEvent.objects.all()
    )
    assert not any(s in events for s in secrets)
    assert not any(s in caplog.text for s in secrets - {str(ballot.id)})
    assert "Bad Request: /v/" in caplog.text  # the request loggers were indeed captured
    assert not AuditEvent.objects.filter(target_type="ballot").exists()


@pytest.mark.django_db(transaction=True)
def test_the_code_never_reaches_the_access_log(
    world: Any, live_server: Any, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from http.client import HTTPConnection
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode, urlsplit

    from django.core.servers.basehttp import WSGIRequestHandler
    from django.test.testcases import QuietWSGIRequestHandler

    # The live server is quiet by default; give it runserver's access log (logger django.server).
    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    caplog.set_level(logging.DEBUG)
    round = open_round(world)
    code = issue(world, round)["中层正职"][0]
    host = urlsplit(live_server.url)
    http = HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=10)

    def request(method: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": cookies, "Referer": live_server.url + "/v/"} if data else {}
        body = urlencode({**(data or {}), "csrfmiddlewaretoken": token}) if data else None
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        http.request(method, "/v/", body=body, headers=headers)
        response = http.getresponse()
        return response.status, response.read().decode()

    cookies, token = "", ""
    http.request("GET", "/v/")  # what a browser asks for /v/#CODE: the fragment stays behind
    first = http.getresponse()
    jar = SimpleCookie(first.getheader("Set-Cookie"))
    cookies = f"csrftoken={jar['csrftoken'].value}"
    page = first.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert request("POST", {"code": code, "step": "code"})[0] == 200
    assert request("POST", {**ballot_data(round, GOOD, code), "step": "review"})[0] == 200
    assert request("POST", {**ballot_data(round, {"JS": "bad"}, code)})[0] == 400
    assert request("POST", ballot_data(round, GOOD, code))[0] == 302
    assert request("POST", ballot_data(round, GOOD, code))[0] == 200  # already submitted
    assert request("POST", ballot_data(round, GOOD, "Z" * 28))[0] == 403
    http.close()
    access = [r.getMessage() for r in caplog.records if r.name == "django.server"]
    assert '"POST /v/ HTTP/1.1" 302 0' in access and len(access) == 7
    for form in (code, code_display(code), code.lower()):
        assert form not in caplog.text
