"""Demo answers to the panel waves' household part, drawn in vectors from the panel households.

Why: the demo shows panel waves next to the cross-section Seoul Survey, and a
wave only looks real if its answers behave like people: the well-off are a
little happier, older people living alone a little less; working-age heads
commute and the outer districts ride the bus and subway longer; families with
children ask for care and schooling, young people living alone for housing.
District effects (well-being, the outer districts' longer rides) are those of
the Seoul Survey's demo answers (:mod:`demo.districts`), so the same
demo population ranks its districts the same way in the panel and the
cross-section. A wave has ~20,000 households, so every question is drawn a
column at a time with numpy (:mod:`demo.draws`), never a Python loop
per answer.

The respondent is the household's head (sex and birth year from the panel
household, the birth year kept within the questionnaire's range). Every
``relevant`` rule, ``required`` flag, range and constraint of the two panel
questionnaires holds by construction: a question not asked stays out of the
answers dict, ``other_priorities`` never repeats ``top_priority`` and holds one
to three areas, an exclusive "none of these" is chosen alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from demo.districts import effects_of, is_outer, ride_factor
from demo.draws import (
    bernoulli,
    categorical,
    column,
    expit,
    heaped,
    lognormal,
    ordinal,
    records,
    scale,
)
from surveys.questionnaire.model import Questionnaire

Columns = dict[str, list[Any]]
HOUSEHOLD_COLUMNS = (
    "household_id",
    "district_code",
    "household_type",
    "head_age_band",
    "household_size",
    "income_bracket",
    "head_sex",
    "head_birth_year",
)
INCOME_CODES = np.arange(1, 10)  # data/reference/income_brackets.csv
CAR_DISTRICTS = {"11680": 1.4, "11650": 1.4, "11710": 1.2, "11470": 1.1}
# commute mode 1..8 (foot, bicycle, bus, subway, bus+subway, car, taxi, other)
MODE_WEIGHTS = np.array([9, 4, 20, 27, 20, 17, 1.5, 1.5], dtype=float)
MODE_MINUTES = np.array([12, 17, 32, 38, 50, 36, 22, 30], dtype=float)  # median, one way
# policy areas 1..10 (housing, jobs, transport, care, safety, environment, health,
# education, culture, digital)
AREA_WEIGHTS = np.array([18, 16, 12, 10, 8, 8, 8, 6, 4, 3], dtype=float)
REASONS = {
    1: ["집값과 전월세가 너무 올랐습니다.", "청년이 살 만한 집이 부족합니다."],
    2: ["일자리가 불안정합니다.", "물가에 비해 소득이 늘지 않습니다."],
    3: ["출퇴근 시간이 너무 깁니다.", "버스 배차 간격이 깁니다."],
    4: ["아이를 맡길 곳이 부족합니다.", "부모님 돌봄이 걱정됩니다."],
    5: ["밤길이 불안합니다.", "폭우 때 침수가 걱정됩니다."],
    6: ["미세먼지가 심합니다.", "동네에 공원이 부족합니다."],
    7: ["병원 대기가 깁니다.", "나이가 들수록 의료비가 부담됩니다."],
    8: ["사교육비 부담이 큽니다.", "학교 시설이 낡았습니다."],
    9: ["가까운 문화시설이 없습니다.", "여가 프로그램이 부족합니다."],
    10: ["온라인 민원이 불편합니다.", "어르신도 쓰기 쉬운 서비스가 필요합니다."],
}
NO_SERVICE = 99  # "none of these": exclusive
# the household factor's centre: the heads' happiness index lands near the Seoul Survey's
# (demo/plausibility.yaml)
GENERAL = 6.7


# -- the households -----------------------------------------------------------------------
class _Households:
    """The panel households' columns as numpy arrays (one row per household)."""

    def __init__(self, households: pd.DataFrame):
        missing = [c for c in HOUSEHOLD_COLUMNS if c not in households.columns]
        if missing:
            raise ValueError(f"panel households need the columns {missing}")
        self.n = len(households)
        self.district = households["district_code"].astype(str).to_numpy()
        self.type = households["household_type"].to_numpy(dtype=np.int64)
        self.band = households["head_age_band"].to_numpy(dtype=np.int64)
        self.size = households["household_size"].to_numpy(dtype=np.int64)
        self.income = households["income_bracket"].to_numpy(dtype=np.int64)
        self.sex = households["head_sex"].to_numpy(dtype=np.int64)
        self.birth_year = households["head_birth_year"].to_numpy(dtype=np.int64)

    @property
    def alone_older(self) -> np.ndarray:
        return (self.type == 1) & (self.band >= 5)

    @property
    def with_children(self) -> np.ndarray:
        return np.isin(self.type, [3, 4])

    @property
    def outer(self) -> np.ndarray:
        return is_outer(self.district)

    @property
    def wellbeing(self) -> np.ndarray:
        """The district's well-being effect, the one the Seoul Survey's demo answers use."""
        return effects_of(self.district)["wellbeing"].to_numpy()


