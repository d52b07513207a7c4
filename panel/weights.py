"""Weights of the household panel: cross-sectional per wave and longitudinal per set of waves.

The panel is a stratified single-stage sample of households: a wave's sample
(``survey_sample``) holds every invited household with its district as stratum,
the household itself as PSU and its own inclusion probability (``pi_panel`` for
households recruited into the panel, ``pi_reserve`` for replacements called up
from the reserve). Both kinds of weights are stored as numbered versions with
:func:`analysis.weights.survey_weights.store_weights`, every step in the parameters.

Wave (cross-sectional) weights, unit ``household``, replacements included
  1. base weight = frame scale factor / the household's own inclusion probability;
  2. nonresponse adjustment within district weighting classes (responded = the
     household part of the wave was submitted);
  3. raking to the registered households by district and by household size
     (``household_margins``; size from the frame at recruitment, 5 = 5+);
  4. trimming at ``TRIM_RATIO`` times the median weight, then raking again.
Longitudinal weights of a set of waves, unit ``longitudinal``
  1. eligible = the first wave's sample (households that joined later are not
     in the set's population); base weight = scale factor / the household's
     inclusion probability in the first wave;
  2. attrition adjustment within classes district (at the first wave) ×
     household type, responded = responded in every wave of the set;
  3. raking to the household margins (district at the first wave, size) and
  4. trimming and raking again, as for the wave weights.
Only households present in every wave of the set get a longitudinal weight.

Collapsing, recorded in the parameters:
  - a longitudinal class district × type with no respondent collapses its whole
    district into one class (all types of that district together);
  - a district class with no respondent is merged into Seoul: its base weight is
    spread over every respondent by one Seoul-wide factor (Σ sampled base
    weight / Σ weight after the class adjustment);
  - a margin category with no respondent (a district or size class nobody
    answered in) cannot be reached: its registered households are spread over
    the margin's other categories in proportion to their totals, so the weights
    still sum to Seoul's registered households.

A longitudinal version is stored under the LAST wave of its set, so the set is
found from its last wave; the set itself (survey ids and codes, in the order
the waves were opened) is in the parameters.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from analysis.weights.survey_weights import WeightsResult, margin_sources, store_weights
from analysis.weights.wave_calibration import SIZE_CAP, calibrate_wave
from analysis.weights.weighting import adjust_with_collapse, base_weights
from data.frame_store import frame_info
from data.panel_waves import wave_household_sizes
from data.store import Store
from data.text import InvalidRequest, Text
from data.weights_tables import weights_versions
from surveys.frames import household_frame
from surveys.opening import survey_info

# -- checks ----------------------------------------------------------------------


def _wave_code(store: Store, survey_id: int) -> str:
    """The survey's code; refuses a survey that does not exist or is not a panel wave."""
    try:
        info = survey_info(store, int(survey_id))
    except KeyError:
        raise InvalidRequest(
            "no_survey", Text(f"조사 {survey_id} 가 없습니다", f"there is no survey {survey_id}")
        ) from None
    code, kind = info.code, info.kind
    if kind != "panel_wave":
        raise InvalidRequest(
            "not_a_wave",
            Text(
                f"조사 {code} 는 패널 차수가 아닙니다 ({kind})",
                f"survey {code} is not a panel wave ({kind})",
            ),
        )
    return str(code)


def _wave_set(store: Store, survey_ids: list[int]) -> list[tuple[int, str]]:
    """(survey_id, code) of each wave of the set, in the order they were opened."""
    ids = [int(s) for s in survey_ids]
    if not ids:
        raise InvalidRequest(
            "no_waves", Text("차수 묶음이 비어 있습니다", "the set of waves is empty")
        )
    if len(set(ids)) != len(ids):
        raise InvalidRequest(
            "wave_twice", Text("같은 차수가 두 번 있습니다", "a wave appears twice in the set")
        )
    return [(s, _wave_code(store, s)) for s in sorted(ids)]


