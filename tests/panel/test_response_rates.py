"""AAPOR rates against hand-computed cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from panel.response_rates import aapor_rates, rate_table


def test_rates_match_a_hand_computed_case():
    # I=6, P=2, R=3, NC=8, O=1 (NE=5 excluded): denominator 20
    rates = aapor_rates({"I": 6, "P": 2, "R": 3, "NC": 8, "O": 1, "NE": 5})
    assert rates["RR1"] == pytest.approx(6 / 20)
    assert rates["COOP1"] == pytest.approx(6 / 12)
    assert rates["REF1"] == pytest.approx(3 / 20)
    assert rates["CON1"] == pytest.approx(12 / 20)


def test_unknown_eligibility_stays_in_the_denominators():
    rates = aapor_rates({"I": 5, "NC": 3, "UH": 2})
    assert rates["RR1"] == pytest.approx(0.5)
    assert rates["CON1"] == pytest.approx(0.5)


def test_a_rate_without_denominator_is_missing_not_zero():
    assert math.isnan(aapor_rates({"NE": 4})["RR1"])


def test_rates_per_district_from_outcomes():
    outcomes = pd.DataFrame(
        {
            "district_code": ["A"] * 4 + ["B"] * 3,
            "outcome": ["complete", "complete", "refused", "not_eligible",
                        "complete", "no_contact", "partial"],
        }
    )  # fmt: skip
    table = rate_table(outcomes, "district_code").set_index("district_code")
    assert table.loc["A", "RR1"] == pytest.approx(2 / 3)
    assert table.loc["A", "REF1"] == pytest.approx(1 / 3)
    assert table.loc["B", "RR1"] == pytest.approx(1 / 3)
    assert table.loc["B", "COOP1"] == pytest.approx(1 / 2)
    assert table.loc["B", "CON1"] == pytest.approx(2 / 3)
    assert table["invited"].tolist() == [4, 3]


def test_unknown_outcomes_are_refused():
    with pytest.raises(ValueError, match="unknown outcomes"):
        rate_table(pd.DataFrame({"outcome": ["done"]}))


counts = st.integers(min_value=0, max_value=500)


@given(i=counts, p=counts, r=counts, nc=counts, o=counts)
def test_rates_are_shares_and_cooperation_is_at_least_response(i, p, r, nc, o):
    rates = aapor_rates({"I": i, "P": p, "R": r, "NC": nc, "O": o})
    if i + p + r + nc + o == 0:
        return
    for name in ("RR1", "REF1", "CON1"):
        assert 0 <= rates[name] <= 1
    assert rates["RR1"] <= rates["CON1"] + 1e-12
    if i + p + r + o:
        assert rates["COOP1"] >= rates["RR1"] - 1e-12
