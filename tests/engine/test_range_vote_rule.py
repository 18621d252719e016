"""The secret ballot on a range amount (seed §八.2): median, quorum, amounts on the step."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from kaohe.engine.rangevote import (
    amount_choices,
    has_quorum,
    item_tally,
    median_lower,
    on_step,
)


def test_the_median_of_an_odd_number_of_amounts_is_the_middle_one() -> None:
    assert median_lower([D("3"), D("1"), D("2.5")]) == D("2.5")


def test_the_median_of_an_even_number_is_the_lower_of_the_two_middle_ones() -> None:
    assert median_lower([D("4"), D("1"), D("3"), D("2")]) == D("2")
    assert median_lower([D("1.5"), D("1.6")]) == D("1.5")


def test_abstentions_are_not_counted() -> None:
    # given five votes, two of them abstentions: the median of the three amounts cast
    tally = item_tally([D("2"), None, D("5"), None, D("3")])
    assert tally.decided == D("3")
    assert (tally.cast, tally.abstained) == (3, 2)
    assert tally.distribution == ((D("2"), 1), (D("3"), 1), (D("5"), 1))


def test_every_voter_abstaining_decides_nothing() -> None:
    assert item_tally([None, None]).decided is None
    assert median_lower([]) is None


def test_the_median_is_exact_with_no_float() -> None:
    amounts = [D("1.1"), D("1.2"), D("1.3")]
    assert str(median_lower(amounts)) == "1.2"


def test_more_than_half_of_the_members_must_vote() -> None:
    assert not has_quorum(3, 7)
    assert has_quorum(4, 7)
    assert not has_quorum(3, 6)  # exactly half is not more than half
    assert has_quorum(4, 6)


def test_the_amounts_a_member_may_cast_lie_within_the_range_on_the_step() -> None:
    assert amount_choices(D("1"), D("3"), D("0.5")) == [
        D("1"),
        D("1.5"),
        D("2"),
        D("2.5"),
        D("3"),
    ]
    tenths = amount_choices(D("1"), D("2"), D("0.1"))
    assert len(tenths) == 11 and tenths[1] == D("1.1") and str(tenths[-1]) == "2"
    assert [str(a) for a in amount_choices(D("2"), D("10"), D("0.5"))][-1] == "10"


def test_on_step_refuses_amounts_outside_or_between_steps() -> None:
    assert on_step(D("2.5"), D("1"), D("5"), D("0.5"))
    assert not on_step(D("2.3"), D("1"), D("5"), D("0.5"))
    assert on_step(D("2.3"), D("1"), D("5"), D("0.1"))
    assert not on_step(D("0.5"), D("1"), D("5"), D("0.5"))
    assert not on_step(D("5.5"), D("1"), D("5"), D("0.5"))


@given(st.lists(st.integers(min_value=2, max_value=10), min_size=1, max_size=15))
def test_the_median_is_an_amount_cast_with_at_most_half_below_it(halves: list[int]) -> None:
    amounts = [D(h) / 2 for h in halves]
    m = median_lower(amounts)
    assert m in amounts
    assert sum(a < m for a in amounts) <= len(amounts) // 2
    assert sum(a > m for a in amounts) <= len(amounts) // 2 + 1
