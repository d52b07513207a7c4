"""Panel operators: recruit the citizen panel, run its waves, close them and store their weights.

Thin page: every number and every change comes from :mod:`panel` (roster,
waves, outcomes, attrition, weights); this module only lays them out.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from data.accounts import ADMIN, PANEL_OPERATOR, SURVEY_MANAGER
from data.config import setting
from data.reference import stored_table
from panel.attrition import (
    AttritionPlan,
    apply_attrition,
    leavers_without_replacement,
    plan_attrition,
    replace_leavers,
)
from panel.attrition_rules import AttritionRules
from panel.counts import panel_counts
from panel.messaging import CsvOutbox, MessageBatch
from panel.outcomes import RECORDED, record_outcomes, wave_rates
from panel.roster_store import change_status, load_roster, move_household, recruit_panel
from panel.status import MEMBERS, STATUSES, StatusError
from panel.waves import (
    Wave,
    WaveError,
    create_wave,
    issue_invitations,
    list_waves,
    message_log,
    reminder_list,
    send_reminders,
    wave_households,
)
from panel.weights import longitudinal_versions, store_longitudinal_weights, store_wave_weights
from surveys.questionnaire.loader import QuestionnaireError, list_definitions, load_questionnaire
from ui.context import get_store, require_role
from ui.glossary import MISSING, label, labeller, one_language, shown, survey_title, with_status
from ui.i18n import lang, t

ALLOCATIONS = ("proportional_floor", "proportional", "sqrt")
RATE_COLUMNS = ("RR1", "COOP1", "REF1", "CON1")
OUTCOME_COLUMNS = ("invited", "I", "P", "R", "NC", "O", "NE")
ROSTER_COLUMNS = [
    "household_id", "status", "role", "district_code", "household_type", "head_age_band",
    "joined_wave", "replaces", "match_level", "recruited_at",
]  # fmt: skip
ROSTER_CODES = {
    "status": "panel_status", "role": "panel_role", "district_code": "districts",
    "household_type": "household_types", "head_age_band": "head_age_bands",
    "match_level": "match_level",
}  # fmt: skip


def render() -> None:
    user = require_role(PANEL_OPERATOR, SURVEY_MANAGER, ADMIN)
    store = get_store()
    st.header(t("page_panel"))
    st.caption(t("pn_intro"))
    _flash()
    counts = panel_counts(store)
    if not counts["by_status"]:
        st.info(t("pn_no_panel"))
        _recruit_form(user.username)
        return
    _metrics(counts)
    tabs = st.tabs([t("pn_tab_waves"), t("pn_tab_roster")])
    with tabs[0]:
        _waves_tab(user.username)
    with tabs[1]:
        _roster_tab(counts, user.username)


# -- shared helpers ---------------------------------------------------------------


def _flash() -> None:
    """A success message left by an action that reran the page."""
    message = st.session_state.pop("pn_flash", None)
    if message:
        st.success(message)


def _done(message: str) -> None:
    st.session_state["pn_flash"] = message
    st.rerun()


def _pct(value: Any) -> str:
    return MISSING if value is None or pd.isna(value) else f"{float(value):.1%}"


_status_label = labeller("panel_status")
_outcome_label = labeller("outcome")


def _title(wave: Wave) -> str:
    return survey_title(wave.title_ko, wave.title_en)


def _wave_label(wave: Wave) -> str:
    """The wave's number, code, title and its one status label (ui.glossary)."""
    return with_status(
        f"{t('pn_wave_no', no=wave.wave_no)} · {wave.code} · {_title(wave)}", wave.status
    )


def _match_flag(flag: Any) -> str:
    return " + ".join(label("match_flag", step) for step in str(flag).split(" + "))


def _outbox() -> Path:
    """The messaging outbox: a folder next to the database file."""
    return Path(get_store().path).resolve().parent / "outbox"


