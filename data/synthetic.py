"""Synthetic Seoul sampling frame, drawn to agree with the official margins.

Why this module exists: the platform needs a realistic sampling frame of
Seoul households and persons (to draw samples, run panels and test weighting),
but the real registers are personal data that cannot be shipped. This
generator builds a stand-in from public margins, scaled down: each frame
household stands for ``FrameConfig.scale`` real households, and that factor is
recorded on the :class:`Frame`. Everything is a pure, seeded function of
pandas DataFrames (no database, no UI) and works on whole numpy vectors, so
the full frame (about 225,000 households at scale 20) takes seconds.

How the frame is kept consistent with the margins:

1. Households. :func:`allocate_households` turns ``households / scale`` per
   district x household size into integers by systematic controlled rounding:
   every cell is off by less than one, every district total too, and the
   Seoul total is exactly ``round(total / scale)``.
2. Candidates. :func:`draw_household_types` draws, for every allocated cell, a
   pool of candidate households (``candidates_per_household`` times as many as
   needed) from family templates (couple, couple with children, three
   generations, ...), so relations and ``household_type`` agree by
   construction. :func:`draw_members` gives each member a sex and an age: the
   head from the district's 15+ sex x age margin weighted by the template's
   headship propensity, the others relative to the head (spouse close in age
   and of the other sex, children 22-40 years younger than their mother,
   parents 22-36 years older, ...).
3. Calibration. :func:`calibrate_households` tilts the candidates' selection
   probabilities, ``w = exp(sum of theta[district, sex x age] over members
   aged 15+)``, by raking until the expected 15+ counts per district x sex x
   age group equal ``population / scale`` while each cell's probabilities still
   sum to its allocated count. Systematic PPS selection then takes exactly the
   allocated number of households per cell. So household counts match to
   rounding and the 15+ population matches up to sampling noise and whatever
   the two registers disagree on (the raking does its best, then stops).
4. Enumeration areas, housing and income are drawn afterwards
   (:func:`assign_enumeration_areas`, :func:`draw_housing`,
   :func:`draw_income`) with area-level random effects, so households in one
   EA resemble each other as they do in a real frame; names, phones and
   addresses come from :mod:`data.synthetic_contacts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from data.synthetic_areas import assign_enumeration_areas, draw_housing, draw_income
from data.synthetic_contacts import draw_contacts, empty_contacts
from data.synthetic_draws import code_text, controlled_round, draw_categorical

__all__ = [
    "Frame",
    "FrameConfig",
    "age_group_of",
    "allocate_households",
    "assign_enumeration_areas",
    "calibrate_households",
    "controlled_round",
    "draw_contacts",
    "draw_household_types",
    "draw_housing",
    "draw_income",
    "draw_members",
    "generate_frame",
    "head_age_band_of",
    "household_type_from_counts",
]

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


@dataclass(frozen=True)
class FrameConfig:
    """Size, seed and shape of a synthetic frame.

    ``candidates_per_household`` is the size of the candidate pool the
    calibration chooses from (1 = no calibration: one candidate per household);
    ``raking_iterations`` caps the raking toward the population margin.
    """

    scale: float = 20.0  # real households per frame household
    seed: int = 20260101
    reference_year: int = 2026  # ages = reference_year - birth_year
    households_per_ea: int = 120  # target frame households per enumeration area (PSU)
    candidates_per_household: float = 2.0  # candidate pool size for calibration
    raking_iterations: int = 80


@dataclass
class Frame:
    """A generated frame; personal data (contacts) is kept in its own tables."""

    households: pd.DataFrame
    persons: pd.DataFrame
    household_contacts: pd.DataFrame
    person_contacts: pd.DataFrame
    scale_factor: float  # real households represented by one frame household
    config: FrameConfig = field(default_factory=FrameConfig)


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


def _population_table(population_margins: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
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


def _district_codes_of(candidates: pd.DataFrame) -> np.ndarray:
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


# -- 1. households per district x size -----------------------------------------
def allocate_households(
    household_margins: pd.DataFrame, scale: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Frame households per district x household size (1..5, 5 = five or more).

    Returns one row per district x size with ``expected`` (= margin / scale) and
    ``households`` (its controlled rounding). Districts are sorted by code.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    hm = household_margins.assign(
        district_code=code_text(household_margins["district_code"]),
        household_size=np.minimum(household_margins["household_size"].astype(int), 5),
    )
    if (hm["household_size"] < 1).any() or (hm["households"] < 0).any():
        raise ValueError("household_margins: household_size must be >= 1, households >= 0")
    table = (
        hm.groupby(["district_code", "household_size"])["households"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=range(1, 6), fill_value=0)
        .sort_index()
    )
    expected = table.to_numpy(dtype=float).ravel() / scale
    return pd.DataFrame(
        {
            "district_code": np.repeat(table.index.to_numpy(dtype=str), 5),
            "household_size": np.tile(np.arange(1, 6), len(table)),
            "expected": expected,
            "households": controlled_round(expected, rng),
        }
    )


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
    """Ages of all members, relative to the head (see the module docstring)."""
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
    population = _population_table(population_margins, _district_codes_of(candidates))
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


# -- 3. calibration to the 15+ population margin -------------------------------
class _Pool(NamedTuple):
    """Candidates laid out for raking: adults contiguous per household, households
    contiguous per cell (as :func:`draw_household_types` and :func:`draw_members` make them)."""

    key: np.ndarray  # district x sex x age cell of each adult, in household order
    adult_start: np.ndarray  # first adult of each household
    by_key: np.ndarray  # adults sorted by key: their household
    key_start: np.ndarray  # first adult of each present key in by_key
    keys: np.ndarray  # the present keys
    cell_start: np.ndarray  # first household of each non-empty cell
    cell_size: np.ndarray
    wanted: np.ndarray  # allocated households of each non-empty cell


def _segments(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and value of each run of equal values."""
    if len(sorted_values) == 0:
        return np.zeros(0, dtype=np.int64), sorted_values
    start = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return start, sorted_values[start]


