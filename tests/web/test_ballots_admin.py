"""Django's admin shows no ballot of an open round (that would be a partial result)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kaohe.ballots.models import Ballot, Round, RoundStatus
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def test_admin_lists_ballots_of_closed_rounds_only(world: World) -> None:
    open_round = Round.objects.create(
        year=world.year, kind="democratic", period="H1", status=RoundStatus.OPEN
    )
    closed = Round.objects.create(
        year=world.year, kind="leader", period="year", status=RoundStatus.CLOSED
    )
    hidden = Ballot.objects.create(round=open_round, grades={"JS": "good"})
    shown = Ballot.objects.create(round=closed, grades={"JS": "excellent"})
    get_user_model().objects.create_superuser("root", "root@example.org", "pw-123-root")
    client = Client()
    assert client.login(username="root", password="pw-123-root")
    body = client.get("/admin/ballots/ballot/").content.decode()
    assert str(shown.id) in body
    assert str(hidden.id) not in body
    assert client.get(f"/admin/ballots/ballot/{hidden.id}/change/").status_code in (302, 404)