@st.cache_data(show_spinner=False)
def _wave_questionnaires() -> dict[str, tuple[str, str, str]]:
    """Shipped questionnaires of kind panel_wave: file name → (path, Korean, English title)."""
    found = {}
    for path in list_definitions():
        try:
            questionnaire = load_questionnaire(path)
        except (QuestionnaireError, ValueError, OSError):
            continue
        if questionnaire.kind == "panel_wave":
            title = questionnaire.title
            found[path.name] = (str(path), title.get("ko"), title.get("en"))
    return found


@st.cache_data(show_spinner=False)
def _districts() -> dict[str, tuple[str, str]]:
    """District code → (Korean, English name) from the reference tables."""
    table = stored_table(get_store(), "districts")
    return {str(r.code): (r.name_ko, r.name_en) for r in table.itertuples(index=False)}


def _district_label(code: str) -> str:
    names = _districts().get(str(code))
    if not names:
        return str(code)
    return names[0] if lang() == "ko" else names[1]


# -- header and recruitment -----------------------------------------------------------


def _metrics(counts: dict[str, Any]) -> None:
    in_panel = sum(counts["by_status"].get(s, 0) for s in MEMBERS)
    target = counts["target"]
    cols = st.columns(4)
    cols[0].metric(  # "in / target" as the value is cut off in a quarter of the page
        t("pn_in_panel", target=f"{target:,}") if target else t("pn_in_panel_no_target"),
        f"{in_panel:,}",
        help=t("pn_in_panel_help"),
    )
    cols[1].metric(t("pn_active"), f"{counts['active_households']:,}")
    cols[2].metric(t("pn_reserve_left"), f"{counts['reserve_left']:,}")
    cols[3].metric(t("pn_replacements"), f"{counts['replacements']:,}")


def _recruit_form(actor: str) -> None:
    with st.form("pn_recruit_form"):
        st.subheader(t("pn_recruit"))
        target = st.number_input(t("pn_target"), 10, None, 20_000, 500, key="pn_target")
        reserve = st.number_input(t("pn_reserve"), 0, None, 20_000, 500, key="pn_reserve")
        allocation = st.selectbox(
            t("pn_allocation"),
            ALLOCATIONS,
            format_func=lambda a: t(f"pn_alloc_{a}"),
            key="pn_allocation",
        )
        floor = st.number_input(t("pn_floor"), 0, None, 200, 50, key="pn_floor")
        seed = st.number_input(t("pn_seed"), 1, None, 1, 1, key="pn_seed")
        if st.form_submit_button(t("pn_recruit"), type="primary"):
            try:
                rid = recruit_panel(
                    get_store(),
                    target=int(target),
                    reserve=int(reserve),
                    allocation=allocation,
                    floor=int(floor),
                    seed=int(seed),
                    actor=actor,
                )
            except ValueError as error:  # PanelExistsError or a design the frame cannot give
                st.error(str(error))
            else:
                _done(t("pn_recruited", rid=rid))


# -- waves tab ----------------------------------------------------------------------


def _waves_tab(actor: str) -> None:
    store = get_store()
    waves = list_waves(store)
    rates = {w.survey_id: wave_rates(store, w.survey_id) for w in waves}
    if waves:
        _waves_table(waves, rates)
    else:
        st.info(t("pn_no_waves"))
    with st.expander(t("pn_new_wave"), expanded=not waves):
        _new_wave_form(actor)
    if not waves:
        return
    by_id = {w.survey_id: w for w in waves}
    ids = list(by_id)
    chosen = st.selectbox(
        t("pn_choose_wave"),
        ids,
        index=len(ids) - 1,
        key="pn_wave",
        format_func=lambda i: _wave_label(by_id[i]),
    )
    wave = by_id[chosen]
    st.caption(t("pn_rules") + ": " + " · ".join(wave.rules.describe(lang())))
    _invitations_section(wave, actor)
    _reminders_section(wave, actor)
    _outcomes_section(wave, rates[wave.survey_id], actor)
    _closeout_section(wave, actor)
    _weights_section(wave, waves, actor)