def _pool(hh: np.ndarray, key: np.ndarray, cell: np.ndarray, wanted: np.ndarray) -> _Pool:
    """Lay out adults (household ``hh``, cell ``key``) and candidates (``cell``)."""
    if (np.diff(cell) < 0).any() or (np.diff(hh) < 0).any():
        raise ValueError("candidates must be sorted by cell and members by candidate")
    adult_start = _segments(hh)[0]
    if len(adult_start) != len(cell):
        raise ValueError("every candidate household needs a member aged 15+")
    small = key.astype(np.int16) if key.max() < 2**15 else key
    order = np.argsort(small, kind="stable")  # radix sort for int16
    key_start, keys = _segments(key[order])
    cell_start, cells = _segments(cell)
    cell_size = np.diff(np.r_[cell_start, len(cell)])
    return _Pool(key, adult_start, hh[order], key_start, keys, cell_start, cell_size, wanted[cells])


def _inclusion(
    theta: np.ndarray, pool: _Pool, certain: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Selection probabilities under tilt ``theta``: proportional to the weights,
    at most 1, summing to each cell's allocated count; and the households taken
    for certain. Passing the previous ``certain`` saves passes while raking
    (those households then stay certain: a close approximation)."""
    weight = np.exp(np.add.reduceat(theta[pool.key], pool.adult_start))
    certain = np.zeros(len(weight), dtype=bool) if certain is None else certain.copy()
    for _ in range(20):  # households whose share would pass 1 are taken for certain
        free = weight * ~certain
        total = np.add.reduceat(free, pool.cell_start)
        rest = pool.wanted - np.add.reduceat(certain, pool.cell_start)
        factor = rest / np.where(total > 0, total, 1.0)
        pi = np.where(certain, 1.0, free * np.repeat(factor, pool.cell_size))
        over = pi > 1
        if not over.any():
            break
        certain |= over
    return np.minimum(pi, 1.0), certain


def _achieved(pi: np.ndarray, pool: _Pool, n_keys: int) -> np.ndarray:
    """Expected adults per district x sex x age cell under selection probabilities pi."""
    achieved = np.zeros(n_keys)
    achieved[pool.keys] = np.add.reduceat(pi[pool.by_key], pool.key_start)
    return achieved


def _systematic_pps(pi: np.ndarray, cell: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Times each candidate is selected: systematic PPS within cells, random order.

    Exactly ``sum(pi)`` (an integer per cell) selections per cell; a candidate
    with ``pi`` > 1 may be taken more than once.
    """
    order = np.argsort(cell + rng.random(len(pi)))  # cell by cell, random within
    c, p = cell[order], pi[order]
    cum = np.cumsum(p)
    first = np.r_[True, c[1:] != c[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(c)), 0))
    before = (cum - p)[start]
    upper = cum - before
    last = np.r_[c[1:] != c[:-1], True]
    upper[last] = np.round(upper[last])
    offset = rng.uniform(1e-6, 1 - 1e-6, cell.max() + 1 if len(cell) else 0)[c]
    lower = np.where(first, 0.0, np.r_[0.0, upper[:-1]])
    times = np.ceil(upper - offset) - np.ceil(lower - offset)
    out = np.zeros(len(pi), dtype=np.int64)
    out[order] = times
    return out