def _bounded(questionnaire: Questionnaire, name: str, values: np.ndarray) -> np.ndarray:
    """Values kept within the question's min/max."""
    question = questionnaire.question(name)
    low = -np.inf if question.min is None else question.min
    high = np.inf if question.max is None else question.max
    return np.clip(values, low, high).astype(np.int64)


def _respondent(questionnaire: Questionnaire, hh: _Households) -> Columns:
    return {
        "sex": column(hh.sex),
        "birth_year": column(_bounded(questionnaire, "birth_year", hh.birth_year)),
    }


# -- panel_seoul_parallel ----------------------------------------------------------------------
def _household_change(hh: _Households, wave_no: int, rng: np.random.Generator) -> np.ndarray:
    """Mostly 'no change'; more change as waves go by (a wave further from the last one)."""
    young = hh.band <= 2
    weights = np.column_stack(
        [
            np.full(hh.n, 88.0 - 1.5 * min(max(wave_no - 1, 0), 4)),
            2.0 + 3.0 * ((hh.type == 2) & young) + 1.5 * young,  # a partner or a baby joins
            np.where(hh.size > 1, 2.0 + 2.5 * ((hh.type == 3) & (hh.band >= 4)), 0.0),
            3.0 + 4.0 * young - 1.5 * (hh.band >= 5),  # moved within Seoul
        ]
    )
    return categorical(weights, rng, [1, 2, 3, 4])


def _income(hh: _Households, rng: np.random.Generator) -> np.ndarray:
    """The frame's bracket, with a few households one bracket up or down since."""
    step = np.where(bernoulli(0.12, hh.n, rng), rng.choice([-1, 1], hh.n), 0)
    return np.clip(hh.income + step, INCOME_CODES[0], INCOME_CODES[-1])


def _happiness(
    hh: _Households, income: np.ndarray, wave_no: int, rng: np.random.Generator
) -> Columns:
    """Five domains and life satisfaction sharing a household-level factor."""
    n = hh.n
    general = (
        GENERAL + 0.17 * (income - 5) - 0.6 * hh.alone_older - 0.25 * (hh.type == 1)
        + hh.wellbeing + 0.03 * min(max(wave_no - 1, 0), 5)
        + rng.normal(0, 1.0, n)
    )  # fmt: skip
    domains = {
        "happy_health": general + 0.6 - 0.35 * (hh.band - 3),
        "happy_finance": general - 0.5 + 0.25 * (income - 5),
        "happy_relations": general + 0.4 - 0.2 * hh.alone_older,
        "happy_family": general + 0.5 + 0.4 * (hh.type != 1) - 0.4 * (hh.type == 1),
        "happy_social": general - 0.1 - 0.15 * (hh.band >= 6),
    }
    cols = {name: scale(latent + rng.normal(0, 1.1, n)) for name, latent in domains.items()}
    mean = np.mean(list(cols.values()), axis=0)
    out = {name: column(values) for name, values in cols.items()}
    out["life_satisfaction"] = column(scale(0.55 * mean + 0.45 * general + rng.normal(0, 0.8, n)))
    trust = 3.1 + 0.15 * (hh.band - 3) - 0.25 * (hh.type == 1) + 0.12 * (general - GENERAL)
    out["trust_neighbours"] = column(ordinal(trust + rng.normal(0, 0.8, n), [1.5, 2.4, 3.5, 4.4]))
    return out


