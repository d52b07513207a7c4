"""Demo answers to the Seoul Survey's person part, with the structure analysts look for.

Why: the statistician's first checks on the demo are the familiar patterns of
the real survey, so they are built in. Each member's latent well-being drives
the five happiness items, the 0-100 happiness score (which follows the items'
mean, with the heaping at round numbers real respondents show), life
satisfaction, self-rated health and, more weakly, trust, pride and
loneliness. Well-being is U-shaped in age, rises with household income, has a
district effect (the one the panel waves use too, :mod:`demo.districts`),
and rises a little from 2025 to 2026; so do social-media and generative-AI use.
Commuting belongs mostly to the employed and to students, with travel times that
depend on the mode and, for rides, on the district. Only asked questions are answered:
``commute_*`` only for commuters, ``work_hours`` only for the employed, and
so on; the one optional question (the amount given) is sometimes skipped.
The Seoul-wide levels (loneliness, generative-AI use, …) are set to land in the
plausible ranges of ``demo/plausibility.yaml``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from demo.districts import effects_of, ride_factor
from demo.draws import (
    bernoulli,
    categorical,
    categorical_n,
    column,
    expit,
    heaped,
    lognormal,
    ordinal,
    pick_some,
    scale,
)

FIVE = [1.5, 2.5, 3.5, 4.5]  # cut points of five-point scales
MODE_WEIGHTS = np.array(  # commute_mode 1..8, for workers and for students
    [[8, 2, 14, 26, 26, 19, 1, 4], [20, 3, 25, 20, 25, 3, 1, 3]], dtype=float
)
MODE_MINUTES = np.array([11, 19, 33, 43, 57, 38, 24, 38], dtype=float)  # median, one way
RISK_WEIGHTS = [20, 18, 5, 14, 10, 7, 18, 6, 2]  # urban_risks 1..9
GENAI_PURPOSE_WEIGHTS = [34, 30, 16, 5, 10, 5]


def draw_person_part(
    people: pd.DataFrame, year: int, rng: np.random.Generator
) -> dict[str, list[Any]]:
    """Person answers by question for ``people`` (one row per eligible member).

    ``people`` columns: age, sex, marital_status, education, econ_activity,
    income, household_size, cars, district_code. District effects come from
    :mod:`demo.districts`, shared with the panel waves.
    """
    n = len(people)
    age, sex = people["age"].to_numpy(), people["sex"].to_numpy()
    econ, income = people["econ_activity"].to_numpy(), people["income"].to_numpy()
    size = people["household_size"].to_numpy()
    district = effects_of(people["district_code"])
    base = (
        6.2
        + 0.0008 * (np.minimum(age, 85) - 45) ** 2
        + 0.13 * (income - 5)
        + district["wellbeing"].to_numpy()
        - 0.35 * (size == 1)
        + 0.25 * (people["marital_status"].to_numpy() == 2)
        - 0.6 * (econ == 6)
        + 0.15 * (year - 2025)
        + rng.normal(0, 0.9, n)
    )
    cols = _happiness(base, age, income, size, rng)
    cols.update(_community(base, age, income, rng))
    cols.update(_commute(people, base, rng))
    cols.update(_environment(base, district, rng))
    cols.update(_civic(age, income, rng))
    cols.update(_digital(age, people["education"].to_numpy(), year, rng))
    cols.update(_wellbeing(base, age, sex, size, econ, income, rng))
    cols.update(_work(econ, age, base, rng))
    return cols


def _happiness(base, age, income, size, rng) -> dict[str, list[Any]]:
    n = len(base)
    latent = {
        "happy_health": base + 0.3 - 0.035 * np.maximum(age - 45, 0) + rng.normal(0, 0.9, n),
        "happy_finance": base - 0.5 + 0.12 * (income - 5) + rng.normal(0, 1.0, n),
        "happy_relations": base + 0.4 + rng.normal(0, 0.8, n),
        "happy_family": base + 0.5 - 0.6 * (size == 1) + rng.normal(0, 0.9, n),
        "happy_social": base + 0.1 + rng.normal(0, 0.9, n),
    }
    items = {k: scale(v) for k, v in latent.items()}
    mean = np.mean(np.column_stack(list(items.values())), axis=1)
    overall = 10 * mean + rng.normal(0, 5, n)
    overall = np.where(
        bernoulli(0.5, n, rng), np.rint(overall / 10) * 10, heaped(overall, 5, 0.5, rng)
    )
    health = latent["happy_health"] + rng.normal(0, 0.7, n)
    return {
        **{k: column(v) for k, v in items.items()},
        "happiness_overall": column(np.clip(overall, 0, 100)),
        "life_satisfaction": column(scale(base + 0.2 + rng.normal(0, 0.8, n))),
        "health_self": column(5 - np.searchsorted([3.0, 4.8, 6.8, 8.6], health)),
    }


def _community(base, age, income, rng) -> dict[str, list[Any]]:
    n = len(base)
    good = base - 6.5
    status = -(0.35 * (income - 5) + 0.2 * good + rng.normal(0, 0.8, n))
    cuts = np.quantile(status, [0.01, 0.07, 0.37, 0.72, 0.92]) if n else [0] * 5
    unsure = np.where(age < 35, 28, 18)
    return {
        "trust_neighbours": column(
            ordinal(3.1 + 0.15 * good + 0.2 * (age >= 50) + rng.normal(0, 0.8, n), FIVE)
        ),
        "trust_public": column(ordinal(3.2 + 0.12 * good + rng.normal(0, 0.85, n), FIVE)),
        "seoul_pride": column(scale(6.9 + 0.3 * good + rng.normal(0, 1.4, n))),
        "social_class": column(ordinal(status, cuts)),
        "class_mobility": column(
            ordinal(2.6 + 0.1 * good - 0.008 * (age - 45) + rng.normal(0, 0.9, n), FIVE)
        ),
        "seoul_in_10_years": column(
            categorical(
                np.column_stack([100 - unsure - 12, np.full(n, 12), unsure]), rng, [1, 2, 3]
            )
        ),
    }


def _commute(people: pd.DataFrame, base, rng) -> dict[str, list[Any]]:
    n = len(people)
    econ = people["econ_activity"].to_numpy()
    working, student = econ <= 5, econ == 7
    commutes = bernoulli(np.select([working, student], [0.9, 0.95], 0.03), n, rng)
    purpose = np.select([working & bernoulli(0.02, n, rng), working], [3, 1], 2)
    weights = MODE_WEIGHTS[np.where(working, 0, 1)].copy()
    car = people["cars"].to_numpy() >= 1
    weights[:, 5] *= np.where(car, 1.8, 0.08) * np.exp(0.08 * (people["income"].to_numpy() - 5))
    weights[people["age"].to_numpy() < 19, 5] = 0
    mode = categorical(weights, rng, range(1, 9))
    median = MODE_MINUTES[mode - 1] * ride_factor(people["district_code"], mode)
    minutes = np.clip(heaped(lognormal(median, 0.45, n, rng), 5, 0.7, rng), 1, 300)
    satisfied = 3.7 - 0.02 * (minutes - 30) + 0.15 * (base - 6.5) + rng.normal(0, 0.8, n)
    return {
        "commutes": column(np.where(commutes, 1, 2)),
        "commute_purpose": column(purpose, commutes),
        "commute_mode": column(mode, commutes),
        "commute_minutes": column(minutes, commutes),
        "commute_satisfaction": column(ordinal(satisfied, FIVE), commutes),
    }


def _environment(base, district: pd.DataFrame, rng) -> dict[str, list[Any]]:
    n = len(base)
    means = {"residential": 6.6, "transport": 7.0, "green": 6.5, "safety": 6.7, "culture": 6.2}
    cols = {
        f"env_{k}": column(
            scale(m + district[f"env_{k}"].to_numpy() + 0.25 * (base - 6.5) + rng.normal(0, 1.3, n))
        )
        for k, m in means.items()
    }
    none = bernoulli(0.04, n, rng)
    risks = pick_some(
        RISK_WEIGHTS, categorical_n([25, 35, 40], n, rng, [1, 2, 3]), rng, range(1, 10)
    )
    cols["urban_risks"] = [[99] if skip else r for skip, r in zip(none, risks, strict=True)]
    return cols


def _civic(age, income, rng) -> dict[str, list[Any]]:
    n = len(age)
    volunteered = bernoulli(expit(-1.8 + 1.3 * (age < 20) + 0.1 * (income - 5)), n, rng)
    hours = np.clip(heaped(lognormal(18, 0.9, n, rng), 5, 0.6, rng), 1, 2000)
    donated = bernoulli(expit(-1.2 + 0.15 * (income - 5) + 0.015 * (age - 45)), n, rng)
    amount = ordinal(2.6 + 0.3 * (income - 5) + rng.normal(0, 1.1, n), [1.5, 2.5, 3.5, 4.5, 5.5])
    return {
        "volunteered": column(np.where(volunteered, 1, 2)),
        "volunteer_hours": column(hours, volunteered),
        "donated": column(np.where(donated, 1, 2)),
        "donation_amount": column(amount, donated & ~bernoulli(0.15, n, rng)),
    }


def _digital(age, education, year: int, rng) -> dict[str, list[Any]]:
    n = len(age)
    later = year - 2025
    sns = bernoulli(expit(3.0 - 0.075 * (age - 20) + 0.2 * later), n, rng)
    minutes = lognormal(np.maximum(70 - 0.6 * (age - 20), 20), 0.6, n, rng)
    genai = 2.0 - 0.045 * (age - 25) + 0.3 * (education >= 6) + 0.45 * later
    use = ordinal(genai + rng.normal(0, 1.2, n), [1.0, 2.0, 3.0])
    purposes = pick_some(GENAI_PURPOSE_WEIGHTS, 1 + bernoulli(0.55, n, rng), rng, range(1, 7))
    return {
        "sns_use": column(np.where(sns, 1, 2)),
        "sns_minutes": column(np.clip(heaped(minutes, 10, 0.7, rng), 1, 1440), sns),
        "genai_use": column(use),
        "genai_purpose": [p if u >= 2 else None for p, u in zip(purposes, use, strict=True)],
    }


def _wellbeing(base, age, sex, size, econ, income, rng) -> dict[str, list[Any]]:
    n = len(age)
    # never / hardly ever / some of the time / often: about 45 / 30 / 17 / 8 %
    lonely = (
        1.5 + 0.7 * (size == 1) + 0.3 * (age >= 70) - 0.35 * (base - 6.5) + rng.normal(0, 0.95, n)
    )
    items = {
        name: column(ordinal(lonely + rng.normal(0, 0.6, n), [1.5, 2.5, 3.5]))
        for name in ("lonely_companionship", "lonely_left_out", "lonely_isolated")
    }
    stress = 4.9 + 0.6 * (econ <= 5) - 0.05 * np.maximum(age - 60, 0) - 0.3 * (base - 6.5)
    group = np.where(sex == 2, 3, np.select([age < 30, age >= 70], [1, 2], 0))
    smoking_weights = np.array([[27, 4, 27, 42], [20, 5, 8, 67], [15, 2, 55, 28], [3, 1, 4, 92]])
    exercise = bernoulli(
        expit(-0.3 + 0.1 * (income - 5) + 0.3 * ((age >= 60) & (age < 75))), n, rng
    )
    return {
        **items,
        "stress": column(scale(stress + rng.normal(0, 1.8, n))),
        "smoking": column(categorical(smoking_weights[group], rng, [1, 2, 3, 4])),
        "exercise": column(np.where(exercise, 1, 2)),
        "exercise_days": column(1 + rng.binomial(6, 0.38, n), exercise),
    }


def _work(econ, age, base, rng) -> dict[str, list[Any]]:
    n = len(econ)
    working = econ <= 5
    mean = np.select([econ == 1, econ == 2, econ == 5], [44, 32, 30], 50)
    spread = np.select([econ == 1], [6], 12)
    hours = np.clip(heaped(mean + spread * rng.normal(0, 1, n), 5, 0.6, rng), 1, 112)
    job = 6.0 + 0.3 * (base - 6.5) + 0.4 * (econ == 1) - 0.5 * (econ == 2) + rng.normal(0, 1.5, n)
    support = 3.7 + 0.3 * np.isin(econ, [1, 2]) - 0.012 * (age - 45) + rng.normal(0, 1.0, n)
    return {
        "work_hours": column(hours, working),
        "job_satisfaction": column(scale(job), working),
        "four_half_day_week": column(ordinal(support, FIVE)),
    }
