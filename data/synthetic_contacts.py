"""Names, phone numbers and addresses for the synthetic Seoul frame.

Why a module of its own: these are the frame's only personal-looking data,
kept in their own tables (household_contacts, person_contacts) so that access
to them can be restricted and the rest of the frame shared. They are made up:
word lists come from Faker's ko_KR providers (surnames with their population
weights, given names by sex, road names) and everything is sampled in numpy
vectors and joined with vectorized string operations, never row by row.

Plausibility rules: children and grandchildren carry the family surname (the
father's where he is in the household), a spouse keeps her or his own; every
household in an enumeration area lives on the same road with the same postal
code (which lies in the district's real range); landlines are commoner for
older heads; mobiles unique, none for young children; phones unique.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from faker.providers.address.ko_KR import Provider as KoreanAddress
from faker.providers.person.ko_KR import Provider as KoreanPerson

# Faker builds ``last_names`` from pairs in which six surnames appear twice (two
# clans each); the dict keeps only the second, smaller weight. These are the sums
# of Faker's own two entries.
SURNAME_FIXES = {"정": 0.02576, "조": 0.01574, "임": 0.01014, "신": 0.00933, "전": 0.00745, "유": 0.00469}  # fmt: skip


def _surnames() -> tuple[np.ndarray, np.ndarray]:
    """Distinct surnames and their probabilities (김, 이, 박 most common)."""
    weights = pd.Series(dict(KoreanPerson.last_names), dtype=float)
    weights.update(pd.Series(SURNAME_FIXES))
    return weights.index.to_numpy(dtype=object), (weights / weights.sum()).to_numpy()


SURNAMES, SURNAME_WEIGHTS = _surnames()
MALE_NAMES = np.array(list(KoreanPerson.first_names_male), dtype=object)
FEMALE_NAMES = np.array(list(KoreanPerson.first_names_female), dtype=object)
ROAD_NAMES = np.array(KoreanAddress.road_names, dtype=object)
# First three digits of each district's 5-digit postal codes (inclusive range).
POSTAL_PREFIX = {
    "11110": (30, 32), "11140": (45, 46), "11170": (43, 44), "11200": (47, 48),
    "11215": (49, 51), "11230": (24, 26), "11260": (20, 22), "11290": (27, 29),
    "11305": (10, 12), "11320": (13, 14), "11350": (16, 18), "11380": (33, 35),
    "11410": (36, 38), "11440": (39, 42), "11470": (79, 81), "11500": (75, 78),
    "11530": (82, 84), "11545": (85, 86), "11560": (72, 74), "11590": (69, 71),
    "11620": (87, 88), "11650": (65, 68), "11680": (60, 63), "11710": (55, 58),
    "11740": (52, 54),
}  # fmt: skip
LANDLINE_SHARE = np.array([0.03, 0.08, 0.15, 0.25, 0.40, 0.55])  # by head age band 1..6
HOUSEHOLD_CONTACT_COLUMNS = ["household_id", "address", "postal_code", "phone"]
PERSON_CONTACT_COLUMNS = ["person_id", "name", "mobile"]


def empty_contacts() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contact tables with their columns and no rows (frames built without contacts)."""
    households = pd.DataFrame({c: pd.Series(dtype=str) for c in HOUSEHOLD_CONTACT_COLUMNS})
    persons = pd.DataFrame({c: pd.Series(dtype=str) for c in PERSON_CONTACT_COLUMNS})
    households["household_id"] = households["household_id"].astype(np.int64)
    persons["person_id"] = persons["person_id"].astype(np.int64)
    return households, persons


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=str)


def _digits(numbers: np.ndarray, width: int) -> pd.Series:
    return _text(numbers).str.zfill(width)