def _commute(hh: _Households, rng: np.random.Generator) -> Columns:
    """Working-age heads commute; mode by district, income and age; minutes lognormal, heaped."""
    n = hh.n
    odds = np.array([1.4, 1.9, 1.8, 1.3, -0.2, -2.0])[hh.band - 1] - 0.35 * (hh.sex == 2)
    commutes = bernoulli(expit(odds + 0.05 * (hh.income - 5)), n, rng)
    weights = np.tile(MODE_WEIGHTS, (n, 1))
    car = pd.Series(hh.district).map(CAR_DISTRICTS).fillna(1.0).to_numpy()
    weights[:, 5] *= car * np.exp(0.12 * (hh.income - 5)) * np.where(hh.band == 1, 0.5, 1.0)
    weights[:, 4] *= np.where(hh.outer, 1.5, 1.0)
    weights[:, :2] *= np.where(hh.band <= 2, 1.5, 1.0)[:, None]
    mode = categorical(weights, rng, range(1, 9))
    median = MODE_MINUTES[mode - 1] * ride_factor(hh.district, mode)
    minutes = heaped(lognormal(median, 0.45, n, rng), 5, 0.75, rng)
    minutes = np.where(bernoulli(0.3, n, rng), np.rint(minutes / 10) * 10, minutes)
    minutes = np.clip(minutes, 1, 300)
    return {
        "commutes": column(np.where(commutes, 1, 2)),
        "commute_mode": column(mode, commutes),
        "commute_minutes": column(minutes, commutes),
    }


def _parallel(
    questionnaire: Questionnaire, hh: _Households, wave_no: int, rng: np.random.Generator
) -> Columns:
    change = _household_change(hh, wave_no, rng)
    size = hh.size + (change == 2) - (change == 3)
    income = _income(hh, rng)
    cols = _respondent(questionnaire, hh)
    cols["household_change"] = column(change)
    cols["household_size"] = column(_bounded(questionnaire, "household_size", size))
    cols["income"] = column(income)
    cols.update(_happiness(hh, income, wave_no, rng))
    cols.update(_commute(hh, rng))
    return cols


# -- panel_policy_demand -----------------------------------------------------------------------
def _area_weights(hh: _Households, wave_no: int) -> np.ndarray:
    """Per household, how much each policy area weighs (rows × 10 areas)."""
    young, older = hh.band <= 2, hh.band >= 5
    families = hh.with_children & (hh.band <= 4)
    weights = np.tile(AREA_WEIGHTS, (hh.n, 1))
    weights[:, 0] *= 1.0 + 0.6 * young + 1.2 * (young & (hh.type == 1)) - 0.4 * older
    weights[:, 1] *= 1.0 + 0.3 * young + 0.25 * (hh.income <= 3)
    weights[:, 2] *= 1.0 + 0.3 * hh.outer
    weights[:, 3] *= 1.0 + 2.2 * (families & (hh.band <= 3)) + 0.8 * (hh.band >= 6)
    weights[:, 4] *= 1.0 + 0.2 * (hh.sex == 2)
    weights[:, 5] *= 1.0 + 0.03 * min(max(wave_no - 1, 0), 5)
    weights[:, 6] *= 1.0 + 1.0 * older + 0.5 * hh.alone_older
    weights[:, 7] *= 1.0 + 2.0 * (hh.with_children & np.isin(hh.band, [3, 4]))
    weights[:, 9] *= 1.0 + 0.5 * young
    return weights


