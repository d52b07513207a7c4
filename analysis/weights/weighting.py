"""Weighting steps before calibration: base weights and nonresponse adjustment.

Pure functions of DataFrames (no database), in the order a statistician applies
them (Valliant, Dever & Kreuter 2018, ch. 13–14):

1. **Base weights** ``d_k = 1 / pi_k`` from the recorded inclusion
   probabilities, times the frame's scale factor (each frame household stands
   for a fixed number of real households), so weighted totals reach the real
   population.
2. **Nonresponse adjustment by weighting classes**: within each class ``c``,
   respondents' weights are multiplied by
   ``sum_{k in s_c} d_k / sum_{k in r_c} d_k`` (sampled over responding base
   weight), so respondents carry the class's sampled total.
3. **Nonresponse adjustment by response propensity**: a logistic regression of
   response on frame covariates (statsmodels), its predicted propensities cut
   into ``n_classes`` classes of equal size (quantiles), then step 2 within
   those classes — robust to extreme single propensities (Little 1986).

Calibration to population margins and trimming follow in
``analysis.estimation.calibration``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from data.text import InvalidRequest, Text

WHOLE = "seoul"  # the class that takes in the classes nobody answered in


def base_weights(pi: pd.Series, scale_factor: float = 1.0) -> pd.Series:
    """``scale_factor / pi``; refuses probabilities outside (0, 1]."""
    values = pd.to_numeric(pi, errors="coerce")
    bad = values.isna() | (values <= 0) | (values > 1)
    if bad.any():
        raise ValueError(
            f"inclusion probabilities must be in (0, 1]; {int(bad.sum())} are not "
            f"(first at row {values.index[bad.to_numpy()][0]!r})"
        )
    if scale_factor <= 0:
        raise ValueError("the frame's scale factor must be positive")
    return (scale_factor / values).rename("base_weight")


@dataclass(frozen=True)
class ClassAdjustment:
    """The adjusted weights and, per class, what was done."""

    weights: pd.Series  # respondents' adjusted weights (index of the respondents)
    classes: pd.DataFrame  # class, sampled, responded, weight_sampled, weight_responded, factor


def adjust_by_class(
    weights: pd.Series,
    responded: pd.Series,
    classes: pd.Series | pd.DataFrame,
    *,
    min_respondents: int = 1,
) -> ClassAdjustment:
    """Weighting-class nonresponse adjustment (factor = sampled / responding weight per class).

    A class with fewer than ``min_respondents`` respondents cannot carry its
    nonrespondents: the error names it, so the classes can be collapsed.
    """
    if isinstance(classes, pd.DataFrame):
        key = classes.astype(str).agg("|".join, axis=1)
    else:
        key = classes.astype(str)
    responded = responded.astype(bool)
    frame = pd.DataFrame({"w": weights.astype(float), "r": responded, "c": key})
    if frame["w"].isna().any() or (frame["w"] <= 0).any():
        raise ValueError("weights must be positive and present before nonresponse adjustment")
    table = frame.groupby("c").agg(
        sampled=("w", "size"),
        responded=("r", "sum"),
        weight_sampled=("w", "sum"),
    )
    table["weight_responded"] = (
        frame[frame["r"]].groupby("c")["w"].sum().reindex(table.index).fillna(0)
    )
    thin = table[table["responded"] < min_respondents]
    if not thin.empty:
        raise ValueError(
            f"weighting class {thin.index[0]!r} has {int(thin['responded'].iloc[0])} respondents "
            f"(fewer than {min_respondents}); collapse it with a neighbouring class"
        )
    table["factor"] = table["weight_sampled"] / table["weight_responded"]
    adjusted = frame.loc[frame["r"], "w"] * frame.loc[frame["r"], "c"].map(table["factor"])
    return ClassAdjustment(adjusted.rename("weight"), table.reset_index(names="class"))


def propensity_classes(
    frame: pd.DataFrame,
    responded: pd.Series,
    covariates: Sequence[str],
    *,
    weights: pd.Series | None = None,
    n_classes: int = 5,
) -> tuple[pd.Series, pd.Series]:
    """Response propensities from a logistic model and their quantile classes.

    Categorical covariates enter as indicator columns (first level dropped).
    Returns (propensity, class 1..n_classes) for every row of ``frame``.
    """
    design = pd.get_dummies(frame[list(covariates)].astype(str), drop_first=True, dtype=float)
    design = sm.add_constant(design, has_constant="add")
    model = sm.GLM(
        responded.astype(float).to_numpy(),
        design.to_numpy(),
        family=sm.families.Binomial(),
        freq_weights=None if weights is None else weights.to_numpy(dtype=float),
    )
    fitted = model.fit()
    propensity = pd.Series(fitted.predict(design.to_numpy()), index=frame.index, name="propensity")
    ranks = propensity.rank(method="first")
    classes = np.ceil(ranks / len(ranks) * n_classes).clip(1, n_classes).astype(int)
    return propensity, pd.Series(classes, index=frame.index, name="propensity_class")


def adjust_by_propensity(
    frame: pd.DataFrame,
    weights: pd.Series,
    responded: pd.Series,
    covariates: Sequence[str],
    *,
    n_classes: int = 5,
) -> tuple[ClassAdjustment, pd.Series]:
    """Propensity-class nonresponse adjustment; also returns the propensities (for R-indicators)."""
    propensity, classes = propensity_classes(frame, responded, covariates, n_classes=n_classes)
    return adjust_by_class(weights, responded, classes), propensity


def adjust_with_collapse(
    base: pd.Series, responded: pd.Series, classes: pd.Series
) -> tuple[pd.Series, dict[str, Any]]:
    """Weighting-class nonresponse adjustment; classes without a respondent merged into the whole.

    Classes with respondents: factor Σ sampled / Σ responding base weight.
    Then one overall factor (Σ all sampled base weight / Σ adjusted weight)
    carries the base weight of the classes nobody answered in (1 when none), so
    the respondents still stand for the whole sample. Returns the respondents'
    adjusted weights (respondents' index) and a record: the class table, the
    classes merged (``merged_into_seoul``) and ``seoul_factor``.
    """
    responded = responded.astype(bool)
    if not responded.any():
        raise InvalidRequest(
            "no_respondents",
            Text(
                "응답자가 없습니다: 제출된 응답이 들어온 뒤에 가중치를 만드세요",
                "nobody responded: make the weights once submitted answers are in",
            ),
        )
    key = classes.astype(str)
    answered = responded.groupby(key).sum()
    empty = sorted(answered.index[answered == 0])
    keep = ~key.isin(empty)
    adjusted = adjust_by_class(base[keep], responded[keep], key[keep])
    seoul_factor = float(base.sum() / adjusted.weights.sum())
    table = adjusted.classes.to_dict("records")
    for name in empty:
        inside = key == name
        table.append(
            {
                "class": name,
                "sampled": int(inside.sum()),
                "responded": 0,
                "weight_sampled": float(base[inside].sum()),
                "weight_responded": 0.0,
                "factor": None,
                "merged_into": WHOLE,
            }
        )
    record = {"table": table, "merged_into_seoul": empty, "seoul_factor": seoul_factor}
    return adjusted.weights * seoul_factor, record


def reachable_margins(
    respondents: pd.DataFrame, margins: dict[Any, pd.Series]
) -> tuple[dict[Any, pd.Series], dict[str, list[str]]]:
    """Margins restricted to categories with respondents, the others' totals spread pro rata.

    A margin category nobody answered in cannot be reached by calibration: its total
    is spread over the margin's other categories in proportion to their totals, so the
    weights still sum to the population. A margin may be one column or a tuple of
    columns (a cross-classification). Returns the margins to calibrate to and, per
    margin (named ``a x b`` for a tuple), the categories without respondents.
    """
    reachable, absent = {}, {}
    for name, totals in margins.items():
        if isinstance(name, tuple):
            seen = set(respondents[list(name)].dropna().itertuples(index=False, name=None))
            present = np.array([tuple(k) in seen for k in totals.index], dtype=bool)
        else:
            present = totals.index.isin(respondents[name].dropna().unique())
        missing = totals[~present & (totals > 0)]
        kept = totals[present]
        if not missing.empty:
            kept = kept * (totals.sum() / kept.sum())
            label = " x ".join(name) if isinstance(name, tuple) else str(name)
            absent[label] = [str(c) for c in missing.index]
        reachable[name] = kept
    return reachable, absent
