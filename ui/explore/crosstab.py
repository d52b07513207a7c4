"""Explorer tab 2, crosstab: weighted row, column or cell percentages with their SEs and the
Rao–Scott tests of independence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.estimation.crosstab import crosstab
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
from ui.i18n import t


def crosstab_tab(store: Store, surveys: pd.DataFrame) -> None:
    survey_id, unit, version = pick_design("ex_ct", surveys)
    design = cached_design(survey_id, unit, version)
    table = cached_variables(survey_id, unit, version)
    categorical = table[table["categorical"]]
    names = categorical["name"].tolist()
    fmt = variable_label(table)
    cols = st.columns(3)
    with cols[0]:
        row = pick(t("ex_row"), names, "ex_ct_row", ["sex", "income", "district_code"], fmt)
    with cols[1]:
        col = pick(t("ex_col"), names, "ex_ct_col", ["health_self", "commutes", "tenure"], fmt)
    kind = cols[2].radio(
        t("ex_pct"), ["row", "col", "cell"], format_func=lambda k: t(f"ex_pct_{k}"), key="ex_ct_pct"
    )
    if row == col:
        st.info(t("ex_same_variable"))
        return
    result = crosstab(design, row, col)
    labels = choice_labels(table)
    st.dataframe(_crosstab_view(result, kind, labels), width="stretch")
    st.caption(t("ex_ct_caption", excluded=result.n_excluded, n=result.n_complete))
    _crosstab_tests(result, fmt(row), fmt(col))


def _crosstab_view(result, kind: str, labels: dict[str, dict[str, str]]) -> pd.DataFrame:
    share = result.wide(f"{kind}_pct") * 100
    se = result.wide(f"se_{kind}_pct") * 100
    cells = share.map(lambda v: number(v, 1)) + " (" + se.map(lambda v: number(v, 1)) + ")"
    rows, cols = labels.get(result.row, {}), labels.get(result.col, {})
    cells.index = [rows.get(code_text(v), code_text(v)) for v in cells.index]
    cells.columns = [cols.get(code_text(v), code_text(v)) for v in cells.columns]
    return cells


def _crosstab_tests(result, row: str, col: str) -> None:
    st.subheader(t("ex_tests"))
    f, chisq = result.f_test, result.chisq_test
    cols = st.columns(2)
    cols[0].metric(t("ex_rs_f"), number(f["statistic"]))
    cols[1].metric(t("ex_rs_p"), number(f["p_value"], 4))
    view = pd.DataFrame(
        {
            t("ex_test"): [t("ex_test_f"), t("ex_test_chisq")],
            t("ex_statistic"): [
                f"F = {number(f['statistic'])}",
                f"X² = {number(chisq['statistic_adjusted'])}",
            ],
            t("ex_df"): [
                f"{number(f['ndf'], 2)}, {number(f['ddf'], 2)}",
                number(chisq["df"], 0),
            ],
            t("ex_col_p"): [number(f["p_value"], 4), number(chisq["p_value"], 4)],
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    key = "ex_ct_dependent" if f["p_value"] < 0.05 else "ex_ct_independent"
    st.markdown(t(key, p=number(f["p_value"], 4), row=row, col=col))
