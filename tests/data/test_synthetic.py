"""The synthetic Seoul frame: consistent with its margins, plausible, and reproducible.

The margins are built here (four districts, about 7,500 frame households at
scale 20), so these tests do not depend on the shipped reference files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.synthetic import (
    Frame,
    FrameConfig,
    age_group_of,
    allocate_households,
    controlled_round,
    generate_frame,
    head_age_band_of,
)

DISTRICTS = pd.DataFrame(
    {
        "code": ["11110", "11350", "11620", "11680"],
        "name_ko": ["종로구", "노원구", "관악구", "강남구"],
        "name_en": ["Jongno-gu", "Nowon-gu", "Gwanak-gu", "Gangnam-gu"],
    }
)
SIZE_SHARES = np.array([0.42, 0.25, 0.16, 0.13, 0.04])
# Share of the 15+ residents by sex (rows) x age group 1..7, roughly Seoul's.
AGE_PROFILE = np.array(
    [
        [0.020, 0.072, 0.080, 0.078, 0.083, 0.074, 0.071],
        [0.019, 0.076, 0.079, 0.079, 0.086, 0.081, 0.102],
    ]
)
SCALE = 20.0
YEAR = 2026


def make_margins(households: dict[str, int], young: dict[str, float] | None = None):
    """Household margins (by size) and 15+ population margins that roughly agree."""
    young = young or {}
    hm_rows, pm_rows = [], []
    for code, total in households.items():
        sizes = np.round(total * SIZE_SHARES).astype(int)
        hm_rows += [(code, size + 1, int(n)) for size, n in enumerate(sizes)]
        profile = AGE_PROFILE.copy()
        profile[:, 1:3] *= young.get(code, 1.0)
        population = np.round(total * 1.9 * profile / profile.sum()).astype(int)
        pm_rows += [(code, s + 1, g + 1, int(population[s, g])) for s in range(2) for g in range(7)]
    hm = pd.DataFrame(hm_rows, columns=["district_code", "household_size", "households"])
    pm = pd.DataFrame(pm_rows, columns=["district_code", "sex", "age_group", "population"])
    return pm, hm


POPULATION, HOUSEHOLDS = make_margins(
    {"11110": 40_000, "11350": 50_000, "11620": 30_000, "11680": 30_000}, young={"11620": 1.6}
)


@pytest.fixture(scope="module")
def frame() -> Frame:
    return generate_frame(DISTRICTS, POPULATION, HOUSEHOLDS, FrameConfig(scale=SCALE))


@pytest.fixture(scope="module")
def people(frame: Frame) -> pd.DataFrame:
    """Persons with age, district and their head's sex and age."""
    persons = frame.persons.merge(frame.households, on="household_id")
    persons["age"] = YEAR - persons["birth_year"]
    heads = persons[persons["relation"] == 1].set_index("household_id")
    persons["head_age"] = persons["household_id"].map(heads["age"])
    persons["head_sex"] = persons["household_id"].map(heads["sex"])
    return persons


# -- consistency with the margins -------------------------------------------------
def test_households_per_district_and_size_match_the_margins_to_rounding(frame: Frame):
    expected = HOUSEHOLDS.groupby(["district_code", "household_size"])["households"].sum() / SCALE
    size_class = frame.households["household_size"].clip(upper=5)
    counts = frame.households.groupby(["district_code", size_class]).size()
    counts = counts.reindex(expected.index, fill_value=0)
    assert (counts - expected).abs().max() < 1
    by_district = counts.groupby(level=0).sum() - expected.groupby(level=0).sum()
    assert by_district.abs().max() < 1
    assert len(frame.households) == np.floor(expected.sum() + 0.5)


def test_each_districts_residents_aged_15_plus_are_within_3_percent(people: pd.DataFrame):
    frame_15 = people[people["age"] >= 15].groupby("district_code").size()
    target = POPULATION.groupby("district_code")["population"].sum() / SCALE
    assert (frame_15 / target - 1).abs().max() < 0.03


