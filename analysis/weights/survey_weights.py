"""Household and person weights of a Seoul Survey cross-section, stored as numbered versions.

The steps, each recorded in the version's parameters so that every published
number can be traced to the weights that made it:

Households
  1. base weight = frame scale factor / inclusion probability (1 / probability for a
     sample from an uploaded contact list, which is its own population);
  2. nonresponse adjustment within district weighting classes;
  3. raking to the registered households by district and by household size
     (``household_margins``) — of the sample's target only (:func:`target_margins`: some
     districts, a contact list's own households, or no margin for a cell of the panel);
  4. trimming at ``TRIM_RATIO`` times the median weight, then raking again.
Persons (members aged 15+ who answered their part)
  1. the household's nonresponse-adjusted weight;
  2. within-household nonresponse adjustment by sex × age group;
  3. raking to residents 15+ by district and by sex × age group
     (``population_margins``);
  4. trimming and raking again, as for households.

The nonresponse-adjusted weight is stored beside the final one: estimation
replays the calibration on it (:func:`calibrated_design`) so that standard
errors account for the calibration, as R's calibrated designs do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from analysis.estimation.calibration import rake
from analysis.estimation.design import LonelyPSU, SurveyDesign
from analysis.survey_frames import age_group_of
from analysis.weights.weighting import adjust_with_collapse, base_weights, reachable_margins
from data.contact_lists import listed_households_by_district
from data.frame_store import frame_info
from data.reference import reference_status, stored_table
from data.store import Store
from data.survey_tables import sample_design
from data.text import InvalidRequest, Text
from data.weights_tables import newest_version, store_weights_version, version_ids, weights_rows
from surveys.frames import household_frame, person_frame
from surveys.opening import questionnaire_of

TRIM_RATIO = 5.0  # weights above five times the median are trimmed (then re-raked)


class DesignColumns(TypedDict):
    """The columns of the weights' design (keyword arguments of ``SurveyDesign``)."""

    strata: str
    psu: str


DESIGN: DesignColumns = {"strata": "district_code", "psu": "ea_id"}
SIZE_CAP = 5  # household size classes 1..5, 5 = 5+
# A district with a single responding enumeration area (early in fieldwork, or a small
# survey) must not stop the weights or their estimates: its PSU is centred on the grand
# mean, as R's options(survey.lonely.psu = "adjust").
LONELY_PSU: LonelyPSU = "adjust"


def household_size_classes(frame: pd.DataFrame) -> np.ndarray:
    """Household size as answered, folded at SIZE_CAP (5 = 5+); refuses a questionnaire without it."""
    if "household_size" not in frame.columns:
        raise InvalidRequest(
            "no_household_size",
            Text(
                "가구 가중치에는 가구원 수 문항(household_size)이 필요합니다: 설문지에 넣으세요",
                "household weights need the household size question (household_size) in the"
                " questionnaire",
            ),
        )
    return pd.to_numeric(frame["household_size"]).clip(upper=SIZE_CAP).astype(int).to_numpy()


@dataclass
class WeightsResult:
    unit: str
    weights: pd.DataFrame  # household_id, member_no, base_weight, adjusted_weight, weight
    parameters: dict[str, Any]


def margin_sources(store: Store, tables: list[str]) -> dict[str, Any]:
    status = reference_status(store).set_index("table_name")
    return {
        t: {
            "source": status.loc[t, "source"],
            "reference_date": status.loc[t, "reference_date"],
            "version_id": int(status.loc[t, "version_id"]),
        }
        for t in tables
        if t in status.index
    }


def household_margins(
    store: Store, *, by_size: bool = True, districts: tuple[str, ...] = ()
) -> dict[str, pd.Series]:
    """Households by district and (``by_size``) by size class (5 = 5+), in ``districts``
    only when given (a survey whose target is some districts)."""
    margins = stored_table(store, "household_margins")
    if districts:
        margins = margins[margins["district_code"].astype(str).isin(districts)]
    out = {"district_code": margins.groupby("district_code")["households"].sum().astype(float)}
    if by_size:
        out["size_class"] = margins.groupby("household_size")["households"].sum().astype(float)
    return out