def _waves_table(waves: list[Wave], rates: dict[int, pd.DataFrame]) -> None:
    def period(w: Wave) -> str:
        return f"{w.field_start or ''} – {w.field_end or ''}" if w.field_start else MISSING

    table = pd.DataFrame(
        {
            t("pn_col_wave"): [w.wave_no for w in waves],
            t("pn_col_code"): [w.code for w in waves],
            t("pn_col_title"): [_title(w) for w in waves],
            t("pn_col_status"): [label("survey_status", w.status) for w in waves],
            t("pn_col_field"): [period(w) for w in waves],
            t("pn_col_invited"): [int(rates[w.survey_id]["invited"].iat[0]) for w in waves],
            t("pn_col_complete"): [int(rates[w.survey_id]["I"].iat[0]) for w in waves],
            label("aapor", "RR1"): [_pct(rates[w.survey_id]["RR1"].iat[0]) for w in waves],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="pn_waves_table",
    )


def _parse_dates(text: str) -> list[date]:
    """ISO dates separated by commas or spaces; ValueError when one cannot be read."""
    return [date.fromisoformat(p) for p in re.split(r"[,\s]+", text.strip()) if p]


def _new_wave_form(actor: str) -> None:
    files = _wave_questionnaires()
    if not files:
        st.warning(t("pn_no_questionnaire"))
        return
    st.caption(t("pn_new_help"))
    today = date.today()
    with st.form("pn_new_wave_form"):
        name = st.selectbox(
            t("pn_questionnaire"),
            sorted(files),
            key="pn_new_q",
            format_func=lambda n: f"{n} · {files[n][1] if lang() == 'ko' else files[n][2]}",
        )
        code = st.text_input(t("pn_code"), placeholder="panel-2026-w4", key="pn_new_code")
        title_ko = st.text_input(t("pn_title_ko"), key="pn_new_title_ko")
        title_en = st.text_input(t("pn_title_en"), key="pn_new_title_en")
        cols = st.columns(2)
        start = cols[0].date_input(t("pn_field_start"), today, key="pn_new_start")
        end = cols[1].date_input(t("pn_field_end"), today + timedelta(days=18), key="pn_new_end")
        reminders = st.text_input(
            t("pn_reminders"), placeholder="2026-11-09, 2026-11-16", key="pn_new_reminders"
        )
        st.markdown("**" + t("pn_rules") + "**")
        missed = st.number_input(t("pn_missed"), 0, 12, 2, 1, key="pn_new_missed")
        refusals = st.checkbox(t("pn_drop_refusals"), True, key="pn_new_drop_refusals")
        moved = st.checkbox(t("pn_drop_moved"), True, key="pn_new_drop_moved")
        if not st.form_submit_button(t("pn_create"), type="primary"):
            return
    if not code.strip() or not title_ko.strip():
        st.error(t("pn_need_code_title"))
        return
    try:
        dates = _parse_dates(reminders)
    except ValueError:
        st.error(t("pn_bad_dates", text=reminders))
        return
    try:
        wave = create_wave(
            get_store(),
            files[name][0],
            code=code.strip(),
            title_ko=title_ko.strip(),
            title_en=title_en.strip() or None,
            field_start=start,
            field_end=end,
            reminders=dates,
            rules=AttritionRules(int(missed), bool(refusals), bool(moved)),
            actor=actor,
        )
    except QuestionnaireError as error:
        st.error("\n".join(str(p) for p in error.problems[:10]))
    except ValueError as error:  # WaveError, or rules out of range
        st.error(str(error))
    else:
        st.session_state["pn_wave"] = wave.survey_id
        _done(t("pn_created", no=wave.wave_no, code=wave.code))


# -- 1. invitations and 2. reminders ---------------------------------------------------


def _keep_batch(wave: Wave, batch: MessageBatch) -> None:
    """Keep the list's bytes for the download button across the rerun (shown once)."""
    st.session_state["pn_batch"] = {
        "survey_id": wave.survey_id,
        "kind": batch.kind,
        "name": batch.name,
        "data": batch.to_csv_bytes(),
        "n": len(batch.recipients),
        "where": str(_outbox() / f"{batch.name}.csv"),
    }


def _batch_download(wave: Wave, kind: str) -> None:
    batch = st.session_state.get("pn_batch")
    if not batch or batch["survey_id"] != wave.survey_id or batch["kind"] != kind:
        return
    st.caption(t("pn_sent_to", n=batch["n"], where=batch["where"]))
    if kind == "invitation":
        st.warning(t("pn_codes_once"))
    st.download_button(
        t("pn_download"),
        batch["data"],
        file_name=f"{batch['name']}.csv",
        mime="text/csv",
        key=f"pn_download_{kind}",
        on_click=lambda: st.session_state.pop("pn_batch", None),
    )


def _invitations_section(wave: Wave, actor: str) -> None:
    store = get_store()
    st.subheader(t("pn_invitations"))
    log = message_log(store, wave.survey_id)
    sent = log.loc[log["kind"] == "invitation"]
    if not sent.empty:
        at = pd.Timestamp(sent["exported_at"].iat[0])
        st.caption(
            t("pn_invited_already", n=int(sent["households"].iat[0]), at=f"{at:%Y-%m-%d %H:%M}")
        )
    elif wave.attrition_applied:
        st.info(t("pn_closed"))
    else:
        st.caption(t("pn_issue_help"))
        n = len(wave_households(store, wave.survey_id))
        if st.button(t("pn_issue", n=n), type="primary", key="pn_issue"):
            try:
                batch = issue_invitations(
                    store,
                    wave.survey_id,
                    sender=CsvOutbox(_outbox()),
                    base_url=setting("SEOUL_PUBLIC_URL"),
                    actor=actor,
                )
            except WaveError as error:
                st.error(str(error))
            else:
                _keep_batch(wave, batch)
                st.rerun()
    _batch_download(wave, "invitation")


def _reminders_section(wave: Wave, actor: str) -> None:
    store = get_store()
    st.subheader(t("pn_reminders_title"))
    if not wave.reminders:
        st.caption(t("pn_no_reminders"))
    elif wave.status == "closed":
        st.caption(t("pn_closed"))
    elif wave.status != "in_field":
        st.caption(t("pn_not_in_field"))
    for number, day in enumerate(wave.reminders, start=1):
        waiting = len(reminder_list(store, wave.survey_id, number))
        cols = st.columns([3, 1])
        cols[0].write(t("pn_reminder_round", round=number, date=day.isoformat(), n=f"{waiting:,}"))
        if cols[1].button(
            t("pn_send_reminder", round=number),
            key=f"pn_remind_{number}",
            disabled=wave.status != "in_field",
        ):
            try:
                batch = send_reminders(
                    store, wave.survey_id, number, sender=CsvOutbox(_outbox()), actor=actor
                )
            except WaveError as error:
                st.error(str(error))
            else:
                _keep_batch(wave, batch)
                st.rerun()
    _batch_download(wave, "reminder")
    log = message_log(store, wave.survey_id)
    st.markdown("**" + t("pn_message_log") + "**")
    if log.empty:
        st.caption(t("pn_no_messages"))
    else:
        st.dataframe(
            shown(log, codes={"kind": "message_kind"}), hide_index=True, key="pn_message_log"
        )


# -- 3. outcomes ----------------------------------------------------------------------


def _outcomes_section(wave: Wave, overall: pd.DataFrame, actor: str) -> None:
    st.subheader(t("pn_outcomes"))
    st.caption(t("pn_rates_help"))
    cols = st.columns(len(RATE_COLUMNS))
    for col, rate in zip(cols, RATE_COLUMNS, strict=True):
        col.metric(label("aapor", rate), _pct(overall[rate].iat[0]))
    with st.expander(t("pn_by_district")):
        by_district = wave_rates(get_store(), wave.survey_id, by="district_code")
        view = by_district.assign(**{r: by_district[r].map(_pct) for r in RATE_COLUMNS})
        st.dataframe(
            shown(
                view,
                ["district_code", *OUTCOME_COLUMNS, *RATE_COLUMNS],
                codes={"district_code": _district_label},
                names={c: label("aapor", c) for c in (*OUTCOME_COLUMNS, *RATE_COLUMNS)},
            ),
            hide_index=True,
            key="pn_rates_by_district",
        )
    if wave.attrition_applied:
        st.caption(t("pn_outcomes_closed"))
        return
    _record_one_form(wave, actor)
    _record_csv(wave, actor)


def _record(wave: Wave, frame: pd.DataFrame, actor: str) -> None:
    try:
        n = record_outcomes(get_store(), wave.survey_id, frame, actor=actor)
    except (WaveError, ValueError) as error:
        st.error(str(error))
    else:
        _done(t("pn_recorded", n=n))


def _record_one_form(wave: Wave, actor: str) -> None:
    with st.form("pn_outcome_form"):
        st.markdown("**" + t("pn_record_one") + "**")
        cols = st.columns([1, 1, 2])
        household = cols[0].number_input(
            t("pn_household"), min_value=1, value=None, step=1, key="pn_out_household"
        )
        outcome = cols[1].selectbox(
            t("pn_outcome"), RECORDED, format_func=_outcome_label, key="pn_out_outcome"
        )
        note = cols[2].text_input(t("pn_note"), key="pn_out_note")
        if not st.form_submit_button(t("pn_record")):
            return
    if household is None:
        st.error(t("pn_need_household"))
        return
    frame = pd.DataFrame(
        {"household_id": [int(household)], "outcome": [outcome], "note": [note or None]}
    )
    _record(wave, frame, actor)


def _record_csv(wave: Wave, actor: str) -> None:
    # Streamlit draws "Drag and drop file here" / "Upload" in English: the label and help say
    # what to upload
    upload = st.file_uploader(
        t("pn_upload"), type=["csv"], key="pn_out_csv", help=t("pn_upload_help")
    )
    if upload is None or not st.button(t("pn_upload_button"), key="pn_out_upload"):
        return
    try:
        frame = pd.read_csv(io.BytesIO(upload.getvalue()), encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as error:
        st.error(t("pn_unreadable_csv", error=error))
        return
    missing = [c for c in ("household_id", "outcome") if c not in frame.columns]
    if missing:
        st.error(t("pn_bad_csv", missing=", ".join(missing)))
        return
    try:
        frame["household_id"] = frame["household_id"].astype("int64")
    except (ValueError, TypeError) as error:
        st.error(t("pn_unreadable_csv", error=error))
        return
    _record(wave, frame, actor)


# -- 4. close-out ---------------------------------------------------------------------


def _closeout_section(wave: Wave, actor: str) -> None:
    st.subheader(t("pn_closeout"))
    if wave.attrition_applied:
        st.caption(t("pn_applied_at", at=f"{wave.attrition_applied_at:%Y-%m-%d %H:%M}"))
        _replace_step(wave, actor)
        return
    if st.button(t("pn_preview"), key="pn_preview"):
        st.session_state["pn_plan"] = plan_attrition(get_store(), wave.survey_id)
    plan: AttritionPlan | None = st.session_state.get("pn_plan")
    if plan is not None and plan.survey_id != wave.survey_id:
        plan = None
    if plan is not None:
        _show_plan(plan)
    else:
        st.caption(t("pn_preview_first"))
    if st.button(
        t("pn_apply"),
        type="primary",
        key="pn_apply",
        disabled=plan is None,
        help=t("pn_apply_help"),
    ):
        try:
            applied = apply_attrition(get_store(), wave.survey_id, actor=actor, previewed=plan)
        except WaveError as error:
            st.session_state.pop("pn_plan", None)
            st.error(str(error))
        else:
            st.session_state.pop("pn_plan", None)
            _done(
                t("pn_applied", code=wave.code, n=len(applied.changes), left=len(applied.leaving))
            )


def _show_plan(plan: AttritionPlan) -> None:
    summary = plan.summary()
    st.markdown("**" + t("pn_plan_summary") + "**")
    if summary.empty:
        st.caption(t("pn_no_changes"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("pn_from"): summary["status"].map(_status_label),
                    t("pn_to"): summary["new_status"].map(_status_label),
                    t("pn_households"): summary["households"],
                }
            ),
            hide_index=True,
            key="pn_plan_summary",
        )
    leaving = plan.leaving
    st.markdown("**" + t("pn_leaving", n=len(leaving)) + "**")
    st.dataframe(
        pd.DataFrame(
            {
                t("pn_household"): leaving["household_id"],
                t("pn_from"): leaving["status"].map(_status_label),
                t("pn_to"): leaving["new_status"].map(_status_label),
                t("pn_why"): leaving["why"].map(one_language),
            }
        ),
        hide_index=True,
        key="pn_plan_leaving",
    )


def _replace_step(wave: Wave, actor: str) -> None:
    awaiting = len(leavers_without_replacement(get_store()))
    st.caption(t("pn_awaiting", n=awaiting))
    cols = st.columns([1, 1])
    seed = cols[0].number_input(
        t("pn_replace_seed"), 1, None, wave.wave_no, 1, key="pn_replace_seed"
    )
    if cols[1].button(t("pn_replace"), key="pn_replace", disabled=awaiting == 0):
        try:
            outcome = replace_leavers(get_store(), wave.survey_id, seed=int(seed), actor=actor)
        except (WaveError, StatusError) as error:
            st.error(str(error))
        else:
            made = outcome.replacements
            levels = (
                made.groupby(["match_level", "match_flag"], dropna=False).size().reset_index()
                if not made.empty
                else pd.DataFrame(columns=["match_level", "match_flag", 0])
            )
            st.session_state["pn_replacement"] = {
                "survey_id": wave.survey_id,
                "n": len(made),
                "shortfall": int(outcome.shortfall),
                "levels": levels.rename(columns={0: "households"}).to_dict("records"),
            }
            st.rerun()
    result = st.session_state.get("pn_replacement")
    if result and result["survey_id"] == wave.survey_id:
        st.success(t("pn_replaced", n=result["n"], shortfall=result["shortfall"]))
        if result["levels"]:
            levels = shown(
                pd.DataFrame(result["levels"]),
                codes={"match_level": "match_level", "match_flag": _match_flag},
            )
            st.dataframe(levels, hide_index=True, key="pn_replacement_levels")


# -- 5. weights -----------------------------------------------------------------------


def _weights_section(wave: Wave, waves: list[Wave], actor: str) -> None:
    store = get_store()
    st.subheader(t("pn_weights"))
    if st.button(t("pn_wave_weights"), key="pn_weights_wave", disabled=wave.status == "draft"):
        try:
            wid = store_wave_weights(store, wave.survey_id, actor=actor)
        except ValueError as error:
            st.error(str(error))
        else:
            st.success(t("pn_weights_stored", wid=wid))
    closed = {w.survey_id: w for w in waves if w.status == "closed"}
    chosen = st.multiselect(
        t("pn_long_waves"),
        list(closed),
        default=list(closed),
        key="pn_long_waves",
        format_func=lambda i: _wave_label(closed[i]),
        placeholder=t("choose"),
    )
    if st.button(t("pn_long_weights"), key="pn_weights_long"):
        if not chosen:
            st.error(t("pn_need_waves"))
        else:
            try:
                wid = store_longitudinal_weights(store, list(chosen), actor=actor)
            except ValueError as error:
                st.error(str(error))
            else:
                st.success(t("pn_weights_stored", wid=wid))
    versions = longitudinal_versions(store, wave.survey_id)
    st.markdown("**" + t("pn_long_versions") + "**")
    if versions.empty:
        st.caption(t("pn_no_long"))
    else:
        versions = versions.assign(wave_codes=versions["wave_codes"].map(", ".join))
        st.dataframe(
            shown(versions.drop(columns=["wave_ids"], errors="ignore")),
            hide_index=True,
            key="pn_long_versions",
        )


# -- roster tab -----------------------------------------------------------------------


def _roster_tab(counts: dict[str, Any], actor: str) -> None:
    st.subheader(t("pn_by_status"))
    by_status = counts["by_status"]
    st.dataframe(
        pd.DataFrame(
            {
                t("pn_status"): [_status_label(s) for s in STATUSES if s in by_status],
                t("pn_households"): [by_status[s] for s in STATUSES if s in by_status],
            }
        ),
        hide_index=True,
        key="pn_status_counts",
    )
    _lookup()
    _status_form(actor)
    _move_form(actor)


def _lookup() -> None:
    household = st.number_input(t("pn_lookup"), min_value=1, value=None, step=1, key="pn_lookup")
    if household is None:
        return
    roster = load_roster(get_store())
    row = roster.loc[roster["household_id"] == int(household)]
    if row.empty:
        st.warning(t("pn_not_in_roster", hid=int(household)))
        return
    st.dataframe(
        shown(
            row,
            [c for c in ROSTER_COLUMNS if c in row.columns],
            codes=ROSTER_CODES,
            store=get_store(),
        ),
        hide_index=True,
        key="pn_lookup_row",
    )
    st.caption(t("pn_history_note"))


def _status_form(actor: str) -> None:
    with st.form("pn_status_form"):
        st.markdown("**" + t("pn_change_status") + "**")
        cols = st.columns([1, 1, 2])
        household = cols[0].number_input(
            t("pn_household"), min_value=1, value=None, step=1, key="pn_st_household"
        )
        status = cols[1].selectbox(
            t("pn_new_status"), STATUSES[1:], format_func=_status_label, key="pn_st_status"
        )
        why = cols[2].text_input(t("pn_why"), key="pn_st_why")
        if not st.form_submit_button(t("pn_change")):
            return
    if household is None:
        st.error(t("pn_need_household"))
        return
    if not why.strip():
        st.error(t("pn_need_why"))
        return
    changes = pd.DataFrame({"household_id": [int(household)], "status": [status], "why": [why]})
    try:
        change_status(get_store(), changes, actor=actor)
    except StatusError as error:
        st.error(str(error))
    else:
        _done(t("pn_changed", hid=int(household), status=_status_label(status)))


def _move_form(actor: str) -> None:
    districts = _districts()
    with st.form("pn_move_form"):
        st.markdown("**" + t("pn_move") + "**")
        st.caption(t("pn_move_help"))
        cols = st.columns([1, 1, 2])
        household = cols[0].number_input(
            t("pn_household"), min_value=1, value=None, step=1, key="pn_mv_household"
        )
        district = cols[1].selectbox(
            t("pn_new_district"), list(districts), format_func=_district_label, key="pn_mv_district"
        )
        why = cols[2].text_input(t("pn_why"), key="pn_mv_why")
        if not st.form_submit_button(t("pn_move")):
            return
    if household is None:
        st.error(t("pn_need_household"))
        return
    if not why.strip():
        st.error(t("pn_need_why"))
        return
    try:
        move_household(get_store(), int(household), district, actor=actor, why=why)
    except StatusError as error:
        st.error(str(error))
    else:
        _done(t("pn_moved", hid=int(household), district=_district_label(district)))
