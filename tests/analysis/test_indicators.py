"""The indicator catalogue and its table of estimates with flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import (
    CATALOGUE,
    estimate_indicators,
    flag,
    indicator_values,
    load_catalogue,
    plain_design,
)
from analysis.survey_frames import age_group_of, respondent_frames
from data.reference import stored_table
from surveys.opening import survey_by_code
from surveys.questionnaire.loader import load_definition

DESIGN = plain_design(weights="design_weight", strata="district_code", psu="ea_id")


def test_every_catalogue_item_is_a_question_of_the_seoul_survey():
    questionnaire = load_definition("seoul_survey_2026")
    for indicator in load_catalogue():
        for item in indicator.items:
            questionnaire.question(item)  # KeyError names a missing one


def test_a_malformed_indicator_is_named(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text(
        "indicators:\n  - {id: x, name_ko: 가, name_en: A, mean: a, share: {item: a, codes: [1]}}\n"
    )
    with pytest.raises(ValueError, match="indicator x"):
        load_catalogue(bad)


def test_index_and_share_values_per_person():
    catalogue = {i.id: i for i in load_catalogue(CATALOGUE)}
    frame = pd.DataFrame(
        {
            "happy_health": [10, 6, None],
            "happy_finance": [8, 6, 5],
            "happy_relations": [6, 6, 5],
            "happy_family": [8, 6, 5],
            "happy_social": [8, 6, 5],
            "trust_neighbours": [5, 2, None],
        }
    )
    index = indicator_values(catalogue["happiness_index"], frame)
    assert index.iloc[0] == 8.0 and index.iloc[1] == 6.0 and pd.isna(index.iloc[2])
    share = indicator_values(catalogue["trust_neighbours"], frame)
    assert share.iloc[0] == 1 and share.iloc[1] == 0 and pd.isna(share.iloc[2])


def test_flags_follow_the_publication_rules():
    n = pd.Series([10, 100, 100, 100])
    cv = pd.Series([0.1, 0.1, 0.35, 0.6])
    assert flag(n, cv).tolist() == ["caution", "", "caution", "suppressed"]


def test_age_groups_follow_the_reference_bands(store):
    bands = stored_table(store, "age_groups")
    ages = pd.Series([15, 19, 20, 69, 70, 101, 14, None])
    assert age_group_of(ages, bands).tolist() == [1, 1, 2, 6, 7, 7, pd.NA, pd.NA]


@pytest.fixture
def table(demo_store):
    survey = survey_by_code(demo_store, "seoul-2026")
    frames = respondent_frames(demo_store, survey.survey_id, stored_table(demo_store, "age_groups"))
    return frames, estimate_indicators(load_catalogue(), frames, DESIGN)


def test_the_table_has_every_indicator_for_every_published_domain(table):
    _, result = table
    for indicator in load_catalogue():
        rows = result[result["indicator"] == indicator.id]
        assert set(rows["domain"]) == {" × ".join(d) if d else "seoul" for d in indicator.domains}
    seoul = result[(result["indicator"] == "happiness_index") & (result["domain"] == "seoul")]
    assert len(seoul) == 1 and seoul["n"].iloc[0] > 100


def test_the_seoul_happiness_index_is_the_weighted_mean_of_person_means(table):
    frames, result = table
    persons = frames["persons15"]
    items = ["happy_health", "happy_finance", "happy_relations", "happy_family", "happy_social"]
    values = persons[items].astype(float)
    ok = values.notna().all(axis=1)
    expected = np.average(values[ok].mean(axis=1), weights=persons.loc[ok, "design_weight"])
    got = result.query("indicator == 'happiness_index' and domain == 'seoul'")["estimate"].iloc[0]
    assert got == pytest.approx(expected, rel=1e-12)


def test_suppressed_estimates_are_blanked(table):
    _, result = table
    hidden = result[result["flag"] == "suppressed"]
    assert hidden["estimate"].isna().all() and (hidden["cv"] > 0.5).all()
    shown = result[result["flag"] != "suppressed"]
    assert shown["estimate"].notna().all()


def test_shares_are_in_percent(table):
    _, result = table
    owners = result.query("indicator == 'home_owner' and domain == 'seoul'")
    assert 10 < owners["estimate"].iloc[0] < 90 and owners["unit"].iloc[0] == "%"
