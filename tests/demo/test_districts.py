"""One set of district effects for the demo's Seoul Survey and its panel waves.

The same synthetic Seoul answers both, so a district that is happier (or commutes
longer) in the cross-section must be so in the panel's parallel survey too. The
generators are run on identical people in every district, so only the district
effects can tell the districts apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from data.reference import shipped_csv
from demo.districts import district_effects, effects_of, is_outer
from demo.panel_answers import draw_wave_answers
from demo.person_answers import draw_person_part
from surveys.questionnaire.loader import list_definitions, load_questionnaire

CODES = np.sort(shipped_csv("districts")["code"].astype(str).to_numpy())
PER_DISTRICT = 400
HAPPINESS = ["happy_health", "happy_finance", "happy_relations", "happy_family", "happy_social"]


def _people() -> pd.DataFrame:
    """The same 400 adults in every district (persons of the cross-section's person part)."""
    rng = np.random.default_rng(5)
    one = pd.DataFrame(
        {
            "age": rng.integers(15, 90, PER_DISTRICT),
            "sex": rng.integers(1, 3, PER_DISTRICT),
            "marital_status": rng.integers(1, 5, PER_DISTRICT),
            "education": rng.integers(1, 8, PER_DISTRICT),
            "econ_activity": rng.integers(1, 10, PER_DISTRICT),
            "income": rng.integers(1, 10, PER_DISTRICT),
            "household_size": rng.integers(1, 6, PER_DISTRICT),
            "cars": rng.integers(0, 3, PER_DISTRICT),
        }
    )
    return pd.concat([one.assign(district_code=code) for code in CODES], ignore_index=True)


def _households() -> pd.DataFrame:
    """The same 400 households in every district (panel households)."""
    rng = np.random.default_rng(6)
    band = rng.integers(1, 7, PER_DISTRICT)
    kind = rng.integers(1, 6, PER_DISTRICT)
    one = pd.DataFrame(
        {
            "household_type": kind,
            "head_age_band": band,
            "household_size": np.where(kind == 1, 1, rng.integers(2, 6, PER_DISTRICT)),
            "income_bracket": rng.integers(1, 10, PER_DISTRICT),
            "head_sex": rng.integers(1, 3, PER_DISTRICT),
            "head_birth_year": 2026 - np.array([20, 32, 44, 55, 65, 75])[band - 1],
        }
    )
    out = pd.concat([one.assign(district_code=code) for code in CODES], ignore_index=True)
    return out.assign(household_id=np.arange(1, len(out) + 1))


def _by_district(frame: pd.DataFrame, districts: pd.Series, column: str) -> pd.Series:
    return frame[column].astype(float).groupby(districts.to_numpy()).mean()


def _cross_section() -> pd.DataFrame:
    people = _people()
    answers = pd.DataFrame(draw_person_part(people, 2026, np.random.default_rng(1)))
    answers["happiness_index"] = answers[HAPPINESS].astype(float).mean(axis=1)
    return answers.assign(district_code=people["district_code"])


def _panel_wave() -> pd.DataFrame:
    questionnaire = next(
        q for q in map(load_questionnaire, list_definitions()) if q.id == "panel_seoul_parallel"
    )
    households = _households()
    answers = pd.DataFrame(
        draw_wave_answers(questionnaire, households, 3, np.random.default_rng(2))
    )
    answers["happiness_index"] = answers[HAPPINESS].astype(float).mean(axis=1)
    return answers.assign(district_code=households["district_code"])


def test_every_district_has_its_effect_whatever_the_sample_holds():
    effects = district_effects()
    assert list(effects.index) == list(CODES)
    some = effects_of(np.array(["11680", "11110", "11680", "99999"]))
    assert some.loc[0, "wellbeing"] == effects.loc["11680", "wellbeing"] == some.loc[2, "wellbeing"]
    assert some.loc[1, "wellbeing"] == effects.loc["11110", "wellbeing"]
    assert (some.loc[3] == 0).all()  # a code not on the reference list has no effect


def test_panel_and_cross_section_rank_districts_alike_on_happiness():
    cross, panel = _cross_section(), _panel_wave()
    for column in ("happiness_index", "life_satisfaction"):
        a = _by_district(cross, cross["district_code"], column)
        b = _by_district(panel, panel["district_code"], column)
        rho = spearmanr(a.loc[CODES], b.loc[CODES]).statistic
        assert rho > 0.8, (column, rho)
    # and both follow the shared effect, the one thing that differs between districts
    effect = district_effects()["wellbeing"]
    b = _by_district(panel, panel["district_code"], "happiness_index")
    assert spearmanr(effect.loc[CODES], b.loc[CODES]).statistic > 0.8


def test_outer_districts_commute_longer_in_both():
    cross, panel = _cross_section(), _panel_wave()
    for answers in (cross, panel):
        riders = answers[answers["commute_mode"] >= 3]
        far = is_outer(riders["district_code"])
        minutes = riders["commute_minutes"].astype(float)
        assert minutes[far].median() > 1.1 * minutes[~far].median()
