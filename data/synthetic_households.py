"""Candidate households of the synthetic frame and their members (step 2 of
:mod:`data.synthetic`), and the age and sex codes the margins are kept in.

Why a module of its own: drawing who lives together — a family template per
candidate household, so that relations and ``household_type`` agree by construction,
then each member's sex and age relative to the head — is one idea, apart from
allocating households to the margins and calibrating to them. The population margin's
cells (district x sex x age group) and the age codes are here too, as both this step
and the calibration (:mod:`data.synthetic_calibration`) read them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.synthetic_draws import code_text, draw_categorical

AGE_GROUP_LOWER = np.array([15, 20, 30, 40, 50, 60, 70])  # age_group 1..7
HEAD_BAND_LOWER = np.array([30, 40, 50, 60, 70])  # head_age_band 2..6 start here
# Seoul's 70+ residents by five-year band: 70-74, 75-79, ..., 95+ (100 at most).
OLD_AGE_BANDS = np.array([[0.38, 0.26, 0.19, 0.11, 0.045, 0.015]])
N_CELLS = 14  # sex (2) x age group (7): cell = (sex - 1) * 7 + age_group - 1
MAX_AGE = 100

# Family templates of candidate households.
ONE, COUPLE, COUPLE_CHILDREN, SINGLE_PARENT, GEN_UP, GEN_DOWN, NON_FAMILY = range(7)
# P(template | household size 1..5), columns in template order above.
TEMPLATE_PROBS = np.array(
    [
        [1.0, 0, 0, 0, 0, 0, 0],
        [0, 0.56, 0, 0.22, 0.08, 0.03, 0.11],
        [0, 0, 0.64, 0.13, 0.12, 0.06, 0.05],
        [0, 0, 0.79, 0.05, 0.10, 0.04, 0.02],
        [0, 0, 0.55, 0.03, 0.24, 0.16, 0.02],
    ]
)
LARGE_SIZE_PROBS = np.array([[0.74, 0.19, 0.05, 0.02]])  # "5 or more" -> 5, 6, 7, 8
# Relative headship propensity by template x sex (male, female) x age group 1..7.
HEAD_PROPENSITY = np.array(
    [
        [[3, 30, 22, 13, 12, 12, 14], [3, 28, 14, 7, 8, 13, 30]],
        [[0, 4, 9, 6, 14, 25, 30], [0, 1, 2, 1, 2, 3, 4]],
        [[0, 2, 20, 38, 30, 12, 4], [0, 0.2, 3, 6, 5, 2, 1]],
        [[0, 0.3, 2, 4, 5, 4, 3], [0, 1, 4, 9, 10, 8, 8]],
        [[0, 1, 5, 10, 12, 3, 0], [0, 1, 2, 4, 5, 1.5, 0]],
        [[0, 0, 0, 0, 3, 10, 20], [0, 0, 0, 0, 2, 6, 15]],
        [[2, 15, 10, 5, 4, 4, 4], [2, 15, 8, 4, 4, 5, 8]],
    ],
    dtype=float,
)
# Member roles after the head, in member order, and their relation codes.
SPOUSE, PARENT, CHILD, CHILD_SPOUSE, GRANDCHILD, SIBLING, OTHER_REL, NON_REL = range(8)
ROLE_RELATION = np.array([2, 5, 3, 4, 6, 7, 8, 9], dtype=np.int8)
ROLE_COLUMNS = [
    f"n_{r}" for r in "spouse parent child child_spouse grandchild sibling other nonrel".split()
]


# -- small vectorized helpers -------------------------------------------------
def _like(template: object, values: np.ndarray) -> np.ndarray | pd.Series:
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index)
    return values


def age_group_of(age: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """Age group code 1..7 (15-19, 20-29, ..., 70+) of each age; 0 under 15."""
    group = np.searchsorted(AGE_GROUP_LOWER, np.asarray(age), side="right")
    return _like(age, group.astype(np.int8))


def head_age_band_of(age: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """Head age band code 1..6 (under 30, 30-39, ..., 70+) of each age."""
    band = np.searchsorted(HEAD_BAND_LOWER, np.asarray(age), side="right") + 1
    return _like(age, band.astype(np.int8))


def population_table(population_margins: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """15+ residents as a (district, sex x age cell) array, districts in ``codes`` order."""
    pm = population_margins
    bad = ~pm["sex"].isin([1, 2]) | ~pm["age_group"].isin(range(1, 8))
    if bad.any() or (pm["population"] < 0).any():
        raise ValueError("population_margins: sex must be 1/2, age_group 1..7, population >= 0")
    cell = (pm["sex"].astype(int) - 1) * 7 + pm["age_group"].astype(int) - 1
    district = pd.Index(codes).get_indexer(code_text(pm["district_code"]))
    keep = district >= 0
    table = np.zeros((len(codes), N_CELLS))
    np.add.at(table, (district[keep], cell[keep].to_numpy()), pm["population"][keep].to_numpy())
    return table


def district_codes_of(candidates: pd.DataFrame) -> np.ndarray:
    """District code of each ``district`` index used by the candidates."""
    district = candidates["district"].to_numpy()
    codes = np.array([f"?{i}" for i in range(district.max() + 1 if len(district) else 0)])
    codes = codes.astype(object)
    codes[district] = candidates["district_code"].to_numpy()
    return codes


def _age_in_group(group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A single-year age inside each age group (70+: a thinning tail up to 100)."""
    lower = AGE_GROUP_LOWER[group - 1]
    width = np.where(group == 1, 5, 10)
    age = lower + np.floor(rng.random(len(group)) * width).astype(np.int64)
    band = draw_categorical(OLD_AGE_BANDS, np.zeros(len(group), dtype=np.int64), rng)
    tail = np.minimum(
        70 + 5 * band + np.floor(rng.random(len(group)) * 5).astype(np.int64), MAX_AGE
    )
    return np.where(group == 7, tail, age).astype(np.int16)