def asks_household_size(frame: pd.DataFrame) -> bool:
    """Whether the questionnaire asks the household's size (the size-class margin needs it).

    A questionnaire uploaded by a department may not: its households are then raked to the
    district margin only, and the weights' parameters say so (``margins_left_out``)."""
    return "household_size" in frame.columns


def asks_sex_and_age(frame: pd.DataFrame) -> bool:
    """Whether the roster gives each member's sex and age (the person margins need them)."""
    return {"sex", "age"} <= set(frame.columns)


def person_margins(store: Store, districts: tuple[str, ...] = ()) -> dict[Any, pd.Series]:
    """Residents 15+ by district and by sex × age group (in ``districts`` when given)."""
    margins = stored_table(store, "population_margins")
    if districts:
        margins = margins[margins["district_code"].astype(str).isin(districts)]
    by_district = margins.groupby("district_code")["population"].sum().astype(float)
    by_sex_age = margins.groupby(["sex", "age_group"])["population"].sum().astype(float)
    return {"district_code": by_district, ("sex", "age_group"): by_sex_age}


CELL_TARGET = (
    "the sample's target is a cell of the panel (household type or head's age band); registered"
    " totals exist by district and size only, so the weights stop at the nonresponse adjustment"
)


LIST_SIZES = "the target is an uploaded contact list: no household-size totals are known for it"
LIST_PERSONS = (
    "the target is an uploaded contact list: no person totals are known for it, so the person"
    " weights stop at the within-household nonresponse adjustment"
)


def target_margins(
    store: Store, survey_id: int, unit: str, *, by_size: bool = True
) -> tuple[dict[Any, pd.Series], dict[str, str]]:
    """The margins a survey's ``unit`` weights calibrate to, and the margins left out (why).

    A sample drawn for some districts only (:mod:`panel.survey_samples`) stores its ``target``
    in the sample design: its margins are those districts' totals, never Seoul's spread over
    them. A target restricted to cells of the panel has no registered totals: no margin. A
    sample from an uploaded contact list (:mod:`surveys.fieldwork.contact_lists`) calibrates
    its households to the list's own households by district, and its persons to nothing.
    """
    target = sample_design(store, survey_id).get("target", {})
    if target.get("contact_list") is not None:
        if unit != "household":
            return {}, {"all": LIST_PERSONS}
        listed = listed_households_by_district(store, int(target["contact_list"]))
        return {"district_code": listed}, {"size_class": LIST_SIZES}
    if target.get("household_types") or target.get("head_age_bands"):
        return {}, {"all": CELL_TARGET}
    districts = tuple(str(d) for d in target.get("districts", ()))
    if unit == "household":
        return household_margins(store, by_size=by_size, districts=districts), {}
    return person_margins(store, districts), {}


HOUSEHOLD_MARGINS = {
    "district_code": "households by district",
    "size_class": "households by size (5 = 5+)",
}
PERSON_MARGINS = {
    "district_code": "residents 15+ by district",
    "sex x age_group": "residents 15+ by sex and age group",
}


def _described(margins: dict[Any, pd.Series], words: dict[str, str]) -> dict[str, str]:
    """The margins' names (``a x b`` for a cross-classification) with what each counts."""
    names = [" x ".join(n) if isinstance(n, tuple) else str(n) for n in margins]
    return {name: words[name] for name in names}


def _target_record(store: Store, survey_id: int) -> dict[str, Any]:
    """``{"target": …}`` when the sample was drawn for part of Seoul, else nothing."""
    target = sample_design(store, survey_id).get("target")
    return {"target": target} if target else {}


def _left_out(left_out: dict[str, str]) -> dict[str, Any]:
    return {"margins_left_out": left_out} if left_out else {}


