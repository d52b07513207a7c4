"""Explorer tab 3, regression: design-based linear or logistic regression, coefficients named by
their variables' labels."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.estimation.regression import term_parts
from analysis.explore import fit_regression
from data.store import Store
from ui.explore.common import (
    cached_design,
    cached_variables,
    choice_labels,
    code_text,
    number,
    pick,
    pick_design,
    variable_label,
)
from ui.i18n import lang, t


def regression_tab(store: Store, surveys: pd.DataFrame) -> None:
    survey_id, unit, version = pick_design("ex_rg", surveys)
    design = cached_design(survey_id, unit, version)
    table = cached_variables(survey_id, unit, version)
    fmt = variable_label(table)
    outcomes = table[table["numeric"] | (table["levels"] == 2)]["name"].tolist()
    outcome = pick(t("ex_outcome"), outcomes, "ex_rg_outcome", ["life_satisfaction"], fmt)
    others = [n for n in table["name"] if n != outcome]
    predictors = st.multiselect(
        t("ex_predictors"),
        others,
        default=[p for p in ("age", "sex", "age_group") if p in others][:2],
        format_func=fmt,
        key="ex_rg_predictors",
        placeholder=t("choose"),
    )
    if not predictors:
        st.info(t("ex_pick_predictor"))
        return
    kinds = table.set_index("name")
    categorical = [p for p in predictors if not kinds.loc[p, "numeric"]]
    fit = fit_regression(
        design,
        outcome,
        predictors,
        categorical,
        numeric_outcome=bool(kinds.loc[outcome, "numeric"]),
    )
    if fit.family == "gaussian":
        st.caption(t("ex_linear"))
    else:
        event = (
            choice_labels(table).get(outcome, {}).get(code_text(fit.event), code_text(fit.event))
        )
        st.caption(t("ex_logistic", outcome=fmt(outcome), event=event))
    _coefficients(fit, table)


def _term_label(term: str, fit, table: pd.DataFrame) -> str:
    """``C(sex)2`` as '여자 (기준: 남자)', ``age`` as the variable's label, an interaction with ×."""
    parts = term_parts(term)
    if not parts:
        return t("ex_intercept")
    column = "label_ko" if lang() == "ko" else "label_en"
    names = dict(zip(table["name"], table[column], strict=True))
    choices = choice_labels(table)
    words = []
    for variable, level in parts:
        name = names.get(variable, variable)
        if level is None:
            words.append(name)
            continue
        levels = choices.get(variable, {})
        level_name = levels.get(level, level)
        reference = fit.regression.reference_levels.get(variable)
        if level_name == level:  # a level without a label: say whose it is
            level_name = f"{name}: {level}"
        if reference is None:
            words.append(level_name)
        else:
            words.append(t("ex_term", level=level_name, reference=levels.get(reference, reference)))
    return " × ".join(words)


def _coefficients(fit, table: pd.DataFrame) -> None:
    model = fit.regression
    coefficients = model.coefficients
    view = pd.DataFrame(
        {
            t("ex_col_term"): coefficients["term"].map(lambda term: _term_label(term, fit, table)),
            t("ex_col_estimate"): coefficients["estimate"].map(lambda v: number(v, 4)),
            t("ex_col_se"): coefficients["se"].map(lambda v: number(v, 4)),
            t("ex_col_ci_low"): coefficients["ci_low"].map(lambda v: number(v, 4)),
            t("ex_col_ci_high"): coefficients["ci_high"].map(lambda v: number(v, 4)),
            t("ex_col_t"): coefficients["t"].map(lambda v: number(v, 2)),
            t("ex_col_p"): coefficients["p_value"].map(lambda v: number(v, 4)),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(t("ex_model", formula=fit.formula, n=model.n, df=model.df))
    if model.aliased:
        terms = ", ".join(_term_label(term, fit, table) for term in model.aliased)
        st.warning(t("ex_aliased", terms=terms))
    if model.df <= 0:
        st.warning(t("ex_df_low"))
