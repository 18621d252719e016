"""The points attributed to persons (seed §六.3): an entry's amount shared by their times."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.engine.persons import person_shares

amounts = st.fractions(min_value=-100, max_value=100, max_denominator=10_000)
times = st.dictionaries(st.text(min_size=1, max_size=4), st.integers(1, 50), min_size=1)


@given(amount=amounts, times=times)
def test_the_shares_add_up_to_the_entry_amount_exactly(
    amount: Fraction, times: dict[str, int]
) -> None:
    shares = person_shares(amount, times)
    assert sum(shares.values(), Fraction(0)) == amount
    assert set(shares) == set(times)


@given(amount=amounts, times=times)
def test_a_share_is_proportional_to_the_times(amount: Fraction, times: dict[str, int]) -> None:
    shares = person_shares(amount, times)
    total = sum(times.values())
    for person, t in times.items():
        assert shares[person] * total == amount * t


def test_three_person_times_share_one_point_in_thirds_not_rounded() -> None:
    shares = person_shares(Fraction(1), {"王小明": 2, "丁海峰": 1})
    assert shares == {"王小明": Fraction(2, 3), "丁海峰": Fraction(1, 3)}


def test_no_times_at_all_is_refused() -> None:
    with pytest.raises(ValueError):
        person_shares(Fraction(1), {"王小明": 0})
