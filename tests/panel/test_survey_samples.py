"""A survey fielded on the panel's households: the whole panel, one district, or a cell, with
or without a sub-sample; its probabilities recorded and its weights calibrated to the target
population only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.weights.survey_weights import household_margins, latest_weights, make_weights
from data.survey_tables import sample_design
from data.text import InvalidRequest
from panel.roster_store import load_roster
from panel.survey_samples import (
    PanelSampleDesign,
    draw_from_panel,
    panel_sample_rows,
    target_households,
)
from surveys.fieldwork.invitations import find_invitation, issue_codes
from surveys.fieldwork.sessions import open_session
from surveys.fieldwork.submit import submit
from surveys.opening import open_survey_on_version, questionnaire_of, set_status
from surveys.questionnaire.uploads import receive_upload
from tests.surveys.test_survey_on_uploaded_version import CHOICES, SURVEY
from tests.surveys.test_xlsform import write_workbook


def _roster() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 400
    return pd.DataFrame(
        {
            "household_id": np.arange(1, n + 1),
            "status": rng.choice(["active", "nonresponding", "reserve", "dropped"], n),
            "role": rng.choice(["panel", "reserve"], n, p=[0.8, 0.2]),
            "district_code": rng.choice(["11010", "11020", "11030"], n),
            "household_type": rng.integers(1, 4, n),
            "head_age_band": rng.integers(1, 5, n),
            "pi_panel": rng.uniform(0.01, 0.05, n),
            "pi_reserve": rng.uniform(0.002, 0.01, n),
        }
    )


def test_a_sub_sample_records_each_households_probability():
    roster = _roster()
    design = PanelSampleDesign(districts=("11010", "11020"), n=60, seed=2)
    rows = panel_sample_rows(roster, design, survey_id=7)
    target = target_households(roster, design)
    assert len(rows) == 60
    assert set(rows["stratum"]) == {"11010", "11020"}
    assert set(rows["household_id"]) <= set(target["household_id"])
    own = target.set_index("household_id")["pi_own"]
    for code, group in rows.groupby("stratum"):
        size = int((target["district_code"] == code).sum())
        assert group["pi_within"].tolist() == [len(group) / size] * len(group)
        # Horvitz–Thompson: the sub-sample's within-district weights count the district
        assert (1 / group["pi_within"]).sum() == pytest.approx(size)
    assert rows["pi"].to_numpy() == pytest.approx(
        own.loc[rows["household_id"]].to_numpy() * rows["pi_within"].to_numpy()
    )
    assert (rows["design_weight"] * rows["pi"]).to_numpy() == pytest.approx(1.0)


def test_reserve_households_carry_their_reserve_probability():
    roster = _roster()
    rows = panel_sample_rows(roster, PanelSampleDesign(), survey_id=1)
    current = roster[roster["status"].isin(["active", "nonresponding"])].set_index("household_id")
    expected = np.where(current["role"] == "reserve", current["pi_reserve"], current["pi_panel"])
    assert rows["household_id"].tolist() == current.index.tolist()
    assert rows["pi"].to_numpy() == pytest.approx(expected)
    assert set(rows["pi_within"]) == {1.0}


@pytest.mark.parametrize(
    ("design", "reason"),
    [
        (PanelSampleDesign(districts=("99999",)), "panel_target_empty"),
        (PanelSampleDesign(districts=("11010",), n=10_000), "panel_sample_too_large"),
    ],
)
def test_an_impossible_target_is_refused_with_a_reason(design, reason):
    with pytest.raises(InvalidRequest) as refused:
        panel_sample_rows(_roster(), design, survey_id=1)
    assert refused.value.reason == reason


@pytest.fixture
def district_survey(demo_store, tmp_path) -> tuple[int, str]:
    """A department's uploaded form opened as a survey on the panel households of the district
    with the most of them; 80 % of them answer."""
    settings = [("form_id", "form_title"), ("district_housing", "District housing survey")]
    path = write_workbook(tmp_path / "housing.xlsx", SURVEY, CHOICES, settings)
    saved = receive_upload(demo_store, path.name, path.read_bytes(), actor="manager").saved
    assert saved is not None
    survey = open_survey_on_version(
        demo_store, saved.questionnaire_id, saved.version_no, code="housing-district",
        title_ko="자치구 주거 조사", reference_year=2027, actor="manager",
    )  # fmt: skip
    current = target_households(load_roster(demo_store), PanelSampleDesign())
    district = str(current["district_code"].value_counts().index[0])
    sample = draw_from_panel(
        demo_store, survey.survey_id, PanelSampleDesign(districts=(district,)), actor="manager"
    )
    set_status(demo_store, survey.survey_id, "in_field", actor="manager")
    codes = issue_codes(demo_store, survey.survey_id, sample["household_id"], actor="manager")
    questionnaire = questionnaire_of(demo_store, survey.survey_id)
    for i, code in enumerate(codes["code"][: int(len(codes) * 0.8)]):
        invitation = find_invitation(demo_store, code)
        session = open_session(demo_store, survey.survey_id, invitation.household_id, 0)
        members = [{"member_name": "a", "member_age": 30 + i % 40}]
        answers = {"tenure": 1 + i % 2, "member_count": 1, "member": members}
        submit(demo_store, questionnaire, session.submission_id, answers)
    return survey.survey_id, district


def test_a_district_sample_holds_that_districts_panel_households(demo_store, district_survey):
    survey_id, district = district_survey
    design = sample_design(demo_store, survey_id)
    assert design["source"] == "panel"
    assert design["target"] == {"districts": [district]}
    current = target_households(load_roster(demo_store), PanelSampleDesign(districts=(district,)))
    assert design["households"] == len(current)


def test_its_weights_reach_the_districts_total_not_seouls(demo_store, district_survey):
    survey_id, district = district_survey
    make_weights(demo_store, survey_id, actor="statistician")
    _, weights, parameters = latest_weights(demo_store, survey_id, "household")
    total = household_margins(demo_store, by_size=False, districts=(district,))
    assert weights["weight"].sum() == pytest.approx(total["district_code"].sum(), rel=1e-9)
    assert parameters["target"] == {"districts": [district]}
    seoul = household_margins(demo_store, by_size=False)["district_code"].sum()
    assert weights["weight"].sum() < seoul / 5


def test_a_cell_target_is_not_calibrated_and_says_why(demo_store, tmp_path):
    settings = [("form_id", "form_title"), ("cell_housing", "Housing of young singles")]
    path = write_workbook(tmp_path / "cell.xlsx", SURVEY, CHOICES, settings)
    saved = receive_upload(demo_store, path.name, path.read_bytes(), actor="manager").saved
    assert saved is not None
    survey = open_survey_on_version(
        demo_store, saved.questionnaire_id, saved.version_no, code="cell-2027",
        title_ko="청년 1인 가구 주거", reference_year=2027, actor="manager",
    )  # fmt: skip
    roster = load_roster(demo_store)
    cell = int(roster["household_type"].mode()[0])
    design = PanelSampleDesign(household_types=(cell,), n=40, seed=4)
    sample = draw_from_panel(demo_store, survey.survey_id, design, actor="manager")
    set_status(demo_store, survey.survey_id, "in_field", actor="manager")
    codes = issue_codes(demo_store, survey.survey_id, sample["household_id"], actor="manager")
    questionnaire = questionnaire_of(demo_store, survey.survey_id)
    for code in codes["code"][:30]:
        invitation = find_invitation(demo_store, code)
        session = open_session(demo_store, survey.survey_id, invitation.household_id, 0)
        answers = {"tenure": 1, "member_count": 1, "member": [{"member_age": 33}]}
        submit(demo_store, questionnaire, session.submission_id, answers)
    make_weights(demo_store, survey.survey_id, actor="statistician")
    _, weights, parameters = latest_weights(demo_store, survey.survey_id, "household")
    assert "all" in parameters["margins_left_out"]
    assert parameters["margins"] == {}
    assert weights["weight"].to_numpy() == pytest.approx(weights["adjusted_weight"].to_numpy())
    with pytest.raises(InvalidRequest) as again:
        draw_from_panel(demo_store, survey.survey_id, design, actor="manager")
    assert again.value.reason == "sample_exists"