def _phone_numbers(prefix: str, n: int, rng: np.random.Generator) -> pd.Series:
    """``n`` distinct numbers "prefix-XXXX-XXXX" (first digit 2-9)."""
    number = rng.choice(80_000_000, size=n, replace=False) + 20_000_000
    return prefix + _digits(number // 10_000, 4) + "-" + _digits(number % 10_000, 4)


def draw_names(
    households: pd.DataFrame, persons: pd.DataFrame, rng: np.random.Generator
) -> pd.Series:
    """Korean full names (surname + given name) of ``persons``, aligned with it."""
    hh = pd.Index(households["household_id"]).get_indexer(persons["household_id"])
    relation = persons["relation"].to_numpy()
    sex = persons["sex"].to_numpy()
    n_hh, n = len(households), len(persons)
    family = rng.choice(len(SURNAMES), size=n_hh, p=SURNAME_WEIGHTS)
    own = rng.choice(len(SURNAMES), size=n, p=SURNAME_WEIGHTS)
    head_male = np.zeros(n_hh, dtype=bool)
    head_male[hh[relation == 1]] = sex[relation == 1] == 1
    father = np.where(head_male, family, -1)
    father[hh[relation == 2]] = np.where(
        head_male[hh[relation == 2]], family[hh[relation == 2]], own[relation == 2]
    )
    u = rng.random(n)
    father_line = np.where(father[hh] >= 0, father[hh], np.where(u < 0.85, family[hh], own))
    surname = np.select(
        [relation == 1, relation == 3, relation == 6, (relation == 5) & (sex == 1), relation == 7],
        [family[hh], father_line, np.where(u < 0.8, family[hh], own), family[hh], family[hh]],
        default=own,
    )
    given = np.where(
        sex == 1,
        MALE_NAMES[rng.integers(0, len(MALE_NAMES), n)],
        FEMALE_NAMES[rng.integers(0, len(FEMALE_NAMES), n)],
    )
    return _text(SURNAMES[surname]) + _text(given)


def _mobiles(persons: pd.DataFrame, reference_year: int, rng: np.random.Generator) -> pd.Series:
    """Mobile numbers; none under 10, some at 10-14, most adults, fewer at 80+."""
    age = reference_year - persons["birth_year"].to_numpy()
    share = np.select([age < 10, age < 13, age < 15, age < 80], [0.0, 0.6, 0.9, 0.98], 0.85)
    has = rng.random(len(age)) < share
    return _phone_numbers("010-", len(age), rng).where(has, "")


def _roads(
    households: pd.DataFrame, districts: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, pd.Series, pd.Series, pd.Series]:
    """Each household's EA index and, per EA, the district name, road name and postal
    code (every household of an EA shares them)."""
    ea, ea_ids = pd.factorize(households["ea_id"])
    ea_district = _text(ea_ids.str.split("-").str[0].to_numpy())
    names = districts.assign(code=districts["code"].astype(str).str.strip()).set_index("code")
    gu = ea_district.map(names["name_ko"]).fillna("")
    stem = gu.str.replace(r"구$", "", regex=True)
    n_ea = len(ea_ids)
    own_stem = (stem.str.len() >= 2) & (rng.random(n_ea) < 0.35)
    stem = stem.where(own_stem, _text(ROAD_NAMES[rng.integers(0, len(ROAD_NAMES), n_ea)]))
    lane = _text(rng.integers(1, 80, n_ea))
    road = (stem + "로").where(rng.random(n_ea) < 0.3, stem + "로" + lane + "길")
    low, high = (ea_district.map({k: v[i] for k, v in POSTAL_PREFIX.items()}) for i in (0, 1))
    low, high = low.fillna(10).to_numpy(int) * 100, high.fillna(89).to_numpy(int) * 100 + 99
    postal = _digits(rng.integers(low, high + 1), 5)
    return ea, gu, road, postal


def draw_addresses(
    households: pd.DataFrame, districts: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.Series, pd.Series]:
    """Road addresses "서울특별시 노원구 상계로12길 34, 105동 1203호" and postal codes."""
    ea, gu, road, postal = _roads(households, districts, rng)
    n = len(households)
    housing = households["housing_type"].to_numpy()
    base = rng.integers(1, 200, len(postal))[ea]
    building = np.where(housing == 2, base, base + rng.integers(0, 60, n))
    floor, unit = rng.integers(1, 26, n), rng.integers(1, 7, n)
    dong = 101 + rng.integers(0, 12, n)
    detail = pd.Series("", index=range(n), dtype=str)
    parts = {
        2: ", " + _text(dong) + "동 " + _text(floor * 100 + unit) + "호",
        3: ", " + _text(floor % 5 + 1) + "0" + _text(unit % 4 + 1) + "호",
        4: ", " + _text(floor % 4 + 2) + "층",
        5: ", " + _text((floor % 19 + 2) * 100 + unit * 4) + "호",
        6: ", " + _text(rng.integers(1, 61, n)) + "호",
    }
    for kind, text in parts.items():
        detail = detail.where(housing != kind, text)
    address = "서울특별시 " + gu.iloc[ea].reset_index(drop=True) + " "
    address += road.iloc[ea].reset_index(drop=True) + " " + _text(building) + detail
    return address, postal.iloc[ea].reset_index(drop=True)


def draw_contacts(
    households: pd.DataFrame,
    persons: pd.DataFrame,
    districts: pd.DataFrame,
    reference_year: int,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(household_contacts, person_contacts) for a frame's households and persons."""
    if len(households) == 0:
        return empty_contacts()
    address, postal = draw_addresses(households, districts, rng)
    landline = (
        rng.random(len(households)) < LANDLINE_SHARE[households["head_age_band"].to_numpy() - 1]
    )
    household_contacts = pd.DataFrame(
        {
            "household_id": households["household_id"].to_numpy(dtype=np.int64),
            "address": address,
            "postal_code": postal,
            "phone": _phone_numbers("02-", len(households), rng).where(landline, ""),
        }
    )
    person_contacts = pd.DataFrame(
        {
            "person_id": persons["person_id"].to_numpy(dtype=np.int64),
            "name": draw_names(households, persons, rng),
            "mobile": _mobiles(persons, reference_year, rng),
        }
    )
    return household_contacts, person_contacts