def ranked_areas(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each row's areas in order of preference (Plackett–Luce by Gumbel keys), as codes 1..k."""
    keys = np.log(weights) + rng.gumbel(size=weights.shape)
    return np.argsort(-keys, axis=1) + 1


def _priorities(hh: _Households, wave_no: int, rng: np.random.Generator) -> Columns:
    """The first choice and 1–3 more from the same ranking, so they never repeat it."""
    order = ranked_areas(_area_weights(hh, wave_no), rng)
    top = order[:, 0]
    more = categorical(np.tile([15.0, 30.0, 55.0], (hh.n, 1)), rng, [1, 2, 3])
    others = [sorted(row[1 : 1 + k]) for row, k in zip(order.tolist(), more.tolist(), strict=True)]
    reason = _reasons(top, rng)
    return {
        "top_priority": column(top),
        "other_priorities": others,
        "priority_reason": column(reason, bernoulli(0.15, hh.n, rng), kind=None),
    }


def _reasons(top: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A short free-text reason for each first choice (used where someone wrote one)."""
    table = np.array([REASONS[code] for code in sorted(REASONS)], dtype=object)
    return table[top - 1, rng.integers(0, table.shape[1], len(top))]


def _services(hh: _Households, rng: np.random.Generator) -> Columns:
    """Services used (or 'none', alone), and satisfaction only for those who used one."""
    young, older = hh.band <= 2, hh.band >= 5
    families = hh.with_children & (hh.band <= 4)
    p = np.column_stack(
        [
            0.15 + 0.08 * older,  # 120 call centre
            np.clip(0.22 + 0.15 * young - 0.15 * older, 0.02, 1),  # Ttareungyi
            0.02 + 0.35 * families,  # kids cafés, care centres
            0.25 + 0.15 * hh.with_children - 0.08 * (hh.band >= 6),  # libraries
            0.35 + 0.12 * older,  # community centres
        ]
    )
    used = rng.random(p.shape) < p
    codes = np.arange(1, 6)
    services = [row.tolist() if row.size else [NO_SERVICE] for row in map(codes.__getitem__, used)]
    latent = 3.5 + 0.15 * older + rng.normal(0, 0.85, hh.n)
    return {
        "services_used": services,
        "service_satisfaction": column(ordinal(latent, [1.5, 2.5, 3.5, 4.5]), used.any(axis=1)),
    }


def _proposals(hh: _Households, rng: np.random.Generator) -> Columns:
    """Support for three proposals sharing a 'green / pro-change' leaning."""
    n = hh.n
    leaning = rng.normal(0, 0.6, n) + 0.25 * (hh.band <= 2) - 0.2 * (hh.band >= 6)
    cuts = [1.5, 2.5, 3.5, 4.5]
    fee = 2.9 + leaning - 0.1 * (hh.income - 5) - 0.3 * hh.outer
    card = 3.8 + leaning + 0.2 * hh.outer
    week = 3.5 + 0.6 * leaning + 0.4 * (hh.band <= 4) - 0.5 * (hh.band >= 6)
    pay = lognormal(5000 * np.exp(0.12 * (hh.income - 5) + 0.4 * leaning), 0.7, n, rng)
    pay = np.where(bernoulli(expit(-0.4 - 0.15 * (hh.income - 5)), n, rng), 0, pay)
    pay = np.clip(heaped(pay, 1000, 0.95, rng), 0, 100_000)
    return {
        "support_congestion_fee": column(ordinal(fee + rng.normal(0, 0.9, n), cuts)),
        "support_climate_card": column(ordinal(card + rng.normal(0, 0.8, n), cuts)),
        "support_four_half_day": column(ordinal(week + rng.normal(0, 0.9, n), cuts)),
        "willing_to_pay": column(pay, ~bernoulli(0.08, n, rng)),
    }


def _policy_demand(
    questionnaire: Questionnaire, hh: _Households, wave_no: int, rng: np.random.Generator
) -> Columns:
    cols = _respondent(questionnaire, hh)
    cols.update(_priorities(hh, wave_no, rng))
    cols.update(_services(hh, rng))
    cols.update(_proposals(hh, rng))
    return cols


# -- entry point -------------------------------------------------------------------------------
DRAWS: dict[str, Callable[[Questionnaire, _Households, int, np.random.Generator], Columns]] = {
    "panel_seoul_parallel": _parallel,
    "panel_policy_demand": _policy_demand,
}


def draw_wave_answers(
    questionnaire: Questionnaire,
    households: pd.DataFrame,
    wave_no: int,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """One household-part answers dict per row of ``households`` (in order), codes as stored.

    ``households`` needs the columns in :data:`HOUSEHOLD_COLUMNS`; unanswered and
    irrelevant questions are left out of the dicts.
    """
    draw = DRAWS.get(questionnaire.id)
    if draw is None:
        raise ValueError(f"no demo answers for questionnaire {questionnaire.id!r}")
    hh = _Households(households)
    if hh.n == 0:
        return []
    return records(draw(questionnaire, hh, wave_no, rng))
