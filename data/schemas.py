"""Pandera schemas of the tables this foundation stores.

Schemas that check codes are built from the code lists actually loaded
(:class:`ReferenceCodes`), so replacing a code list through the admin page
changes what is accepted everywhere. Integer columns are nullable ``Int64``
so that a missing cell is reported as missing, not as a type error; the
conversion of raw text is done by :func:`data.validation.validate_frame`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from data.accounts import ROLES, USERNAME_PATTERN
from data.text import Text
from data.validation import check_error, rule

CODE_LISTS: dict[str, tuple[str, str] | None] = {
    # list name -> (min column, max column) of its bands, or None
    "sex": None,
    "age_groups": ("min_age", "max_age"),
    "household_types": None,
    "head_age_bands": ("min_age", "max_age"),
    "income_brackets": ("min_manwon", "max_manwon"),
    "housing_types": None,
    "relations": None,
    "household_sizes": ("min_size", "max_size"),
}


@dataclass(frozen=True)
class ReferenceCodes:
    """The district codes and code lists that other tables are checked against."""

    districts: frozenset[str]
    lists: dict[str, frozenset[int]] = field(default_factory=dict)

    def codes(self, name: str) -> list[int]:
        return sorted(self.lists.get(name, frozenset()))


def _int(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column("Int64", list(checks), nullable=nullable, unique=unique)


def _str(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column("string", list(checks), nullable=nullable, unique=unique)


def _not_blank() -> pa.Check:
    return pa.Check.str_length(min_value=1, max_value=200)


# -- reference tables -------------------------------------------------------------
def districts_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": _str(pa.Check.str_matches(r"^11\d{3}$"), unique=True),
            "name_ko": _str(pa.Check.str_matches(r"^\S+구$")),
            "name_en": _str(_not_blank()),
        },
        strict=True,
        name="districts",
    )


def code_list_schema(name: str) -> pa.DataFrameSchema:
    """Schema of one code list file (code, labels, and bounds for banded lists)."""
    columns = {
        "code": _int(pa.Check.ge(0), unique=True),
        "label_ko": _str(_not_blank()),
        "label_en": _str(_not_blank()),
    }
    checks = []
    bounds = CODE_LISTS[name]
    if bounds:
        low, high = bounds
        columns[low] = _int(pa.Check.ge(0))
        columns[high] = _int(pa.Check.ge(0), nullable=True)
        checks.append(
            rule(
                "bounds_ordered",
                Text(f"{low} 이(가) {high} 보다 큽니다.", f"{low} is greater than {high}."),
                lambda df, lo=low, hi=high: df[hi].isna() | (df[lo] <= df[hi]),
            )
        )
    return pa.DataFrameSchema(columns, checks=checks, strict=True, name=name)


def population_margins_schema(codes: ReferenceCodes) -> pa.DataFrameSchema:
    """Residents 15+ by district x sex x age group: every cell present, counts >= 0."""
    key = ["district_code", "sex", "age_group"]
    expected = pd.MultiIndex.from_product(
        [sorted(codes.districts), codes.codes("sex"), codes.codes("age_groups")], names=key
    )
    return pa.DataFrameSchema(
        {
            "district_code": _str(pa.Check.isin(sorted(codes.districts))),
            "sex": _int(pa.Check.isin(codes.codes("sex"))),
            "age_group": _int(pa.Check.isin(codes.codes("age_groups"))),
            "population": _int(pa.Check.ge(0), pa.Check.le(2_000_000)),
        },
        checks=[
            _complete_str_key(
                key, expected, Text("자치구×성별×연령대", "district x sex x age-group cells")
            )
        ],
        unique=key,
        strict=True,
        name="population_margins",
    )


def household_margins_schema(codes: ReferenceCodes) -> pa.DataFrameSchema:
    """Households by district x household size: every cell present, counts >= 0."""
    key = ["district_code", "household_size"]
    expected = pd.MultiIndex.from_product(
        [sorted(codes.districts), codes.codes("household_sizes")], names=key
    )
    return pa.DataFrameSchema(
        {
            "district_code": _str(pa.Check.isin(sorted(codes.districts))),
            "household_size": _int(pa.Check.isin(codes.codes("household_sizes"))),
            "households": _int(pa.Check.ge(0), pa.Check.le(2_000_000)),
        },
        checks=[
            _complete_str_key(
                key, expected, Text("자치구×가구원수", "district x household-size cells")
            )
        ],
        unique=key,
        strict=True,
        name="household_margins",
    )


def _complete_str_key(key: list[str], expected: pd.MultiIndex, what: Text) -> pa.Check:
    def check(df: pd.DataFrame) -> bool:
        rows = df[key].dropna()
        present = set(map(tuple, rows.astype(object).itertuples(index=False, name=None)))
        wanted = set(expected.to_list())
        return wanted <= {tuple(int(v) if i else str(v) for i, v in enumerate(t)) for t in present}

    return pa.Check(
        check,
        name="complete",
        error=check_error(
            Text(
                f"표가 완전하지 않습니다: {what.ko} {len(expected)}개 칸이 모두 있어야 합니다.",
                f"The table is incomplete: all {len(expected)} {what.en} must be present.",
            )
        ),
    )


# -- the frame ----------------------------------------------------------------------
def frame_households_schema(codes: ReferenceCodes) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "household_id": _int(pa.Check.gt(0), unique=True),
            "district_code": _str(pa.Check.isin(sorted(codes.districts))),
            "ea_id": _str(pa.Check.str_matches(r"^11\d{3}-\d{4}$")),
            "household_size": _int(pa.Check.in_range(1, 30)),
            "household_type": _int(pa.Check.isin(codes.codes("household_types"))),
            "head_age_band": _int(pa.Check.isin(codes.codes("head_age_bands"))),
            "income_bracket": _int(pa.Check.isin(codes.codes("income_brackets"))),
            "housing_type": _int(pa.Check.isin(codes.codes("housing_types"))),
        },
        checks=[
            rule(
                "ea_in_district",
                Text(
                    "조사구 번호가 가구의 자치구에 속하지 않습니다.",
                    "The enumeration area is not in the household's district.",
                ),
                lambda df: df["ea_id"].str.slice(0, 5) == df["district_code"],
            ),
            rule(
                "one_person_type",
                Text(
                    "1인 가구 유형과 가구원수가 맞지 않습니다.",
                    "Household type 'one person' does not match the household size.",
                ),
                lambda df: (df["household_type"] == 1) == (df["household_size"] == 1),
            ),
        ],
        strict=True,
        name="frame_households",
    )


def frame_persons_schema(codes: ReferenceCodes, reference_year: int) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "person_id": _int(pa.Check.gt(0), unique=True),
            "household_id": _int(pa.Check.gt(0)),
            "member_no": _int(pa.Check.in_range(1, 30)),
            "relation": _int(pa.Check.isin(codes.codes("relations"))),
            "sex": _int(pa.Check.isin(codes.codes("sex"))),
            "birth_year": _int(pa.Check.in_range(reference_year - 110, reference_year)),
        },
        checks=[
            rule(
                "head_is_member_one",
                Text(
                    "가구주는 가구원 번호 1이어야 합니다.",
                    "The household head must be member number 1.",
                ),
                lambda df: (df["relation"] == 1) == (df["member_no"] == 1),
            )
        ],
        unique=["household_id", "member_no"],
        strict=True,
        name="frame_persons",
    )


def frame_household_contacts_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "household_id": _int(pa.Check.gt(0), unique=True),
            "address": _str(pa.Check.str_startswith("서울특별시 ")),
            "postal_code": _str(pa.Check.str_matches(r"^0[1-8]\d{3}$")),
            "phone": _str(pa.Check.str_matches(r"^02-\d{3,4}-\d{4}$"), nullable=True),
        },
        strict=True,
        name="frame_household_contacts",
    )


def frame_person_contacts_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "person_id": _int(pa.Check.gt(0), unique=True),
            "name": _str(pa.Check.str_matches(r"^[가-힣]{2,5}$")),
            "mobile": _str(pa.Check.str_matches(r"^010-\d{4}-\d{4}$"), nullable=True),
        },
        strict=True,
        name="frame_person_contacts",
    )


# -- staff, audit, quarantine -----------------------------------------------------
def staff_user_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "username": _str(pa.Check.str_matches(USERNAME_PATTERN), unique=True),
            "display_name": _str(_not_blank()),
            "role": _str(pa.Check.isin(sorted(ROLES))),
            "password_hash": _str(pa.Check.str_startswith("$argon2id$")),
        },
        strict=False,
        name="staff_users",
    )


def audit_event_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "actor": _str(_not_blank()),
            "action": _str(pa.Check.str_matches(r"^[a-z_]+$")),
            "target": _str(nullable=True),
            "detail": _str(pa.Check.str_startswith("{")),
        },
        strict=False,
        name="audit_log",
    )


def quarantine_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source": _str(_not_blank()),
            "batch_id": _str(_not_blank()),
            "raw_record": _str(pa.Check.str_startswith("{")),
            "reasons": _str(pa.Check.str_startswith("[")),
            "status": _str(pa.Check.isin(["open", "resolved"])),
        },
        strict=False,
        name="quarantine",
    )


REFERENCE_TABLES = ("districts", *CODE_LISTS, "population_margins", "household_margins")


def reference_schema(table: str, codes: ReferenceCodes) -> pa.DataFrameSchema:
    """The schema an uploaded or shipped reference CSV must meet."""
    if table == "districts":
        return districts_schema()
    if table in CODE_LISTS:
        return code_list_schema(table)
    if table == "population_margins":
        return population_margins_schema(codes)
    if table == "household_margins":
        return household_margins_schema(codes)
    raise KeyError(f"not a reference table: {table}")


# -- contact lists (a survey's sample drawn from an uploaded list) --------------------------
CONTACT_LIST_COLUMNS = ("name", "district_code", "address", "postal_code", "mobile", "email")


def contact_list_schema(districts: frozenset[str]) -> pa.DataFrameSchema:
    """One row per household of an uploaded contact list (after names of districts became
    codes and mobile numbers were put in the 010-0000-0000 form)."""
    return pa.DataFrameSchema(
        {
            "name": _str(_not_blank()),
            "district_code": _str(pa.Check.isin(sorted(districts))),
            "address": _str(pa.Check.str_length(min_value=5, max_value=200), nullable=True),
            "postal_code": _str(pa.Check.str_matches(r"^\d{5}$"), nullable=True),
            "mobile": _str(pa.Check.str_matches(r"^01[016789]-\d{3,4}-\d{4}$"), nullable=True),
            "email": _str(pa.Check.str_matches(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), nullable=True),
        },
        checks=[
            rule(
                "reachable",
                Text(
                    "연락할 방법이 없습니다: 주소, 휴대전화, 이메일 가운데 하나는 있어야 합니다.",
                    "No way to reach this household: give an address, a mobile number or an"
                    " e-mail.",
                ),
                lambda df: df[["address", "mobile", "email"]].notna().any(axis=1),
            ),
            rule(
                "listed_twice",
                Text(
                    "같은 가구가 이미 위 행에 있습니다: 휴대전화나 이메일, 또는 이름과 주소가 같습니다"
                    " (두 번 뽑히지 않게 이 행은 받지 않았습니다).",
                    "The same household is already on a row above: the same mobile or e-mail, or"
                    " the same name and address (this row is left out so that no household is"
                    " listed twice).",
                ),
                _listed_once,
            ),
        ],
        strict=True,
        name="contact_list",
    )


def _listed_once(df: pd.DataFrame) -> pd.Series:
    """False for a row whose mobile, e-mail (in any case) or name and address (in any
    spacing) an earlier row already has: one household, listed once."""

    def first(key: pd.Series) -> pd.Series:
        return key.isna() | ~key.duplicated(keep="first")

    spaced = df["name"].str.split().str.join(" ") + "|" + df["address"].str.split().str.join(" ")
    return first(df["mobile"]) & first(df["email"].str.lower()) & first(spaced)