def rake_and_trim(design: SurveyDesign, margins: dict) -> tuple[SurveyDesign, dict[str, Any]]:
    """Rake to ``margins`` and trim (see the module docstring); without margins the design
    is returned as it is and the record says there was no calibration."""
    if not margins:
        return design, {"method": "none (no margins for the target population)"}
    raked = rake(design, margins)
    cap = TRIM_RATIO * float(np.median(raked.weights))
    trimmed_units = int((raked.weights > cap).sum())
    final = raked.trim(cap=cap, then=margins) if trimmed_units else raked
    return final, {
        "method": "rake (IPF), maxit 100, epsilon 1e-10",
        "trim_cap": cap,
        "trim_rule": f"{TRIM_RATIO:g} x median weight, then raking again",
        "trimmed_units": trimmed_units,
    }


def household_weights(store: Store, survey_id: int) -> WeightsResult:
    info = frame_info(store)
    if info is None:
        raise InvalidRequest("no_frame", Text("표본틀이 없습니다", "there is no frame"))
    # a contact list is its own population: each listed household stands for itself
    listed = sample_design(store, survey_id).get("source") == "contact_list"
    scale = 1.0 if listed else float(info["scale_factor"])
    frame = household_frame(store, survey_id)
    base = base_weights(frame["pi"], scale)
    responded = frame["response_status"] != "nonrespondent"
    adjusted, nonresponse = adjust_with_collapse(base, responded, frame["district_code"])
    respondents = frame[responded].copy()
    respondents["base_weight"] = base[responded].to_numpy()
    respondents["adjusted_weight"] = adjusted.reindex(respondents.index).to_numpy()
    by_size = asks_household_size(respondents)
    if by_size:
        respondents["size_class"] = household_size_classes(respondents)
    target, left_out = target_margins(store, survey_id, "household", by_size=by_size)
    margins, absent = reachable_margins(respondents, target)
    design = SurveyDesign(respondents, weights="adjusted_weight", lonely_psu=LONELY_PSU, **DESIGN)
    final, calibration = rake_and_trim(design, margins)
    out = respondents[["household_id", "base_weight", "adjusted_weight"]].assign(
        member_no=0, weight=np.asarray(final.weights)
    )
    parameters = {
        "unit": "household",
        "scale_factor": scale,
        "nonresponse": {
            "method": "weighting classes",
            "classes": "district_code",
            "collapse": "a district without respondents is merged into Seoul",
            **nonresponse,
        },
        "margins": _described(target, HOUSEHOLD_MARGINS),
        **_target_record(store, survey_id),
        **_left_out(
            left_out
            if left_out or by_size
            else {"size_class": "the questionnaire asks no household_size"}
        ),
        "margin_sources": margin_sources(store, ["household_margins"]),
        "margin_categories_without_respondents": absent,
        "calibration": calibration,
        "respondents": int(responded.sum()),
        "sampled": len(frame),
    }
    return WeightsResult("household", out, parameters)


def person_weights(store: Store, survey_id: int, households: WeightsResult) -> WeightsResult:
    persons = person_frame(store, survey_id)
    missing = [c for c in ("sex", "age") if c not in persons.columns]
    if missing:
        raise InvalidRequest(
            "no_sex_or_age",
            Text(
                f"가구원 가중치에는 가구원 명부의 성별과 나이(sex, age)가 필요합니다; 없는 문항: "
                f"{', '.join(missing)}",
                "person weights need the roster's sex and age (sex, age);"
                f" missing: {', '.join(missing)}",
            ),
        )
    persons["age_group"] = age_group_of(persons["age"], stored_table(store, "age_groups"))
    household = households.weights.set_index("household_id")["adjusted_weight"]
    persons = persons[persons["household_id"].isin(household.index)].reset_index(drop=True)
    start = persons["household_id"].map(household)
    answered = persons["person_status"] == "complete"
    classes = persons["sex"].astype(str) + "|" + persons["age_group"].astype(str)
    adjusted, nonresponse = adjust_with_collapse(start, answered, classes)
    respondents = persons[answered].copy()
    respondents["base_weight"] = start[answered].to_numpy()
    respondents["adjusted_weight"] = adjusted.reindex(respondents.index).to_numpy()
    target, left_out = target_margins(store, survey_id, "person")
    margins, absent = reachable_margins(respondents, target)
    design = SurveyDesign(respondents, weights="adjusted_weight", lonely_psu=LONELY_PSU, **DESIGN)
    final, calibration = rake_and_trim(design, margins)
    out = respondents[["household_id", "member_no", "base_weight", "adjusted_weight"]].assign(
        weight=np.asarray(final.weights)
    )
    parameters = {
        "unit": "person",
        "start": "household nonresponse-adjusted weight",
        "nonresponse": {
            "method": "weighting classes within responding households",
            "classes": "sex x age_group",
            "collapse": "a class without respondents is merged into the whole",
            **nonresponse,
        },
        "margins": _described(target, PERSON_MARGINS),
        **_target_record(store, survey_id),
        **_left_out(left_out),
        "margin_sources": margin_sources(store, ["population_margins"]),
        "margin_categories_without_respondents": absent,
        "calibration": calibration,
        "respondents": int(answered.sum()),
        "eligible": len(persons),
    }
    return WeightsResult("person", out, parameters)


