"""The assessment office's secret ballot on a range amount (seed §七, §八.2; issue 12.3)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client

from kaohe.access import ledger as ledger_access
from kaohe.audit.models import AuditEvent
from kaohe.core.models import InputsVersion
from kaohe.ledger import actions
from kaohe.ledger.models import Entry, OfficeMember, RangeVote, RangeVoteCast, RangeVoteCode
from tests.web.conftest import World
from tests.web.range_votes_support import cast, office, open_vote, pending

pytestmark = pytest.mark.django_db

# --- the office's members --------------------------------------------------------------------


def test_the_office_records_its_members_per_year_with_an_audit_row(world: World) -> None:
    office(world)
    members = OfficeMember.objects.filter(year=world.year)
    assert members.count() == 7
    assert members.get(directs=True).user == world.leader
    rows = AuditEvent.objects.filter(action="office_member_add")
    assert rows.count() == 7
    assert rows.filter(after__name="李主任", after__directs=True).exists()


@pytest.mark.parametrize("who", ["leader", "clerk_zh", "head_js", "sysadmin"])
def test_only_the_assessment_office_records_members(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.office_member_add(by=getattr(world, who), year=world.year, name="甲", post="处长")


def test_the_office_has_one_director_and_a_member_once(world: World) -> None:
    office(world, heads=1)
    with pytest.raises(ValidationError) as second:
        actions.office_member_add(
            by=world.office, year=world.year, name="王", post="处长", directs=True
        )
    assert "已有主任" in str(second.value)
    with pytest.raises(ValidationError) as again:
        actions.office_member_add(by=world.office, year=world.year, name="成员1", post="处长")
    assert "已是考核办成员" in str(again.value)
    assert OfficeMember.objects.filter(year=world.year).count() == 2


# --- opening -----------------------------------------------------------------------------------


def test_only_the_director_opens_a_vote(world: World) -> None:
    office(world)
    [entry] = pending(world)
    for user in (world.office, world.head_js, world.party):
        with pytest.raises(PermissionDenied):
            actions.range_vote_open(
                by=user, year=world.year, entries=[entry], step=Decimal("0.5"), meeting="会"
            )
    assert not RangeVote.objects.exists()


def test_opening_makes_one_code_per_member_printed_only_for_those_without_an_account(
    world: World,
) -> None:
    office(world, head_accounts={0: world.clerk_rs})
    vote, printed = open_vote(world, pending(world, 2))
    assert vote.members == 7 and vote.items.count() == 2
    assert len(printed) == 5  # the leader and 组织人事处's head vote from their accounts
    codes = RangeVoteCode.objects.filter(vote=vote)
    assert codes.count() == 7
    assert set(codes.exclude(holder=None).values_list("holder", flat=True)) == {
        world.leader.pk,
        world.clerk_rs.pk,
    }
    assert AuditEvent.objects.filter(action="range_vote_open", after__slips=5).exists()


@pytest.mark.parametrize(
    ("step", "meeting", "said"),
    [("0.3", "会议", "步长只能是 0.5 或 0.1"), ("0.5", " ", "请填写进行投票的会议")],
)
def test_a_vote_needs_a_step_of_half_or_tenth_and_its_meeting(
    world: World, step: str, meeting: str, said: str
) -> None:
    office(world)
    with pytest.raises(ValidationError) as refused:
        actions.range_vote_open(
            by=world.leader,
            year=world.year,
            entries=pending(world),
            step=Decimal(step),
            meeting=meeting,
        )
    assert said in str(refused.value)
    assert not RangeVote.objects.exists()


def test_only_pending_range_entries_go_to_a_vote_and_to_one_open_vote_at_a_time(
    world: World,
) -> None:
    from tests.web.factories import add_entry

    office(world)
    confirmed = add_entry(world.year, world.js, "1.target_unmet", amount=2, status="confirmed")
    fixed = add_entry(world.year, world.js, "1.report_missed", period="H1", status="submitted")
    for entry in (confirmed, fixed):
        with pytest.raises(ValidationError, match="只有已提交、待定分值的区间记录"):
            open_vote(world, [entry])
    [entry] = pending(world)
    open_vote(world, [entry])
    with pytest.raises(ValidationError, match="已在一场进行中的投票中"):
        open_vote(world, [entry])


def test_an_entry_under_an_open_vote_cannot_be_decided_otherwise(world: World) -> None:
    office(world)
    [entry] = pending(world)
    assert ledger_access.may_decide_entry(world.office, entry)
    open_vote(world, [entry])
    assert not ledger_access.may_decide_entry(world.office, entry)


# --- casting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["5.5", "0.5", "2.3", "两分", "NaN", ""])
def test_an_amount_outside_the_range_or_off_the_step_is_refused_in_chinese_and_nothing_is_written(
    world: World, amount: str
) -> None:
    office(world)
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry], step="0.5")
    with pytest.raises(ValidationError) as refused:
        cast(codes[0], {entry: amount})
    assert f"记录 {entry.ref}：分值须在 1 至 5 之间，并以 0.5 为步长。" in refused.value.messages
    assert not RangeVoteCast.objects.exists()
    assert not RangeVoteCode.objects.filter(used=True).exists()


def test_a_tenth_step_takes_tenths(world: World) -> None:
    office(world)
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry], step="0.1")
    assert cast(codes[0], {entry: "2.3"}) is actions.CastOutcome.ACCEPTED


def test_a_vote_names_every_entry_and_nothing_else(world: World) -> None:
    office(world)
    first, second = pending(world, 2)
    _vote, codes = open_vote(world, [first, second])
    with pytest.raises(ValidationError, match="每一条记录"):
        cast(codes[0], {first: "2"})
    row = actions.vote_code_find(codes[0])
    with pytest.raises(ValidationError):
        actions.range_vote_cast(
            code=row, amounts={str(first.pk): "2", str(second.pk): "3", "999": "1"}
        )
    assert not RangeVoteCast.objects.exists()


def test_a_code_casts_one_vote(world: World) -> None:
    office(world)
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry])
    assert cast(codes[0], {entry: "3"}) is actions.CastOutcome.ACCEPTED
    assert cast(codes[0], {entry: "1"}) is actions.CastOutcome.ALREADY_CAST
    assert RangeVoteCast.objects.count() == 1
    assert cast("0" * 28, {entry: "1"}) is actions.CastOutcome.REFUSED


def test_casting_writes_no_audit_row(world: World) -> None:
    office(world)
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry])
    before = AuditEvent.objects.count()
    cast(codes[0], {entry: "3"})
    assert AuditEvent.objects.count() == before


# --- no link at rest ---------------------------------------------------------------------------


def _columns(model: type) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(
            cursor,
            model._meta.db_table,  # type: ignore[attr-defined]
        )
    return {column.name for column in description}


def test_a_stored_vote_has_no_time_no_code_and_no_user(world: World) -> None:
    assert _columns(RangeVoteCast) == {"id", "vote_id", "amounts"}
    # the code: its keyed hash, used or not, the account it was delivered to; no time, no vote
    assert _columns(RangeVoteCode) == {"id", "vote_id", "number", "digest", "holder_id", "used"}


def test_nothing_stored_links_a_member_to_their_amounts(world: World) -> None:
    office(world, head_accounts={0: world.clerk_rs})
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry])
    cast(codes[0], {entry: "4"})
    [stored] = RangeVoteCast.objects.values()
    assert set(stored) == {"id", "vote_id", "amounts"}
    assert stored["amounts"] == {str(entry.pk): "4"}
    assert all(code not in str(stored) for code in codes)
    used = RangeVoteCode.objects.get(used=True)
    assert used.holder is None  # a slip: handed out at random


# --- closing -----------------------------------------------------------------------------------


def _vote_all(codes: list[str], entry: Entry, amounts: list[str]) -> None:
    for code, amount in zip(codes, amounts, strict=False):
        cast(code, {entry: amount})


def test_closing_decides_the_median_with_odd_votes_and_records_the_ballot(world: World) -> None:
    office(world)  # 7 members, all by slip (the director's own code is on their account)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry])
    _vote_all(codes, entry, ["2", "3", "5", "2.5", "abstain"])  # 5 of 7 voted; 4 amounts cast
    version = InputsVersion.objects.get(key=2016).version
    closing = actions.range_vote_close(by=world.leader, vote=vote)
    assert closing.valid and closing.voted == 5
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    assert entry.amount == Decimal("2.5")  # the lower of 2.5 and 3
    assert entry.decision_method == "ballot" and entry.decision_meeting == "考核办第3次会议"
    assert entry.decision_votes == {
        "members": 7,
        "voted": 5,
        "abstained": 1,
        "distribution": ["2 ×1", "2.5 ×1", "3 ×1", "5 ×1"],
        "step": "0.5",
    }
    assert InputsVersion.objects.get(key=2016).version > version
    decided = AuditEvent.objects.get(action="entry_decide", target_id=str(entry.pk))
    assert decided.after["decision_votes"]["voted"] == 5
    assert AuditEvent.objects.filter(action="range_vote_close", after__valid=True).exists()


def test_an_odd_number_of_amounts_takes_the_middle_one(world: World) -> None:
    office(world)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry], step="0.1")
    _vote_all(codes, entry, ["1.2", "4.8", "3.3", "abstain"])
    actions.range_vote_close(by=world.leader, vote=vote)
    entry.refresh_from_db()
    assert entry.amount == Decimal("3.3")


def test_too_few_votes_leave_the_entries_pending(world: World) -> None:
    office(world)  # 7 members: 4 are needed
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry])
    _vote_all(codes, entry, ["2", "3", "4"])
    closing = actions.range_vote_close(by=world.leader, vote=vote)
    assert not closing.valid and closing.pending == [entry]
    entry.refresh_from_db()
    assert entry.status == "submitted" and entry.amount is None
    vote.refresh_from_db()
    assert vote.status == "closed" and vote.outcome["valid"] is False
    assert ledger_access.may_decide_entry(world.office, entry)  # free again
    with pytest.raises(ValidationError, match="已经结束"):
        actions.range_vote_close(by=world.leader, vote=vote)


def test_an_entry_every_voter_abstained_on_stays_pending(world: World) -> None:
    office(world, heads=2)  # 3 members
    first, second = pending(world, 2)
    vote, codes = open_vote(world, [first, second])
    for code in codes[:2]:
        cast(code, {first: "4", second: "abstain"})
    closing = actions.range_vote_close(by=world.leader, vote=vote)
    assert [e.pk for e in closing.decided] == [first.pk]
    assert [e.pk for e in closing.pending] == [second.pk]


def test_a_closed_vote_takes_no_more_votes(world: World) -> None:
    office(world, heads=2)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry])
    cast(codes[0], {entry: "2"})
    cast(codes[1], {entry: "2"})
    actions.range_vote_close(by=world.leader, vote=vote)
    assert cast(codes[0], {entry: "2"}) is actions.CastOutcome.ALREADY_CAST
    assert RangeVoteCode.objects.filter(used=False).exists()  # the director's, unused
    assert RangeVoteCast.objects.count() == 2


def test_only_the_director_closes(world: World) -> None:
    office(world)
    vote, _codes = open_vote(world, pending(world))
    with pytest.raises(PermissionDenied):
        actions.range_vote_close(by=world.office, vote=vote)


# --- through the pages -------------------------------------------------------------------------


def test_the_whole_flow_through_the_pages(world: World) -> None:
    # the office records its members on their page
    clerk = world.client(world.office)
    url = "/ledger/2016/office-members/"
    data = {"name": "李主任", "post": "分管领导", "user": world.leader.pk, "directs": "on"}
    assert clerk.post(url, data).status_code == 302
    for i, user in enumerate([world.clerk_rs, None, None]):
        member = {"name": f"成员{i}", "post": "处长", "user": user.pk if user else ""}
        assert clerk.post(url, member).status_code == 302
    page = clerk.get(url).content.decode()
    assert "李主任" in page and "主任" in page and "凭纸条投票" in page
    [entry] = pending(world)
    # the director opens the vote: the slips' codes are shown once
    director = world.client(world.leader)
    hub = director.get("/years/2016/").content.decode()
    assert "/ledger/2016/range-votes/" in hub and "/ledger/range-votes/mine/" not in hub
    votes_page = director.get("/ledger/2016/range-votes/").content.decode()
    assert entry.ref in votes_page
    opened = director.post(
        "/ledger/2016/range-votes/open/",
        {"entries": [entry.pk], "step": "0.5", "meeting": "考核办第3次会议"},
    )
    assert opened.status_code == 200 and "no-store" in opened["Cache-Control"]
    codes = re.findall(r'class="vote-code">([0-9A-Z-]+)<', opened.content.decode())
    assert len(codes) == 2
    vote = RangeVote.objects.get()
    # two members vote with their slips, no login
    for code, amount in zip(codes, ["3", "4"], strict=True):
        visitor = Client()
        step = visitor.post("/ledger/range-vote/", {"code": code.lower()})
        assert step.status_code == 200 and f'name="a:{entry.pk}"' in step.content.decode()
        done = visitor.post(
            "/ledger/range-vote/", {"code": code, "step": "cast", f"a:{entry.pk}": amount}
        )
        assert "您的票已投出" in done.content.decode()
    again = Client().post("/ledger/range-vote/", {"code": codes[0]})
    assert "已经投过票" in again.content.decode()
    # 组织人事处's head votes from their own page; a wrong amount is refused in Chinese first
    member = world.client(world.clerk_rs)
    assert "/ledger/range-votes/mine/" in member.get("/years/2016/").content.decode()
    ballot = member.post("/ledger/range-votes/mine/", {"vote": vote.pk})
    assert f'name="a:{entry.pk}"' in ballot.content.decode()
    wrong = member.post(
        "/ledger/range-votes/mine/", {"vote": vote.pk, "step": "cast", f"a:{entry.pk}": "4.2"}
    )
    assert "分值须在 1 至 5 之间，并以 0.5 为步长" in wrong.content.decode()
    cast_page = member.post(
        "/ledger/range-votes/mine/", {"vote": vote.pk, "step": "cast", f"a:{entry.pk}": "2"}
    )
    assert "您的票已投出" in cast_page.content.decode()
    twice = member.post("/ledger/range-votes/mine/", {"vote": vote.pk})
    assert "已经投过票" in twice.content.decode()
    # the turnout says how many, never who; the count is hidden while open
    detail = director.get(f"/ledger/range-votes/{vote.pk}/").content.decode()
    assert "4 名成员中 3 人" in detail and "所投分值" not in detail
    # the director closes: 3 of 4 voted, the median of 2, 3, 4 is 3
    closed = director.post(f"/ledger/range-votes/{vote.pk}/close/", follow=True)
    text = closed.content.decode()
    assert "已按所投分值的中位数决定" in text and "2 ×1、3 ×1、4 ×1" in text
    entry.refresh_from_db()
    assert entry.amount == Decimal("3")
    shown = clerk.get(f"/ledger/entries/{entry.pk}/").content.decode()
    assert "无记名投票" in shown and "考核办第3次会议" in shown
    assert "4 名成员中 3 人投票；弃权 0" in shown and "2 ×1、3 ×1、4 ×1" in shown


def test_the_director_is_told_when_there_are_not_enough_votes(world: World) -> None:
    office(world)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry])
    cast(codes[0], {entry: "2"})
    page = world.client(world.leader).post(f"/ledger/range-votes/{vote.pk}/close/", follow=True)
    assert (
        "投票人数不足：7 名成员中仅 1 人投票，须超过半数。相关记录仍待定。" in page.content.decode()
    )
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_a_refused_code_gets_403_and_a_bad_step_on_opening_shows_the_form_again(
    world: World,
) -> None:
    assert Client().post("/ledger/range-vote/", {"code": "nonsense"}).status_code == 403
    office(world)
    [entry] = pending(world)
    page = world.client(world.leader).post(
        "/ledger/2016/range-votes/open/",
        {"entries": [entry.pk], "step": "0.3", "meeting": "会"},
    )
    assert page.status_code == 200 and not RangeVote.objects.exists()


def test_the_next_page_after_the_closing_shows_the_decided_amount(world: World) -> None:
    office(world, heads=2)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry])
    page = world.client(world.office)
    before = page.get("/years/2016/departments/JS/").content.decode()  # computed and stored
    for code in codes:
        cast(code, {entry: "4.5"})
    actions.range_vote_close(by=world.leader, vote=vote)
    after = page.get("/years/2016/departments/JS/").content.decode()
    assert "待考核办评定分值" in before.split(entry.ref, 1)[1][:300]
    shown = after.split(entry.ref, 1)[1][:600]
    assert "待考核办评定分值" not in shown and "4.5" in shown


def test_closing_rewrites_the_casts_so_that_nothing_joins_them_to_the_codes(world: World) -> None:
    office(world, heads=3)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry], slips_for_all=True)
    for code, amount in zip(codes, ["1", "2", "3"], strict=False):
        cast(code, {entry: amount})
    before = set(RangeVoteCast.objects.values_list("id", flat=True))
    actions.range_vote_close(by=world.leader, vote=vote)
    after = set(RangeVoteCast.objects.values_list("id", flat=True))
    assert len(after) == 3 and not before & after  # fresh random ids
    assert sorted(c["amounts"][str(entry.pk)] for c in RangeVoteCast.objects.values()) == [
        "1",
        "2",
        "3",
    ]
    assert RangeVoteCode.objects.filter(vote=vote, used=True).count() == 3
    assert RangeVote.objects.get(pk=vote.pk).vacuum_pending  # VACUUM runs once committed
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM ledger_rangevotecast c JOIN ledger_rangevotecode k"
                " ON c.xmin = k.xmin"
            )
            assert cursor.fetchone()[0] == 0
            cursor.execute("SELECT count(DISTINCT xmin::text) FROM ledger_rangevotecast")
            assert cursor.fetchone()[0] == 1  # every cast rewritten by one subtransaction


def _queries(client: Client, url: str) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_votes_page_runs_as_many_queries_for_one_vote_as_for_four(world: World) -> None:
    office(world, heads=2)
    director = world.client(world.leader)
    open_vote(world, pending(world))
    _queries(director, "/ledger/2016/range-votes/")  # this process reads the year's row once
    one = _queries(director, "/ledger/2016/range-votes/")
    for _ in range(3):
        open_vote(world, pending(world, 2))
    assert _queries(director, "/ledger/2016/range-votes/") == one
