"""Demo answers to the Seoul Survey's household part and roster, drawn from the frame.

Why: the demo database needs two years of responses that look like the real
survey to the people who will use it: a statistician checking the estimates
against the frame, a manager looking at fieldwork. So the answers start from
the sampled households' own frame records (the roster *is* the frame's
members: relation, sex, birth year; housing type and income are the frame's)
and add what the frame does not hold with plausible, correlated draws:
tenure follows housing type, age and income; rents and deposits follow
tenure; marital status follows the household's make-up; education follows
birth cohort; economic activity follows age, sex and schooling.

Every question's codes come from the questionnaire's lists, every ``relevant``
rule is respected (a question not asked stays unanswered), optional questions
are skipped as often as respondents skip them (deposit of a monthly rent,
rent, floor area, the debt's amount), and constraints hold by construction.
The person part is drawn in :mod:`demo.person_answers`. Everything is drawn a
column at a time with numpy. Owner occupation and housing satisfaction land in
the plausible ranges of ``demo/plausibility.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data.store import Store
from data.survey_tables import sampled_frame_households, sampled_frame_persons
from demo.draws import (
    bernoulli,
    categorical,
    categorical_n,
    column,
    expit,
    heaped,
    lognormal,
    ordinal,
    records,
    scale,
)

QUESTIONNAIRE_YEAR = 2026  # the questionnaire's ``age`` is 2026 - birth_year, in both years
TENURE_BY_HOUSING = (
    np.array(  # housing type 1..6 × tenure 1..6 (자가, 전세, 월세, 무보증, 무상, 기타)
        [
            [30, 20, 38, 5, 6, 1],
            [60, 27, 10, 1, 2, 0.2],
            [38, 30, 27, 2, 3, 0.3],
            [20, 15, 50, 8, 6, 1],
            [12, 28, 55, 3, 2, 0.2],
            [2, 3, 40, 45, 5, 5],
        ],
        dtype=float,
    )
)
OWNER_BY_HEAD_BAND = np.array([0.2, 0.55, 1.0, 1.3, 1.6, 1.8])
TENURE_OTHER = [
    "사택 관리인 숙소",
    "점포에 딸린 방",
    "친척 명의 집 (관리비만 냄)",
    "기숙사",
    "임시 거처",
]
FLOOR_AREA_BY_HOUSING = np.array([75, 84, 52, 40, 28, 9], dtype=float)  # median m²
DEBT_REASON_BY_TENURE = np.array(  # tenure 1..6 × reason 1..7
    [
        [62, 5, 14, 9, 3, 3, 4],
        [8, 68, 12, 5, 3, 2, 2],
        [3, 30, 40, 10, 7, 5, 5],
        [2, 20, 48, 10, 8, 7, 5],
        [5, 5, 45, 20, 10, 10, 5],
        [10, 10, 45, 15, 8, 7, 5],
    ],
    dtype=float,
)
DEBT_MEDIAN_BY_REASON = np.array([18000, 12000, 1500, 6000, 1500, 800, 1500], dtype=float)
PRICEY_DISTRICTS = {"11680": 1.6, "11650": 1.6, "11710": 1.35, "11170": 1.3, "11440": 1.15}
# marital status 1..4 by age band (15-24, 25-34, 35-49, 50-64, 65+)
MARITAL_BY_AGE = np.array(
    [[97, 2, 0, 1], [70, 25, 0, 5], [35, 45, 2, 18], [15, 45, 10, 30], [5, 35, 40, 20]], dtype=float
)
# education 1..7 by age band (19-24, 25-39, 40-59, 60-69, 70+)
EDUCATION_BY_AGE = np.array(
    [
        [0, 0, 0, 22, 18, 58, 2],
        [0, 0, 0.5, 12, 17, 56, 14.5],
        [0.2, 2, 4, 32, 15, 39, 7.8],
        [2, 9, 13, 38, 7, 27, 4],
        [10, 25, 17, 26, 4, 15, 3],
    ]
)
# economic activity 1..9 for those not in school, by group
ECON_BY_GROUP = np.array(
    [
        [35, 30, 0, 2, 1, 12, 0, 2, 18],  # 15-24
        [62, 8, 6, 10, 1, 4, 0, 1, 8],  # 25-59 men
        [48, 10, 3, 7, 3, 3, 0, 20, 6],  # 25-59 women
        [20, 15, 4, 14, 2, 3, 0, 12, 30],  # 60-69
        [3, 8, 1, 6, 1, 1, 0, 10, 70],  # 70+
    ],
    dtype=float,
)


@dataclass
class Sample:
    """The sampled households (one row each, by household_id) and their frame members."""

    households: pd.DataFrame  # + row: position; size: member count
    persons: pd.DataFrame  # household_id, member_no, relation, sex, birth_year, row, age


def load_sample(store: Store, survey_id: int) -> Sample:
    """The sampled households' frame records and members, numbered by position."""
    households = sampled_frame_households(store, survey_id)
    persons = sampled_frame_persons(store, survey_id)
    households["row"] = np.arange(len(households))
    persons["row"] = np.searchsorted(households["household_id"], persons["household_id"])
    persons["age"] = QUESTIONNAIRE_YEAR - persons["birth_year"]
    households["size"] = np.bincount(persons["row"], minlength=len(households))
    return Sample(households, persons)