def test_sex_by_age_distribution_of_residents_15_plus_is_within_1_5_points(people):
    adults = people[people["age"] >= 15]
    frame_share = adults.groupby(["sex", age_group_of(adults["age"])]).size()
    frame_share = frame_share / frame_share.sum()
    target = POPULATION.groupby(["sex", "age_group"])["population"].sum()
    target = target / target.sum()
    assert np.abs(frame_share.to_numpy() - target.to_numpy()).max() * 100 < 1.5


def test_each_districts_sex_by_age_shares_follow_its_margin_within_3_points(people):
    adults = people[people["age"] >= 15]
    counts = adults.groupby(["district_code", "sex", age_group_of(adults["age"])]).size()
    shares = counts / counts.groupby(level=0).transform("sum")
    target = POPULATION.set_index(["district_code", "sex", "age_group"])["population"]
    target = target / target.groupby(level=0).transform("sum")
    assert np.abs(shares.to_numpy() - target.to_numpy()).max() * 100 < 3


def test_a_young_district_gets_more_residents_in_their_twenties(people: pd.DataFrame):
    adults = people[people["age"] >= 15]
    twenties = (adults["age"] // 10 == 2).groupby(adults["district_code"]).mean()
    assert twenties["11620"] > twenties.drop("11620").max() + 0.03


def test_the_scale_factor_is_recorded(frame: Frame):
    assert frame.scale_factor == SCALE


# -- structural invariants --------------------------------------------------------
def test_ids_are_unique_and_every_person_belongs_to_a_frame_household(frame: Frame):
    households, persons = frame.households, frame.persons
    assert households["household_id"].tolist() == list(range(1, len(households) + 1))
    assert persons["person_id"].tolist() == list(range(1, len(persons) + 1))
    assert persons["household_id"].isin(households["household_id"]).all()


def test_every_household_has_exactly_one_head_and_it_is_member_one(frame: Frame):
    heads = frame.persons[frame.persons["relation"] == 1]
    assert heads["household_id"].is_unique
    assert len(heads) == len(frame.households)
    assert (heads["member_no"] == 1).all()
    assert ((frame.persons["member_no"] == 1) == (frame.persons["relation"] == 1)).all()


def test_household_size_is_the_number_of_members(frame: Frame):
    members = frame.persons.groupby("household_id").size()
    sizes = frame.households.set_index("household_id")["household_size"]
    assert (members.reindex(sizes.index) == sizes).all()
    numbers = frame.persons.groupby("household_id")["member_no"].agg(["min", "max", "nunique"])
    assert (numbers["min"] == 1).all() and (numbers["max"] == numbers["nunique"]).all()


def test_household_type_agrees_with_the_relations(frame: Frame):
    rel = pd.crosstab(frame.persons["household_id"], frame.persons["relation"])
    rel = rel.reindex(columns=range(1, 10), fill_value=0)
    spouse, child, other = rel[2] > 0, rel[3] > 0, rel[[4, 5, 6, 7, 8, 9]].sum(axis=1) > 0
    size = rel.sum(axis=1)
    expected = np.select(
        [size == 1, spouse & ~child & ~other, spouse & child & ~other, ~spouse & child & ~other],
        [1, 2, 3, 4],
        default=5,
    )
    actual = frame.households.set_index("household_id")["household_type"].reindex(rel.index)
    assert (actual.to_numpy() == expected).all()
    assert set(actual) == {1, 2, 3, 4, 5}


def test_head_age_band_is_the_heads_age(people: pd.DataFrame):
    heads = people[people["relation"] == 1]
    assert (heads["head_age_band"] == head_age_band_of(heads["age"])).all()
    assert heads["age"].min() >= 18


def test_codes_are_within_their_code_lists(people: pd.DataFrame):
    assert set(people["sex"]) == {1, 2}
    assert set(people["relation"]) <= set(range(1, 10))
    assert set(people["income_bracket"]) == set(range(1, 10))
    assert set(people["housing_type"]) == set(range(1, 7))
    assert people["age"].between(0, 100).all()
    assert (people["age"] < 15).mean() > 0.03  # children are in the frame too


# -- plausible families -------------------------------------------------------------
def test_spouses_are_of_the_other_sex_and_close_in_age(people: pd.DataFrame):
    spouses = people[people["relation"] == 2]
    assert (spouses["sex"] != spouses["head_sex"]).all()
    gap = (spouses["age"] - spouses["head_age"]).abs()
    assert gap.max() <= 20 and (gap <= 8).mean() > 0.9


def test_children_are_a_generation_younger_than_the_head(people: pd.DataFrame):
    gap = (
        people.loc[people["relation"] == 3, "head_age"] - people.loc[people["relation"] == 3, "age"]
    )
    assert gap.min() >= 12
    assert 25 <= gap.median() <= 40


def test_parents_and_grandchildren_are_a_generation_away(people: pd.DataFrame):
    parents = people[people["relation"] == 5]
    grandchildren = people[people["relation"] == 6]
    assert (parents["age"] - parents["head_age"]).min() >= 15
    assert (grandchildren["head_age"] - grandchildren["age"]).min() >= 36


# -- households' income and housing ------------------------------------------------
def test_income_is_higher_in_gangnam(frame: Frame):
    mean = frame.households.groupby("district_code")["income_bracket"].mean()
    assert mean["11680"] > mean.drop("11680").max()


def test_income_is_lower_for_one_person_households_aged_70_plus_and_under_30(frame: Frame):
    households = frame.households
    one = households[households["household_size"] == 1]
    mean = one.groupby("head_age_band")["income_bracket"].mean()
    assert mean[6] < mean[[2, 3, 4]].min() and mean[1] < mean[[2, 3, 4]].min()
    by_size = households.groupby(households["household_size"].clip(upper=4))["income_bracket"]
    assert by_size.mean().is_monotonic_increasing


def test_apartments_are_most_common_and_more_so_in_nowon(frame: Frame):
    apartment = frame.households["housing_type"] == 2
    assert 0.5 < apartment.mean() < 0.72
    share = apartment.groupby(frame.households["district_code"]).mean()
    assert share["11350"] > share.drop("11350").max() + 0.1


def test_one_person_households_live_in_officetels_more_often(frame: Frame):
    officetel = frame.households["housing_type"] == 5
    one = frame.households["household_size"] == 1
    assert officetel[one].mean() > 2 * officetel[~one].mean()


def test_enumeration_areas_nest_in_districts_and_vary_around_the_target(frame: Frame):
    households = frame.households
    assert (households["ea_id"].str[:5] == households["district_code"]).all()
    assert households["ea_id"].str.fullmatch(r"\d{5}-\d{4}").all()
    sizes = households.groupby("ea_id").size()
    assert sizes.between(40, 220).all() and 100 <= sizes.mean() <= 140 and sizes.std() > 15
    assert households["ea_id"].is_monotonic_increasing  # ids run EA by EA


# -- contacts -------------------------------------------------------------------------
def test_every_household_has_a_seoul_road_address_and_postal_code_in_its_district(frame: Frame):
    contacts = frame.household_contacts.merge(frame.households, on="household_id")
    assert contacts["household_id"].tolist() == frame.households["household_id"].tolist()
    gu = contacts["district_code"].map(DISTRICTS.set_index("code")["name_ko"])
    assert all(
        a.startswith(f"서울특별시 {g} ") for a, g in zip(contacts["address"], gu, strict=True)
    )
    assert contacts["address"].str.contains(r"로(?:\d+길)? \d+").all()
    apartments = contacts[contacts["housing_type"] == 2]["address"]
    assert apartments.str.contains(r"\d+동 \d+호$").all()
    assert contacts["postal_code"].str.fullmatch(r"0[1-8]\d{3}").all()
    nowon = contacts.loc[contacts["district_code"] == "11350", "postal_code"]
    assert nowon.str[:3].isin(["016", "017", "018"]).all()


def test_names_are_korean_and_common_surnames_come_first(frame: Frame):
    names = frame.person_contacts["name"]
    assert names.str.fullmatch(r"[가-힣]{2,5}").all()
    assert names.str[0].value_counts().index[:3].tolist() == ["김", "이", "박"]
    assert frame.person_contacts["person_id"].tolist() == frame.persons["person_id"].tolist()


def test_children_of_a_father_heading_the_household_carry_his_surname(frame: Frame, people):
    named = people.merge(frame.person_contacts, on="person_id")
    named["surname"] = named["name"].str[0]
    head_surname = named[named["relation"] == 1].set_index("household_id")["surname"]
    children = named[(named["relation"] == 3) & (named["head_sex"] == 1)]
    assert len(children) > 1000
    assert (children["surname"] == children["household_id"].map(head_surname)).all()


def test_mobiles_are_unique_and_young_children_have_none(frame: Frame, people):
    contacts = frame.person_contacts.merge(people[["person_id", "age"]], on="person_id")
    has = contacts["mobile"] != ""
    assert contacts.loc[has, "mobile"].str.fullmatch(r"010-\d{4}-\d{4}").all()
    assert contacts.loc[has, "mobile"].is_unique
    assert not has[contacts["age"] < 10].any() and has[contacts["age"] >= 20].mean() > 0.9


def test_landlines_are_seoul_numbers_and_commoner_for_older_heads(frame: Frame):
    contacts = frame.household_contacts.merge(frame.households, on="household_id")
    has = contacts["phone"] != ""
    assert contacts.loc[has, "phone"].str.fullmatch(r"02-\d{4}-\d{4}").all()
    assert contacts.loc[has, "phone"].is_unique
    share = has.groupby(contacts["head_age_band"]).mean()
    assert share[6] > 3 * share[1]


# -- reproducibility -------------------------------------------------------------------
def _assert_same(a: Frame, b: Frame) -> None:
    for table in ("households", "persons", "household_contacts", "person_contacts"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))