def store_weights(store: Store, survey_id: int, result: WeightsResult, *, actor: str) -> int:
    """Save a weights version (numbered per survey and unit) with its rows in one
    transaction; return its weights_id."""
    return store_weights_version(
        store, survey_id, result.unit, result.weights, result.parameters, actor=actor
    )


def make_weights(store: Store, survey_id: int, *, actor: str) -> dict[str, int]:
    """Compute and store household weights, and person weights when the questionnaire has a
    person part; returns their weights_ids by unit."""
    households = household_weights(store, survey_id)
    made = {"household": store_weights(store, survey_id, households, actor=actor)}
    if questionnaire_of(store, survey_id).person is not None:
        persons = person_weights(store, survey_id, households)
        made["person"] = store_weights(store, survey_id, persons, actor=actor)
    return made


def latest_weights(
    store: Store, survey_id: int, unit: str
) -> tuple[int, pd.DataFrame, dict] | None:
    """(weights_id, weights, parameters) of the newest version, or None."""
    newest = newest_version(store, survey_id, unit)
    if newest is None:
        return None
    weights_id, parameters = newest
    return weights_id, weights_rows(store, weights_id), parameters


def calibrated_design(
    store: Store, survey_id: int, frame: pd.DataFrame, unit: str, weights: pd.DataFrame
) -> SurveyDesign:
    """The respondents' design with the stored calibration replayed (calibration-aware SEs).

    Raking the stored nonresponse-adjusted weights to the same margins gives
    the stored final weights again (checked) and a design whose variances
    account for the calibration. When ``frame`` lacks some of the weighted
    respondents (parts excluded from estimation, :mod:`analysis.exclusions`),
    the calibration is replayed on those that remain, so the weights still
    reach the margins.
    """
    keys = ["household_id"] if unit == "household" else ["household_id", "member_no"]
    merged = frame.merge(weights, on=keys, how="inner")
    by_size = unit == "household" and asks_household_size(merged)
    if by_size:
        merged["size_class"] = household_size_classes(merged)
    margins, _ = target_margins(store, survey_id, unit, by_size=by_size)
    margins, _ = reachable_margins(merged, margins)
    design = SurveyDesign(merged, weights="adjusted_weight", lonely_psu=LONELY_PSU, **DESIGN)
    final, _ = rake_and_trim(design, margins)
    complete = len(merged) == len(weights)  # no respondent excluded since the weights were made
    if complete and not np.allclose(
        np.asarray(final.weights), merged["weight"].to_numpy(), rtol=1e-6
    ):
        raise ValueError(
            "the stored weights no longer follow from their parameters; make a new version"
        )
    return final


def weights_ids(store: Store, survey_id: int) -> tuple[int, ...]:
    """Every stored weights version of a survey (changes when a new version is made)."""
    return version_ids(store, survey_id)
