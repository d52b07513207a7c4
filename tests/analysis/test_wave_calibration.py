"""A panel wave's calibration replayed for estimation: same weights, calibration-aware SEs."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.designs import analysis_design, analysis_frame
from analysis.estimation.design import SurveyDesign
from analysis.estimation.estimators import total
from analysis.exclusions import exclude
from analysis.weights.survey_weights import DESIGN, household_margins, latest_weights
from analysis.weights.wave_calibration import wave_calibrated_design
from surveys.opening import survey_by_code


def _wave(store, number: int) -> int:
    return survey_by_code(store, f"panel-2026-w{number}").survey_id


@pytest.mark.parametrize("number", [1, 2, 3])
def test_replaying_the_calibration_gives_the_stored_wave_weights(demo_store, number):
    wave = _wave(demo_store, number)
    design = analysis_design(demo_store, wave, "households")
    _, stored, _ = latest_weights(demo_store, wave, "household")
    by_household = stored.set_index("household_id")["weight"]
    expected = design.frame["household_id"].map(by_household).to_numpy()
    np.testing.assert_allclose(np.asarray(design.weights), expected, rtol=1e-8)


def test_households_by_district_are_known_exactly_once_calibrated(demo_store):
    wave = _wave(demo_store, 3)
    calibrated = analysis_design(demo_store, wave, "households")
    frame = calibrated.frame.assign(one=1.0)
    calibrated.frame = frame
    by_district = total(calibrated, "one", by="district_code")
    margins = household_margins(demo_store)["district_code"]
    expected = by_district["district_code"].astype(str).map(margins.rename(str)).to_numpy()
    # a district with respondents reaches its registered households, with no sampling error
    np.testing.assert_allclose(by_district["estimate"], expected, rtol=1e-6)
    assert by_district["se"].max() < 1e-4 * by_district["estimate"].min()
    fixed = SurveyDesign(
        frame.assign(final=np.asarray(calibrated.weights)),
        weights="final",
        lonely_psu="adjust",
        **DESIGN,
    )
    assert total(fixed, "one", by="district_code")["se"].median() > 0  # weights held fixed


def test_an_excluded_household_leaves_the_others_re_raked_to_the_registered_total(demo_store):
    wave = _wave(demo_store, 1)
    before = analysis_frame(demo_store, wave, "households")
    household = int(before["household_id"].iloc[0])
    exclude(demo_store, wave, household, 0, reason="test", actor="test")
    after = analysis_frame(demo_store, wave, "households")
    assert household not in set(after["household_id"]) and len(after) == len(before) - 1
    registered = household_margins(demo_store)["district_code"].sum()
    assert after["weight"].sum() == pytest.approx(registered, rel=1e-8)


def test_stored_wave_weights_that_no_longer_follow_from_their_parameters_are_refused(demo_store):
    wave = _wave(demo_store, 1)
    _, stored, _ = latest_weights(demo_store, wave, "household")
    frame = analysis_frame(demo_store, wave, "households").drop(
        columns=["base_weight", "adjusted_weight", "weight"]
    )
    tampered = stored.assign(weight=stored["weight"] * 1.1)
    with pytest.raises(ValueError, match="no longer follow"):
        wave_calibrated_design(demo_store, wave, frame, tampered)