# -- 2. candidate households and their members ---------------------------------
def household_type_from_counts(counts: np.ndarray, size: np.ndarray) -> np.ndarray:
    """household_type 1..5 from the per-household role counts (columns SPOUSE..NON_REL)."""
    spouse = counts[:, SPOUSE] > 0
    child = counts[:, CHILD] > 0
    other = np.delete(counts, [SPOUSE, CHILD], axis=1).sum(axis=1) > 0
    kind = np.full(len(size), 5, dtype=np.int8)
    kind[spouse & ~child & ~other & (size == 2)] = 2
    kind[spouse & child & ~other] = 3
    kind[~spouse & child & ~other] = 4
    kind[size == 1] = 1
    return kind


def _composition(template: np.ndarray, size: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Role counts (households x 8) of the members after the head, by template."""
    n, rest = len(size), size.astype(np.int64) - 1
    u = rng.random((n, 3))
    counts = np.zeros((n, 8), dtype=np.int64)
    couple = (template == COUPLE) | (template == COUPLE_CHILDREN)
    counts[:, SPOUSE] = couple
    counts[:, CHILD] = np.where(template == COUPLE_CHILDREN, rest - 1, 0)
    counts[:, CHILD] += np.where(template == SINGLE_PARENT, rest, 0)
    up = template == GEN_UP  # head (+ spouse) + parent(s) (+ children)
    spouse = (rest >= 2) & (u[:, 0] < 0.85)
    parents = np.minimum(1 + (u[:, 1] < 0.4), rest - spouse)
    counts[up, SPOUSE] = spouse[up]
    counts[up, PARENT] = parents[up]
    counts[up, CHILD] = (rest - spouse - parents)[up]
    down = template == GEN_DOWN  # head (+ spouse) (+ child, child's spouse) + grandchildren
    spouse = ((rest >= 3) & (u[:, 0] < 0.8)) | ((rest == 2) & (u[:, 0] < 0.5))
    left = rest - spouse
    child = np.clip(left - 1, 0, 1)
    in_law = ((left - child - 1) >= 1) & (u[:, 1] < 0.75)
    for role, value in ((SPOUSE, spouse), (CHILD, child), (CHILD_SPOUSE, in_law)):
        counts[down, role] = value[down]
    counts[down, GRANDCHILD] = (left - child - in_law)[down]
    non_family = np.flatnonzero(template == NON_FAMILY)
    kind = np.where(u[:, 2] < 0.5, SIBLING, np.where(u[:, 2] < 0.8, NON_REL, OTHER_REL))
    counts[non_family, kind[non_family]] = rest[non_family]
    return counts


def draw_household_types(
    allocation: pd.DataFrame, rng: np.random.Generator, candidates_per_household: float = 1.0
) -> pd.DataFrame:
    """Candidate households for every allocated cell, with family template and roles.

    With ``candidates_per_household`` = 1 there is exactly one candidate per
    allocated household; above 1 there is a larger pool for
    :func:`calibrate_households` to choose from. Columns: ``cell`` (row of
    ``allocation``), ``district``, ``district_code``, ``size_class``,
    ``household_size`` (actual, 5+ drawn as 5..8), ``template``,
    ``household_type`` and one ``n_<role>`` count per member role.
    """
    wanted = allocation["households"].to_numpy()
    extra = 2 if candidates_per_household > 1 else 0  # a choice even in tiny cells
    n_candidates = np.ceil(wanted * max(candidates_per_household, 1.0)).astype(np.int64)
    cell = np.repeat(np.arange(len(wanted)), np.where(wanted > 0, n_candidates + extra, 0))
    size_class = allocation["household_size"].to_numpy()[cell].astype(np.int16)
    size = size_class.copy()
    large = np.flatnonzero(size_class == 5)
    size[large] += draw_categorical(LARGE_SIZE_PROBS, np.zeros(len(large)), rng)
    template = draw_categorical(TEMPLATE_PROBS, size_class - 1, rng)
    counts = _composition(template, size, rng)
    district, codes = pd.factorize(allocation["district_code"], sort=True)
    columns = {
        "cell": cell,
        "district": district[cell],
        "district_code": codes.to_numpy(dtype=str)[district[cell]],
        "size_class": size_class,
        "household_size": size,
        "template": template,
        "household_type": household_type_from_counts(counts, size),
    }
    columns.update({c: counts[:, i].astype(np.int16) for i, c in enumerate(ROLE_COLUMNS)})
    return pd.DataFrame(columns)


def _head_sex_age(
    candidates: pd.DataFrame, population: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Head sex and age: district 15+ margin x template headship propensity."""
    n_templates = len(HEAD_PROPENSITY)
    share = population / np.maximum(population.sum(axis=1, keepdims=True), 1.0) + 1e-6
    weights = share[:, None, :] * HEAD_PROPENSITY.reshape(n_templates, N_CELLS)[None]
    row = candidates["district"].to_numpy() * n_templates + candidates["template"].to_numpy()
    cell = draw_categorical(weights.reshape(-1, N_CELLS), row, rng)
    age = np.maximum(_age_in_group(cell % 7 + 1, rng), 18)
    return (cell // 7 + 1).astype(np.int8), age


def _role_of_members(candidates: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Household index, 0-based member position and role (-1 = head) of every member."""
    size = candidates["household_size"].to_numpy().astype(np.int64)
    hh = np.repeat(np.arange(len(size)), size)
    position = np.arange(len(hh)) - np.repeat(np.cumsum(size) - size, size)
    counts = candidates[ROLE_COLUMNS].to_numpy()
    cum = np.cumsum(counts, axis=1)
    role = (cum[hh] < position[:, None]).sum(axis=1)
    return hh, position, np.where(position == 0, -1, role)


def _younger(age: np.ndarray, parent_age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ages drawn below zero become an age the parent could have had at 22 or later."""
    age = np.array(age, dtype=np.int64)
    low = np.flatnonzero(age < 0)
    span = np.maximum(np.asarray(parent_age)[low] - 21, 1)
    age[low] = np.floor(rng.random(len(low)) * span)
    return age


def _member_ages(
    candidates: pd.DataFrame, head: tuple[np.ndarray, np.ndarray], hh: np.ndarray,
    role: np.ndarray, rng: np.random.Generator,
) -> np.ndarray:  # fmt: skip
    """Ages of all members, relative to the head (see :mod:`data.synthetic`, step 2)."""
    head_sex, head_age = head[0], head[1].astype(np.int64)
    n, n_hh = len(hh), len(head_age)
    male_head = head_sex == 1
    spouse = np.clip(
        head_age + np.where(male_head, -1, 1) * np.round(rng.normal(2.5, 3, n_hh)), 18, MAX_AGE
    )
    has_spouse = candidates["n_spouse"].to_numpy() > 0
    mother = np.where(~male_head, head_age, np.where(has_spouse, spouse, head_age - 3))
    gap, gap_hh = 22 + rng.binomial(18, 0.5, n), 22 + rng.binomial(18, 0.5, n_hh)  # 22..40
    adult_child = _younger(mother - gap_hh, mother, rng)  # the married child in 3 generations
    down = (candidates["template"].to_numpy() == GEN_DOWN)[hh]
    h = head_age[hh]
    parent = h + rng.integers(22, 37, n)
    by_role = [
        spouse[hh],
        np.where(parent > MAX_AGE, MAX_AGE - rng.integers(0, 6, n), parent),
        _younger(np.where(down, adult_child[hh], mother[hh] - gap), mother[hh], rng),
        np.maximum(adult_child[hh] + np.round(rng.normal(1, 3, n)), 18),
        _younger(adult_child[hh] - gap, adult_child[hh], rng),
        h + rng.integers(-10, 11, n),
        h + np.round(rng.normal(0, 18, n)),
        np.maximum(h + np.round(rng.normal(0, 10, n)), 18),
    ]
    age = np.select([role == r for r in range(8)], by_role, default=h)
    return np.clip(age, 0, MAX_AGE).astype(np.int16)


def _member_sexes(
    candidates: pd.DataFrame, head_sex: np.ndarray, hh: np.ndarray, position: np.ndarray,
    role: np.ndarray, rng: np.random.Generator,
) -> np.ndarray:  # fmt: skip
    """Sex of all members: spouses of the other sex, two parents a father and a mother,
    a lone parent mostly a mother, children's spouses mostly daughters-in-law."""
    u = rng.random(len(hh))
    n_parent = candidates["n_parent"].to_numpy()[hh]
    parent_rank = position - 1 - (candidates["n_spouse"].to_numpy()[hh] > 0)
    parent_sex = np.where(n_parent == 2, 1 + parent_rank, np.where(u < 0.72, 2, 1))
    sex = np.select(
        [role == -1, role == SPOUSE, role == PARENT, role == CHILD_SPOUSE],
        [head_sex[hh], 3 - head_sex[hh], parent_sex, np.where(u < 0.7, 2, 1)],
        default=np.where(u < 0.51, 1, 2),
    )
    return sex.astype(np.int8)


def draw_members(
    candidates: pd.DataFrame, population_margins: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Members of each candidate household: ``candidate``, ``member_no`` (1 = head),
    ``relation``, ``sex`` and ``age`` (children under 15 included)."""
    population = population_table(population_margins, district_codes_of(candidates))
    head = _head_sex_age(candidates, population, rng)
    hh, position, role = _role_of_members(candidates)
    return pd.DataFrame(
        {
            "candidate": hh,
            "member_no": (position + 1).astype(np.int16),
            "relation": np.where(role < 0, 1, ROLE_RELATION[role]).astype(np.int8),
            "sex": _member_sexes(candidates, head[0], hh, position, role, rng),
            "age": _member_ages(candidates, head, hh, role, rng),
        }
    )