def calibrate_households(
    candidates: pd.DataFrame,
    members: pd.DataFrame,
    allocation: pd.DataFrame,
    population_margins: pd.DataFrame,
    scale: float,
    rng: np.random.Generator,
    iterations: int = 80,
    tolerance: float = 0.005,
) -> np.ndarray:
    """How many times each candidate household enters the frame (0 or 1).

    Rakes the tilt ``theta[district, sex x age]`` until the expected members
    aged 15+ per district x sex x age group match ``population / scale``, then
    selects exactly the allocated number of households per cell.
    """
    if len(candidates) == 0:
        return np.zeros(0, dtype=np.int64)
    wanted = allocation["households"].to_numpy(dtype=float)
    cell = candidates["cell"].to_numpy()
    district = candidates["district"].to_numpy()
    target = _population_table(population_margins, _district_codes_of(candidates)).ravel() / scale
    adult = members["age"].to_numpy() >= 15
    hh = members["candidate"].to_numpy()[adult]
    sex_age = (
        (members["sex"].to_numpy()[adult] - 1) * 7
        + age_group_of(members["age"].to_numpy()[adult])
        - 1
    )
    key = district[hh] * N_CELLS + sex_age
    pool = _pool(hh, key, cell, wanted)
    theta, certain = np.zeros(len(target)), None
    for _ in range(iterations):
        pi, certain = _inclusion(theta, pool, certain)
        step = np.log((target + 0.5) / (_achieved(pi, pool, len(target)) + 0.5))
        if np.abs(step).max() < tolerance:
            break
        theta = np.clip(theta + 0.8 * step, -4.0, 4.0)
    return _systematic_pps(_inclusion(theta, pool)[0], cell, rng)


