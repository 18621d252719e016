"""Hypothesis posts what a page never expects: the batch workbook and the voter's page (issue 14.6).

Never a 500, never a partial write: a batch is saved whole (every row an entry, counted on its
batch) or not at all, and a code is used exactly when its ballot is stored. Each example runs in a
transaction rolled back after it, so examples do not see each other's writes. The bundle reader's
fuzzing is in tests/web/test_import_fuzz.py.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kaohe.ballots.models import Ballot, BallotCode, Round
from kaohe.ballots.validation import ABSTAIN, PREFIX
from kaohe.ledger.models import Batch, Entry
from tests.web.ballots_support import GRADES, issue, open_round
from tests.web.conftest import World

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAGE_STATUSES = {200, 302, 400, 403, 404, 413, 429}


def rolled_back(act: Any) -> None:
    with transaction.atomic():
        act()
        transaction.set_rollback(True)


# --- the batch workbook -----------------------------------------------------------------------

# openpyxl refuses control characters in cells (they cannot be stored in xlsx at all)
cell_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("=+-@\t"), max_size=40
)
cells = st.one_of(
    st.none(),
    cell_text,
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
    st.sampled_from(["JS", "XX", "BG", "ZZ", "js", " JS "]),
    st.sampled_from(
        ["1.report_missed", "1.target_unmet", "3.info_shortfall", "4.study_absence", "9.x"]
    ),
    st.sampled_from(["上半年", "下半年", "全年", "明年", "H1"]),
    st.sampled_from(["1", "2", "0", "-1", "1.5", "999", "1000", "两次", "JS甲", "JS甲、XX甲"]),
)
GOOD_ROWS = [
    ["JS", "1.report_missed", "上半年", 2, None, None, None, None, "半年度报告未报"],
    ["BG", "3.info_shortfall", "下半年", None, 1, None, None, None, "少报信息"],
    ["JS", "1.target_unmet", "全年", 1, None, None, None, None, '=HYPERLINK("x")'],
]
# Good rows among them, so that some files are offered for confirmation and saved.
rows = st.lists(st.one_of(st.lists(cells, max_size=11), st.sampled_from(GOOD_ROWS)), max_size=6)


@pytest.fixture
def template_bytes(world: World) -> bytes:
    response = world.client(world.clerk_zh).get("/ledger/2016/batch/template.xlsx?office=ZH")
    assert response.status_code == 200
    return bytes(response.content)


def workbook(template: bytes, lines: list[list[Any]]) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    for line in lines:
        wb.worksheets[0].append(line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def batch_round(c: Client, content: bytes) -> None:
    """Upload the file, confirm it if a confirmation is offered; check the invariants on the way."""
    upload = SimpleUploadedFile("批量.xlsx", content)
    response = c.post("/ledger/2016/batch/", {"office": "ZH", "file": upload})
    assert response.status_code in PAGE_STATUSES, response.status_code
    assert not Entry.objects.exists()  # the upload only shows what would be saved
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    if found:
        action = c.post("/ledger/2016/batch/", {"token": found.group(1), "action": "draft"})
        assert action.status_code in PAGE_STATUSES, action.status_code
    event(f"entries saved: {Entry.objects.count()}")
    saved = Batch.objects.aggregate(n=Sum("entry_count"))["n"] or 0
    assert Entry.objects.count() == saved
    assert Batch.objects.count() <= 1


@FUZZ
@given(lines=rows)
def test_any_batch_workbook_is_saved_whole_or_not_at_all(
    world: World, template_bytes: bytes, lines: list[list[Any]]
) -> None:
    c = world.client(world.clerk_zh)
    rolled_back(lambda: batch_round(c, workbook(template_bytes, lines)))


@FUZZ
@given(content=st.binary(max_size=3000), cut=st.integers(0, 6000))
def test_any_bytes_posted_as_a_batch_workbook_are_refused_or_read(
    world: World, template_bytes: bytes, content: bytes, cut: int
) -> None:
    c = world.client(world.clerk_zh)
    good = workbook(template_bytes, [["JS", "1.report_missed", "上半年", 1]])
    for attempt in (content, good[:cut], good[:cut] + content):
        rolled_back(lambda attempt=attempt: batch_round(c, attempt))


# --- the voter's page -------------------------------------------------------------------------


@pytest.fixture
def voting(world: World) -> tuple[Round, list[str]]:
    round = open_round(world)
    codes = issue(world, round)
    return round, codes["中层正职"] + codes["中层副职"]


choice = st.one_of(
    st.sampled_from([*GRADES, ABSTAIN]),
    st.text(max_size=12),
    st.sampled_from(["", "EXCELLENT", "优秀"]),
)


@st.composite
def forms(draw: st.DrawFn, codes: list[str], departments: list[str]) -> dict[str, Any]:
    code = draw(
        st.one_of(
            st.sampled_from(codes),
            st.sampled_from(codes).map(lambda c: c.lower().replace("-", " ")),
            st.sampled_from(codes).map(lambda c: c[:-1]),
            st.text(max_size=40),
        )
    )
    form: dict[str, Any] = {"code": code}
    step = draw(
        st.one_of(
            st.sampled_from(["code", "review", "submit", "edit"]), st.text(max_size=8), st.none()
        )
    )
    if step is not None:
        form["step"] = step
    # half the forms start as a whole ballot (every department graded) and are then changed
    if draw(st.booleans()):
        form.update({PREFIX + d: draw(st.sampled_from([*GRADES, ABSTAIN])) for d in departments})
    for d in [*departments, "ZZ", "js"]:
        if draw(st.integers(0, 3)) == 0:
            value = draw(st.one_of(choice, st.lists(choice, min_size=2, max_size=3)))
            form[PREFIX + d] = value
    for key, value in draw(
        st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3)
    ).items():
        form.setdefault(key, value)
    return form


def votes_hold() -> None:
    """A code is used exactly when a ballot is stored; every ballot holds known grades only."""
    assert BallotCode.objects.filter(used=True).count() == Ballot.objects.count()
    for ballot in Ballot.objects.all():
        assert set(ballot.grades.values()) <= set(GRADES)
        assert set(ballot.grades) <= {"JS", "XX", "BG"}


@FUZZ
@given(data=st.data())
def test_any_form_posted_to_the_voters_page_is_answered_and_stores_a_whole_ballot_or_nothing(
    client: Client, voting: tuple[Round, list[str]], data: st.DataObject
) -> None:
    round, codes = voting
    departments = [d["code"] for d in round.departments]

    def posts() -> None:
        for form in data.draw(st.lists(forms(codes, departments), min_size=1, max_size=4)):
            response = client.post("/v/", form)
            assert response.status_code in PAGE_STATUSES, (response.status_code, form)
            votes_hold()
            event(f"ballots stored: {Ballot.objects.count()}")

    rolled_back(posts)