def test_the_same_config_gives_the_same_frame(frame: Frame):
    _assert_same(frame, generate_frame(DISTRICTS, POPULATION, HOUSEHOLDS, FrameConfig(scale=SCALE)))


def test_another_seed_gives_another_frame(frame: Frame):
    other = generate_frame(DISTRICTS, POPULATION, HOUSEHOLDS, FrameConfig(scale=SCALE, seed=7))
    assert not other.persons.equals(frame.persons)
    assert not other.person_contacts["name"].equals(frame.person_contacts["name"])


def test_without_contacts_the_frame_is_the_same_and_the_contact_tables_empty(frame: Frame):
    bare = generate_frame(
        DISTRICTS, POPULATION, HOUSEHOLDS, FrameConfig(scale=SCALE), with_contacts=False
    )
    pd.testing.assert_frame_equal(bare.households, frame.households)
    pd.testing.assert_frame_equal(bare.persons, frame.persons)
    assert bare.household_contacts.empty and bare.person_contacts.empty
    assert list(bare.person_contacts.columns) == ["person_id", "name", "mobile"]


def test_a_later_reference_year_only_shifts_birth_years(frame: Frame):
    later = generate_frame(
        DISTRICTS, POPULATION, HOUSEHOLDS, FrameConfig(scale=SCALE, reference_year=YEAR + 4)
    )
    pd.testing.assert_frame_equal(later.households, frame.households)
    assert (later.persons["birth_year"] - frame.persons["birth_year"] == 4).all()