def _select(
    candidates: pd.DataFrame, members: pd.DataFrame, times: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chosen candidate households (repeated ``times``) and their members."""
    chosen = np.repeat(np.arange(len(candidates)), times)
    size = candidates["household_size"].to_numpy().astype(np.int64)
    start = np.cumsum(size) - size
    chosen_size = size[chosen]
    within = np.arange(chosen_size.sum()) - np.repeat(
        np.cumsum(chosen_size) - chosen_size, chosen_size
    )
    households = candidates.iloc[chosen].reset_index(drop=True)
    persons = members.iloc[np.repeat(start[chosen], chosen_size) + within].reset_index(drop=True)
    persons["household"] = np.repeat(np.arange(len(chosen)), chosen_size)
    return households, persons


# -- 5. the whole frame ---------------------------------------------------------
def _check_districts(
    districts: pd.DataFrame, population_margins: pd.DataFrame, household_margins: pd.DataFrame
) -> None:
    known = set(code_text(districts["code"]))
    for name, table in (
        ("population_margins", population_margins),
        ("household_margins", household_margins),
    ):
        unknown = set(code_text(table["district_code"])) - known
        if unknown:
            raise ValueError(f"{name}: district codes not in districts: {sorted(unknown)}")


def _number(
    households: pd.DataFrame, persons: pd.DataFrame, rng: np.random.Generator, reference_year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Order households by district and EA (random within), number them and their members."""
    ea = pd.factorize(households["ea_id"], sort=True)[0]
    order = np.argsort(ea + rng.random(len(ea)))  # EA by EA (so district by district)
    new_id = np.empty(len(households), dtype=np.int64)
    new_id[order] = np.arange(1, len(households) + 1)
    head_age = persons["age"].to_numpy()[persons["member_no"].to_numpy() == 1]
    hh = pd.DataFrame(
        {
            "household_id": new_id,
            "district_code": households["district_code"].astype(str),
            "ea_id": households["ea_id"].astype(str),
            "household_size": households["household_size"].astype(np.int16),
            "household_type": households["household_type"].astype(np.int16),
            "head_age_band": head_age_band_of(head_age).astype(np.int16),
        }
    )
    hh = hh.sort_values("household_id", kind="stable").reset_index(drop=True)
    household_id = new_id[persons["household"].to_numpy()]
    people = pd.DataFrame(
        {
            "household_id": household_id,
            "member_no": persons["member_no"].astype(np.int16),
            "relation": persons["relation"].astype(np.int16),
            "sex": persons["sex"].astype(np.int16),
            "birth_year": (reference_year - persons["age"]).astype(np.int16),
        }
    )
    people = people.iloc[np.argsort(household_id, kind="stable")].reset_index(drop=True)
    people.insert(0, "person_id", np.arange(1, len(people) + 1, dtype=np.int64))
    return hh, people


def generate_frame(
    districts: pd.DataFrame,
    population_margins: pd.DataFrame,
    household_margins: pd.DataFrame,
    config: FrameConfig = FrameConfig(),
    *,
    with_contacts: bool = True,
) -> Frame:
    """A synthetic Seoul frame consistent with the margins; same config, same frame.

    ``with_contacts=False`` leaves the contact tables empty (households and
    persons are the same as with contacts).
    """
    _check_districts(districts, population_margins, household_margins)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(8)]
    allocation = allocate_households(household_margins, config.scale, streams[0])
    candidates = draw_household_types(allocation, streams[1], config.candidates_per_household)
    members = draw_members(candidates, population_margins, streams[2])
    if config.candidates_per_household > 1:
        times = calibrate_households(
            candidates, members, allocation, population_margins, config.scale, streams[3],
            config.raking_iterations,
        )  # fmt: skip
    else:
        times = np.ones(len(candidates), dtype=np.int64)
    households, persons = _select(candidates, members, times)
    households["ea_id"] = assign_enumeration_areas(households, config.households_per_ea, streams[4])
    households, persons = _number(households, persons, streams[4], config.reference_year)
    households["housing_type"] = draw_housing(households, streams[5]).astype(np.int16)
    households["income_bracket"] = draw_income(households, streams[6]).astype(np.int16)
    households = households[
        ["household_id", "district_code", "ea_id", "household_size", "household_type"]
        + ["head_age_band", "income_bracket", "housing_type"]
    ]
    if with_contacts:
        contacts = draw_contacts(households, persons, districts, config.reference_year, streams[7])
    else:
        contacts = empty_contacts()
    return Frame(households, persons, *contacts, scale_factor=float(config.scale), config=config)