# -- inputs ----------------------------------------------------------------------


def _wave_frame(store: Store, survey_id: int) -> pd.DataFrame:
    """One row per household invited to the wave: design, response, size class, role, type."""
    frame = household_frame(store, survey_id)
    frame = frame[["household_id", "district_code", "ea_id", "pi", "response_status"]].copy()
    frame["responded"] = frame["response_status"] != "nonrespondent"
    extra = wave_household_sizes(store, survey_id, SIZE_CAP)
    merged = frame.merge(extra, on="household_id", how="left", validate="one_to_one")
    merged["size_class"] = merged["size_class"].astype(int)
    return merged.reset_index(drop=True)


def _scale(store: Store) -> float:
    info = frame_info(store)
    if info is None:
        raise InvalidRequest("no_frame", Text("표본틀이 없습니다", "there is no frame"))
    return float(info["scale_factor"])


# -- steps -----------------------------------------------------------------------


def _longitudinal_classes(frame: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """district × household type; a district with an empty cell becomes one class."""
    district = frame["district_code"].astype(str)
    cell = district + "|" + frame["household_type"].astype(str)
    answered = frame.groupby(cell)["responded"].sum()
    empty = answered.index[answered == 0]
    collapsed = sorted(set(district[cell.isin(empty)]))
    return cell.where(~district.isin(collapsed), district), collapsed


def _calibrate(
    store: Store, respondents: pd.DataFrame
) -> tuple[np.ndarray, dict[str, Any], dict[str, list]]:
    """Rake the adjusted weights to the household margins and trim (then rake again)."""
    final, calibration, absent = calibrate_wave(store, respondents)
    return np.asarray(final.weights, dtype=float), calibration, absent


def _weights_rows(respondents: pd.DataFrame, final: np.ndarray) -> pd.DataFrame:
    return respondents[["household_id", "base_weight", "adjusted_weight"]].assign(
        member_no=0, weight=final
    )[["household_id", "member_no", "base_weight", "adjusted_weight", "weight"]]


def _margin_parameters(store: Store, absent: dict[str, list]) -> dict[str, Any]:
    return {
        "margins": {
            "district_code": "households by district",
            "size_class": f"households by size at recruitment (frame; {SIZE_CAP} = {SIZE_CAP}+)",
        },
        "margin_sources": margin_sources(store, ["household_margins"]),
        "margin_categories_without_respondents": absent,
    }


def _roles(respondents: pd.DataFrame) -> dict[str, int]:
    replacements = int((respondents["role"] == "reserve").sum())
    return {"originals": len(respondents) - replacements, "replacements": replacements}


# -- weights ---------------------------------------------------------------------


def wave_weights(store: Store, survey_id: int) -> WeightsResult:
    """Cross-sectional household weights of one panel wave (replacements included)."""
    code = _wave_code(store, survey_id)
    scale = _scale(store)
    frame = _wave_frame(store, survey_id)
    if frame.empty:
        raise InvalidRequest(
            "no_sample", Text(f"차수 {code} 에 표본이 없습니다", f"wave {code} has no sample")
        )
    base = base_weights(frame["pi"], scale)
    adjusted, nonresponse = adjust_with_collapse(base, frame["responded"], frame["district_code"])
    respondents = frame[frame["responded"]].copy()
    respondents["base_weight"] = base[frame["responded"]].to_numpy()
    respondents["adjusted_weight"] = adjusted.reindex(respondents.index).to_numpy()
    final, calibration, absent = _calibrate(store, respondents)
    parameters = {
        "unit": "household",
        "wave": {"survey_id": int(survey_id), "code": code},
        "design": "stratified single-stage: strata district_code, PSU household",
        "scale_factor": scale,
        "base_weight": "scale_factor / pi (pi_panel for panel, pi_reserve for replacements)",
        "nonresponse": {
            "method": "weighting classes",
            "classes": "district_code",
            "collapse": "a district without respondents is merged into Seoul",
            **nonresponse,
        },
        **_margin_parameters(store, absent),
        "calibration": calibration,
        "respondents": len(respondents),
        "respondents_by_role": _roles(respondents),
        "sampled": len(frame),
    }
    return WeightsResult("household", _weights_rows(respondents, final), parameters)


def _present_in_all(store: Store, waves: list[tuple[int, str]]) -> tuple[pd.DataFrame, set[int]]:
    """The first wave's frame and the households that responded to every wave of the set."""
    first = _wave_frame(store, waves[0][0])
    present = set(first.loc[first["responded"], "household_id"].astype(int))
    for survey_id, _ in waves[1:]:
        frame = household_frame(store, survey_id)
        answered = frame.loc[frame["response_status"] != "nonrespondent", "household_id"]
        present &= set(answered.astype(int))
    return first, present


def longitudinal_weights(store: Store, survey_ids: list[int]) -> WeightsResult:
    """Weights for households present in every wave of the set (first wave's population)."""
    waves = _wave_set(store, survey_ids)
    scale = _scale(store)
    frame, present = _present_in_all(store, waves)
    if not present:
        raise InvalidRequest(
            "no_complete_households",
            Text(
                "모든 차수에 응답한 가구가 없습니다",
                "no household responded to every wave of the set",
            ),
        )
    frame["responded"] = frame["household_id"].isin(present)
    base = base_weights(frame["pi"], scale)
    classes, collapsed = _longitudinal_classes(frame)
    adjusted, attrition = adjust_with_collapse(base, frame["responded"], classes)
    respondents = frame[frame["responded"]].copy()
    respondents["base_weight"] = base[frame["responded"]].to_numpy()
    respondents["adjusted_weight"] = adjusted.reindex(respondents.index).to_numpy()
    final, calibration, absent = _calibrate(store, respondents)
    parameters = {
        "unit": "longitudinal",
        "waves": [{"survey_id": s, "code": c} for s, c in waves],
        "population": "households of the first wave's sample (later entrants not eligible)",
        "design": "stratified single-stage: strata district_code (first wave), PSU household",
        "scale_factor": scale,
        "base_weight": "scale_factor / pi in the first wave",
        "nonresponse": {
            "method": "weighting classes (attrition: responded to every wave of the set)",
            "classes": "district_code x household_type",
            "collapse": "a district with an empty district x type class is one class;"
            " a district without respondents is merged into Seoul",
            "districts_collapsed": collapsed,
            **attrition,
        },
        **_margin_parameters(store, absent),
        "calibration": calibration,
        "respondents": len(respondents),
        "respondents_by_role": _roles(respondents),
        "eligible": len(frame),
    }
    return WeightsResult("longitudinal", _weights_rows(respondents, final), parameters)


# -- storing and reading -----------------------------------------------------------


def store_wave_weights(store: Store, survey_id: int, *, actor: str) -> int:
    """Compute and store a wave's household weights; return the weights_id."""
    return store_weights(store, int(survey_id), wave_weights(store, survey_id), actor=actor)


def store_longitudinal_weights(store: Store, survey_ids: list[int], *, actor: str) -> int:
    """Compute and store longitudinal weights under the set's last wave; return the weights_id."""
    result = longitudinal_weights(store, survey_ids)
    last = int(result.parameters["waves"][-1]["survey_id"])
    return store_weights(store, last, result, actor=actor)


def longitudinal_versions(store: Store, survey_id: int) -> pd.DataFrame:
    """The longitudinal versions stored under a wave, with their sets of waves."""
    rows = weights_versions(store, survey_id, "longitudinal")
    parameters = [json.loads(text) for text in rows.pop("parameters")]
    rows["wave_ids"] = [[w["survey_id"] for w in p["waves"]] for p in parameters]
    rows["wave_codes"] = [[w["code"] for w in p["waves"]] for p in parameters]
    rows["respondents"] = [int(p["respondents"]) for p in parameters]
    return rows