# -- inputs and helpers ------------------------------------------------------------------
def test_margins_for_unknown_districts_are_refused():
    population, households = make_margins({"11999": 1000})
    with pytest.raises(ValueError, match="11999"):
        generate_frame(DISTRICTS, population, households, FrameConfig(scale=SCALE))


def test_district_codes_read_as_numbers_are_accepted():
    population, households = make_margins({"11110": 5000})
    numeric = generate_frame(
        DISTRICTS.assign(code=DISTRICTS["code"].astype(int)),
        population.assign(district_code=population["district_code"].astype(int)),
        households.assign(district_code=households["district_code"].astype(int)),
        FrameConfig(scale=SCALE),
    )
    assert set(numeric.households["district_code"]) == {"11110"}


@pytest.mark.parametrize(
    ("age", "group", "band"),
    [(0, 0, 1), (14, 0, 1), (15, 1, 1), (19, 1, 1), (20, 2, 1), (29, 2, 1), (30, 3, 2)]
    + [(49, 4, 3), (50, 5, 4), (69, 6, 5), (70, 7, 6), (100, 7, 6)],
)
def test_age_group_and_head_age_band_boundaries(age: int, group: int, band: int):
    assert age_group_of(np.array([age]))[0] == group
    assert head_age_band_of(np.array([age]))[0] == band