# -- the roster ------------------------------------------------------------------------------
def _band(age: np.ndarray, lower: list[int]) -> np.ndarray:
    return np.searchsorted(np.asarray(lower), age, side="right") - 1


def _per_household(persons: pd.DataFrame, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(persons["row"].to_numpy()[mask], minlength=n)


def draw_roster(sample: Sample, rng: np.random.Generator) -> pd.DataFrame:
    """Marital status, education, schooling and activity for members aged 15+ (NaN below)."""
    p = sample.persons
    n_hh = len(sample.households)
    age, sex, relation = p["age"].to_numpy(), p["sex"].to_numpy(), p["relation"].to_numpy()
    row = p["row"].to_numpy()
    spouse = _per_household(p, relation == 2, n_hh)[row] > 0
    parents = _per_household(p, relation == 5, n_hh)[row]
    weights = MARITAL_BY_AGE[np.clip(_band(age, [0, 25, 35, 50, 65]), 0, 4)].copy()
    alone_head = (relation == 1) & ~spouse
    weights[alone_head, 1] *= 0.12  # married but the spouse lives elsewhere
    child = relation == 3
    weights[child] = np.where(age[child, None] < 28, [98, 1, 0, 1], [82, 3, 0, 15])
    weights[relation == 5] = np.where(
        parents[relation == 5, None] >= 2, [0, 1, 0, 0], [0, 25, 65, 10]
    )
    marital = categorical(weights, rng, [1, 2, 3, 4])
    marital[(relation == 2) | (relation == 4) | ((relation == 1) & spouse)] = 2
    education, status = _education(age, rng)
    econ = _activity(age, sex, status, rng)
    adult = age >= 15
    return pd.DataFrame(
        {
            "marital_status": np.where(adult, marital, np.nan),
            "education": np.where(adult, education, np.nan),
            "education_status": np.where(adult & (education != 1), status, np.nan),
            "econ_activity": np.where(adult, econ, np.nan),
        }
    )


def _education(age: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n = len(age)
    band = np.clip(_band(age, [0, 25, 40, 60, 70]), 0, 4)
    education = categorical(EDUCATION_BY_AGE[band], rng, range(1, 8))
    school = (age >= 15) & (age <= 18)
    education[school] = np.where(age[school] == 15, 3, 4)
    status = categorical_n([93, 0.8, 0.2, 4, 2], n, rng, range(1, 6))
    status[status == 5] = np.where(education[status == 5] == 7, 5, 1)  # coursework: graduate school
    young = (age >= 19) & (age <= 24) & (education >= 5)
    status[young] = categorical_n([15, 70, 12, 3], int(young.sum()), rng, [1, 2, 3, 4])
    postgrad = (age >= 25) & (age <= 34) & (education == 7)
    status[postgrad] = categorical_n([70, 20, 3, 2, 5], int(postgrad.sum()), rng, range(1, 6))
    status[school] = 2
    return education, status


def _activity(
    age: np.ndarray, sex: np.ndarray, status: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    group = np.where(
        age < 25, 0, np.where(age < 60, np.where(sex == 1, 1, 2), np.where(age < 70, 3, 4))
    )
    econ = categorical(ECON_BY_GROUP[group], rng, range(1, 10))
    enrolled = status == 2
    econ[enrolled] = np.where(bernoulli(0.88, int(enrolled.sum()), rng), 7, 2)
    leave = status == 3
    econ[leave] = categorical_n([40, 20, 40], int(leave.sum()), rng, [2, 6, 9])
    return econ


# -- the household part -----------------------------------------------------------------------
@dataclass
class HouseholdPart:
    """Household answers by question (plain lists), the roster, who answered, and context."""

    columns: dict[str, list[Any]]
    roster: pd.DataFrame  # per frame member: roster answers (NaN where not asked)
    respondent: np.ndarray  # per household: member_no of the member who answered
    tenure: np.ndarray
    cars: np.ndarray

    def answers(self, sample: Sample) -> list[dict[str, Any]]:
        """Household answers dicts, the roster as a list of member dicts under ``members``."""
        out = records(self.columns)
        r = self.roster
        names = ["relation", "sex", "birth_year", *r.columns]
        values = {
            "relation": column(sample.persons["relation"]),
            "sex": column(sample.persons["sex"]),
            "birth_year": column(sample.persons["birth_year"]),
            **{c: column(r[c], r[c].notna()) for c in r.columns},
        }
        members = records({k: values[k] for k in names})
        bounds = np.cumsum(np.r_[0, sample.households["size"].to_numpy()])
        for i, answers in enumerate(out):
            answers["members"] = members[bounds[i] : bounds[i + 1]]
        return out


def draw_household_part(sample: Sample, year: int, rng: np.random.Generator) -> HouseholdPart:
    """The household part of every sampled household (answered or not: outcomes come later)."""
    hh, p = sample.households, sample.persons
    roster = draw_roster(sample, rng)
    band, income = hh["head_age_band"].to_numpy(), hh["income_bracket"].to_numpy()
    tenure = _tenure(hh["housing_type"].to_numpy(), band, income, rng)
    head_age = p["age"].to_numpy()[p["member_no"].to_numpy() == 1]
    cols = _housing(hh, tenure, head_age, year, rng)
    relation, respondent = _respondent(sample, rng)
    cols["hh_respondent"] = column(relation)
    cols["household_size"] = column(hh["size"])
    cols.update(_economy(hh, tenure, year, rng))
    cols.update(_life(sample, rng))
    cars = np.asarray(cols["cars"], dtype=int)
    return HouseholdPart(cols, roster, respondent, tenure, cars)


def _housing(
    hh: pd.DataFrame, tenure: np.ndarray, head_age: np.ndarray, year: int, rng: np.random.Generator
) -> dict[str, list[Any]]:
    n = len(hh)
    housing, band = hh["housing_type"].to_numpy(), hh["head_age_band"].to_numpy()
    income, size = hh["income_bracket"].to_numpy(), hh["size"].to_numpy()
    cols: dict[str, list[Any]] = {"housing_type": column(housing), "tenure": column(tenure)}
    cols["tenure_other"] = column(rng.choice(TENURE_OTHER, n), tenure == 6, kind=None)
    cols.update(_housing_costs(hh, tenure, rng))
    median = FLOOR_AREA_BY_HOUSING[housing - 1] * (0.75 + 0.1 * np.minimum(size, 5))
    area = lognormal(median, 0.28, n, rng)
    area = np.where(bernoulli(0.5, n, rng), np.rint(area), np.round(area, 1))
    skip_area = bernoulli(np.where(band >= 6, 0.32, 0.18), n, rng)
    cols["floor_area"] = column(np.clip(area, 3, 500), ~skip_area, kind=float)
    mean_years = np.select([tenure == 1, tenure == 5], [11.0, 7.0], 3.2)
    years = np.minimum(rng.exponential(mean_years), np.maximum(head_age - 18, 0))
    cols["years_at_address"] = column(np.clip(np.floor(years), 0, 100))
    latent = (
        6.2 + 0.5 * (housing == 2) - 1.5 * (housing == 6) - 0.4 * (housing == 4)
        + 0.5 * (tenure == 1) + 0.12 * (income - 5) + 0.05 * (year - 2025)
        + rng.normal(0, 1.5, n)
    )  # fmt: skip
    cols["housing_satisfaction"] = column(scale(latent))
    renting = np.isin(tenure, [2, 3, 4])
    burden = 2.5 + 0.35 * renting + 0.2 * (tenure >= 3) - 0.3 * (tenure == 1) - 0.15 * (income - 5)
    cols["housing_cost_burden"] = column(
        ordinal(burden + rng.normal(0, 0.8, n), [1.5, 2.5, 3.5]), tenure != 5
    )
    moving = expit(-1.1 + 0.9 * renting + 0.6 * (band <= 2) - 0.6 * (band >= 5))
    move = np.where(bernoulli(moving, n, rng), 1, np.where(bernoulli(0.25, n, rng), 3, 2))
    cols["move_plan"] = column(move)
    where = categorical_n([38, 35, 22, 5], n, rng, [1, 2, 3, 4])
    cols["move_destination"] = column(where, move == 1)
    return cols


def _housing_costs(hh: pd.DataFrame, tenure: np.ndarray, rng) -> dict[str, list[Any]]:
    """Deposit (required for jeonse, sometimes skipped with a monthly rent) and rent."""
    n = len(hh)
    price = hh["district_code"].map(PRICEY_DISTRICTS).fillna(1.0).to_numpy()
    income = hh["income_bracket"].to_numpy()
    jeonse = tenure == 2
    lump = lognormal(28000 * price * np.exp(0.08 * (income - 5)), 0.45, n, rng)
    security = lognormal(1500 * price, 0.9, n, rng)
    deposit = np.where(
        jeonse, np.clip(np.rint(lump / 500) * 500, 1000, 500000),
        np.clip(heaped(security, 100, 0.9, rng), 0, 500000),
    )  # fmt: skip
    monthly = lognormal(np.where(tenure == 3, 60, 42) * np.sqrt(price), 0.4, n, rng)
    return {
        "deposit": column(deposit, jeonse | ((tenure == 3) & ~bernoulli(0.06, n, rng))),
        "monthly_rent": column(
            np.clip(heaped(monthly, 5, 0.85, rng), 1, 1000),
            np.isin(tenure, [3, 4]) & ~bernoulli(0.08, n, rng),
        ),
    }


def _tenure(housing: np.ndarray, band: np.ndarray, income: np.ndarray, rng) -> np.ndarray:
    weights = TENURE_BY_HOUSING[housing - 1].copy()
    weights[:, 0] *= OWNER_BY_HEAD_BAND[band - 1] * np.exp(0.12 * (income - 5))
    weights[:, 2:4] *= np.exp(-0.08 * (income - 5))[:, None]
    return categorical(weights, rng, range(1, 7))


def _respondent(sample: Sample, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Who answered the household part: the head mostly, else the spouse or an adult child."""
    p, n = sample.persons, len(sample.households)
    relation, row = p["relation"].to_numpy(), p["row"].to_numpy()
    first = {}
    for code in (2, 3):
        mask = (relation == code) & (p["age"].to_numpy() >= 18)
        number = np.zeros(n, dtype=int)
        rows, firsts = np.unique(row[mask], return_index=True)
        number[rows] = p["member_no"].to_numpy()[mask][firsts]
        first[code] = number
    weights = np.column_stack([np.full(n, 78.0), 18.0 * (first[2] > 0), 4.0 * (first[3] > 0)])
    relation_answered = categorical(weights, rng, [1, 2, 3])
    member = np.select([relation_answered == 2, relation_answered == 3], [first[2], first[3]], 1)
    return relation_answered, member


def _economy(hh: pd.DataFrame, tenure: np.ndarray, year: int, rng) -> dict[str, list[Any]]:
    n = len(hh)
    band, income = hh["head_age_band"].to_numpy(), hh["income_bracket"].to_numpy()
    size, housing = hh["size"].to_numpy(), hh["housing_type"].to_numpy()
    odds = (
        -0.2 + 0.6 * (tenure == 1) + 0.3 * (tenure == 2) - 1.2 * (tenure == 5)
        - 0.8 * (band == 6) - 0.3 * (band == 1) + 0.05 * (income - 5)
    )  # fmt: skip
    debt = bernoulli(expit(odds), n, rng)
    reason = categorical(DEBT_REASON_BY_TENURE[tenure - 1], rng, range(1, 8))
    amount = lognormal(DEBT_MEDIAN_BY_REASON[reason - 1], 0.8, n, rng)
    rate = np.exp(
        -0.9 + 0.13 * (income - 5) + 0.25 * (np.minimum(size, 4) - 1) - 0.8 * (housing == 6)
        - 0.3 * (housing == 5) - 0.5 * (band == 6) - 0.4 * (band == 1)
    )  # fmt: skip
    cars = np.minimum(rng.poisson(rate), 4)
    green = np.clip(0.05 + 0.025 * (year - 2025) + 0.01 * (income - 5), 0.01, 0.3)
    return {
        "income": column(income),
        "debt": column(np.where(debt, 1, 2)),
        "debt_reason": column(reason, debt),
        "debt_amount": column(
            np.clip(heaped(amount, 100, 0.8, rng), 1, 1_000_000), debt & ~bernoulli(0.22, n, rng)
        ),
        "cars": column(cars),
        "eco_cars": column(rng.binomial(cars, green), cars >= 1),
    }


def _life(sample: Sample, rng: np.random.Generator) -> dict[str, list[Any]]:
    hh, p = sample.households, sample.persons
    n, size = len(hh), hh["size"].to_numpy()
    age = p["age"].to_numpy()
    over_75 = _per_household(p, age >= 75, n) > 0
    over_65 = _per_household(p, age >= 65, n) > 0
    has_pet = bernoulli(np.where(size >= 2, 0.3, 0.2), n, rng)
    kinds = np.column_stack([bernoulli(q, n, rng) for q in (0.68, 0.30, 0.12)])
    kinds[has_pet & ~kinds.any(axis=1), 0] = True
    pets = [
        [c for c, held in zip((1, 2, 3), row, strict=True) if held] if pet else [99]
        for pet, row in zip(has_pet, kinds.tolist(), strict=True)
    ]
    together = hh["household_type"].isin([3, 4]).to_numpy()
    meals = np.where(together[:, None], [35, 27, 20, 10, 8], [30, 22, 22, 13, 13])
    return {
        "pets": pets,
        "care_need": column(
            np.where(bernoulli(0.04 + 0.22 * over_75 + 0.06 * over_65, n, rng), 1, 2)
        ),
        "family_meals": column(categorical(meals, rng, range(1, 6)), size >= 2),
    }