def test_the_age_helpers_keep_a_series_index():
    ages = pd.Series([17, 45], index=["a", "b"])
    assert age_group_of(ages).to_dict() == {"a": 1, "b": 4}


# -- properties -----------------------------------------------------------------------------
@given(values=st.lists(st.floats(0, 500), max_size=40), seed=st.integers(0, 2**32 - 1))
def test_controlled_rounding_keeps_cells_runs_and_total_within_rounding(values, seed):
    rounded = controlled_round(np.array(values), np.random.default_rng(seed))
    exact = np.array(values)
    assert (np.abs(rounded - exact) < 1 + 1e-9).all()
    assert rounded.sum() == np.floor(exact.sum() + 0.5)
    if len(values) > 1:
        assert abs(rounded[: len(values) // 2].sum() - exact[: len(values) // 2].sum()) < 1 + 1e-9


margin_cells = st.lists(st.integers(0, 1500), min_size=6, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.dictionaries(st.sampled_from(["11110", "11350", "11620", "11680"]), margin_cells),
    scale=st.floats(5, 60),
    spread=st.floats(0.6, 1.5),
    seed=st.integers(0, 2**31),
)
def test_any_small_margins_give_a_consistent_frame(cells, scale, spread, seed):
    """Random margins (sizes 1..6, where 6 counts as 5+) and a population that agrees
    only roughly: counts still match the allocation and the invariants hold."""
    households = pd.DataFrame(
        [(code, size + 1, n) for code, row in cells.items() for size, n in enumerate(row)],
        columns=["district_code", "household_size", "households"],
    )
    if households.empty:
        households = pd.DataFrame(columns=["district_code", "household_size", "households"])
    totals = households.groupby("district_code")["households"].sum()
    population = pd.DataFrame(
        [
            (
                code,
                s + 1,
                g + 1,
                int(totals[code] * 1.9 * spread * AGE_PROFILE[s, g] / AGE_PROFILE.sum()),
            )
            for code in totals.index
            for s in range(2)
            for g in range(7)
        ],
        columns=["district_code", "sex", "age_group", "population"],
    )
    config = FrameConfig(scale=scale, seed=seed)
    frame = generate_frame(DISTRICTS, population, households, config)
    allocation = allocate_households(households, scale, np.random.default_rng(0))
    assert len(frame.households) == allocation["households"].sum()
    if frame.households.empty:
        assert frame.persons.empty and frame.person_contacts.empty
        return
    size_class = frame.households["household_size"].clip(upper=5)
    counts = frame.households.groupby(["district_code", size_class]).size()
    expected = allocation.set_index(["district_code", "household_size"])["expected"]
    assert (counts.reindex(expected.index, fill_value=0) - expected).abs().max() < 1
    heads = frame.persons[frame.persons["relation"] == 1]
    assert heads["household_id"].tolist() == frame.households["household_id"].tolist()
    members = frame.persons.groupby("household_id").size()
    assert (members.to_numpy() == frame.households["household_size"].to_numpy()).all()
    assert (
        (frame.households["household_type"] == 1) == (frame.households["household_size"] == 1)
    ).all()
    assert len(frame.person_contacts) == len(frame.persons)
