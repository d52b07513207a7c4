"""The demo's two Seoul Survey cross-sections, as the people using the demo will see them.

The session's small demo (scale 1000, seeded by ``demo_template``) ran the
"seoul_survey" step; these tests read it (read-only) or a private copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data.validation import validate_frame
from demo.cross_sections import CODES_FILE, sample_size, write_codes_file
from surveys.answer_frames import household_frames
from surveys.opening import questionnaire_of, survey_by_code
from surveys.questionnaire.response_schema import MEMBER_COUNT, household_schema, person_schema

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(demo_template: Path):
    from data.store import open_store

    store = open_store(demo_template, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def surveys(demo) -> dict[str, int]:
    return {code: survey_by_code(demo, code).survey_id for code in ("seoul-2025", "seoul-2026")}


def _person_table(demo, survey_id: int) -> pd.DataFrame:
    """Every listed member aged 15+ of every responding household, with the roster, the
    household's income and their own answers (``person_status`` complete or missing).

    The stored answers laid out in one pass with ``household_frames``; the analysis
    frames (``surveys.frames``) show the same, household by household.
    """
    questionnaire = questionnaire_of(demo, survey_id)
    stored = demo.query(
        "SELECT household_id, member_no, answers FROM responses WHERE survey_id = ?"
        " ORDER BY household_id, member_no",
        [survey_id],
    )
    heads = stored[stored["member_no"] == 0]
    households, members = household_frames(questionnaire, [json.loads(a) for a in heads["answers"]])
    rows = members["_row"].to_numpy()
    members["household_id"] = heads["household_id"].to_numpy()[rows]
    members["income"] = households["income"].to_numpy()[rows]
    own = stored[stored["member_no"] > 0]
    answers = pd.DataFrame([json.loads(a) for a in own["answers"]], index=own.index)
    answers[["household_id", "member_no"]] = own[["household_id", "member_no"]]
    table = members[members["age"] >= 15].merge(
        answers, on=["household_id", "member_no"], how="left", indicator=True
    )
    table["person_status"] = table.pop("_merge").map({"both": "complete", "left_only": "missing"})
    return table.drop(columns=["_row", MEMBER_COUNT])


@pytest.fixture(scope="module")
def persons(demo, surveys) -> pd.DataFrame:
    """Members 15+ of both years' responding households, side by side."""
    return pd.concat(
        [_person_table(demo, i).assign(survey=code) for code, i in surveys.items()],
        ignore_index=True,
    )


def _answered(persons: pd.DataFrame) -> pd.DataFrame:
    return persons[persons["person_status"] == "complete"]


def test_both_years_are_in_the_database_with_disjoint_samples(demo, surveys):
    status = dict(demo.rows("SELECT code, status FROM surveys WHERE code LIKE 'seoul-%'"))
    assert status == {"seoul-2025": "closed", "seoul-2026": "in_field"}
    samples = {
        code: set(demo.query("SELECT household_id FROM survey_sample WHERE survey_id = ?", [i])[
            "household_id"])
        for code, i in surveys.items()
    }  # fmt: skip
    assert not samples["seoul-2025"] & samples["seoul-2026"]
    assert all(abs(len(s) - sample_size(1000)) <= 10 for s in samples.values())


def test_about_four_in_five_sampled_households_respond(demo, surveys):
    for survey_id in surveys.values():
        sampled = demo.scalar("SELECT count(*) FROM survey_sample WHERE survey_id = ?", [survey_id])
        answered = demo.scalar(
            "SELECT count(*) FROM responses WHERE survey_id = ? AND member_no = 0", [survey_id]
        )
        assert 0.74 <= answered / sampled <= 0.86


def test_stored_answers_pass_the_generated_schemas_again(demo, surveys, persons):
    from surveys.frames import household_frame, person_frame

    survey_id = surveys["seoul-2026"]  # through the analysis frames (one year: they are slow)
    questionnaire = questionnaire_of(demo, survey_id)
    households = household_frame(demo, survey_id)
    households = households[households["members_listed"].notna()]
    households = households.rename(columns={"members_listed": MEMBER_COUNT})
    assert len(households) and validate_frame(households, household_schema(questionnaire)).ok
    analysed = _answered(person_frame(demo, survey_id))
    assert len(analysed) and validate_frame(analysed, person_schema(questionnaire)).ok
    laid_out = _answered(persons[persons["survey"] == "seoul-2025"])
    assert validate_frame(laid_out, person_schema(questionnaire)).ok
    assert demo.scalar("SELECT count(*) FROM quarantine WHERE source LIKE 'bulk:%'") == 0


def test_members_aged_15_and_over_answer_their_own_part(persons):
    assert persons["age"].ge(15).all()  # nobody younger is asked
    share = (persons["person_status"] == "complete").mean()
    assert 0.85 <= share < 1.0  # most answer; some households are partial


def test_skipped_questions_stay_unanswered(persons):
    answered = _answered(persons)
    not_commuting = answered[answered["commutes"] == 2]
    assert not_commuting[["commute_mode", "commute_minutes"]].isna().all().all()
    commuting = answered[answered["commutes"] == 1]
    assert commuting["commute_minutes"].between(1, 300).all()
    not_working = answered[answered["econ_activity"] > 5]
    assert not_working["work_hours"].isna().all()
    assert answered.loc[answered["econ_activity"] <= 5, "work_hours"].notna().all()


def test_commuting_is_mostly_for_workers_and_students(persons):
    answered = _answered(persons)
    working_or_studying = answered["econ_activity"].isin([1, 2, 3, 4, 5, 7])
    assert (answered.loc[working_or_studying, "commutes"] == 1).mean() > 0.8
    assert (answered.loc[~working_or_studying, "commutes"] == 1).mean() < 0.15


def test_higher_income_households_are_happier(persons):
    answered = _answered(persons)
    low = answered.loc[answered["income"] <= 3, "happiness_overall"].mean()
    high = answered.loc[answered["income"] >= 7, "happiness_overall"].mean()
    assert high > low + 3


def test_2026_is_a_little_happier_than_2025(persons):
    mean = _answered(persons).groupby("survey")["happiness_overall"].mean()
    assert 0 < mean["seoul-2026"] - mean["seoul-2025"] < 6


def test_happiness_score_follows_the_five_items(persons):
    answered = _answered(persons)
    items = ["happy_health", "happy_finance", "happy_relations", "happy_family", "happy_social"]
    mean_items = answered[items].astype(float).mean(axis=1)
    assert mean_items.corr(answered["happiness_overall"].astype(float)) > 0.6


def test_break_offs_leave_open_sessions_that_stop_mid_way(demo, surveys):
    for survey_id in surveys.values():
        sampled = demo.scalar("SELECT count(*) FROM survey_sample WHERE survey_id = ?", [survey_id])
        open_parts = demo.query(
            "SELECT s.submission_id, s.answers, s.position, max(p.seq) AS events,"
            " bool_or(p.event = 'submit') AS submitted FROM answer_sessions s"
            " JOIN paradata p USING (submission_id)"
            " WHERE s.survey_id = ? AND s.status = 'open' AND s.member_no = 0 GROUP BY ALL",
            [survey_id],
        )
        assert 0.02 <= len(open_parts) / sampled <= 0.09
        assert not open_parts["submitted"].any() and open_parts["position"].notna().all()
        assert (open_parts["answers"] != "{}").any()


def test_speeders_show_in_the_paradata(demo):
    times = demo.query(
        "SELECT s.part, epoch(max(p.occurred_at) - min(p.occurred_at)) AS seconds"
        " FROM paradata p JOIN answer_sessions s USING (submission_id)"
        " WHERE s.status = 'submitted' GROUP BY s.submission_id, s.part"
    )
    median = times.groupby("part")["seconds"].transform("median")
    share = (times["seconds"] < median / 3).mean()
    assert 0.01 <= share <= 0.06


def test_most_answer_on_the_web_some_with_an_interviewer_or_in_english(demo):
    modes = demo.query(
        "SELECT mode, language, interviewer FROM responses r JOIN surveys s USING (survey_id)"
        " WHERE s.code LIKE 'seoul-%' AND member_no = 0"
    )
    assert 0.8 <= (modes["mode"] == "web").mean() <= 0.95
    assert set(modes.loc[modes["mode"] == "interviewer", "interviewer"]) == {"interviewer"}
    assert 0.0 < (modes["language"] == "en").mean() < 0.1


def test_codes_file_opens_the_questionnaire_of_households_yet_to_answer(
    demo, surveys, demo_template
):
    from surveys.fieldwork.invitations import find_invitation

    path = demo_template.parent / CODES_FILE
    codes = pd.read_csv(path, dtype={"district_code": str})
    assert list(codes.columns) == [
        "household_id", "district_code", "code", "link_token", "code_grouped", "answers_saved",
        "resumes_at",
    ]  # fmt: skip
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    drafts = demo.query(
        "SELECT household_id, position FROM answer_sessions WHERE survey_id = ? AND member_no = 0"
        " AND status = 'open'",
        [surveys["seoul-2026"]],
    ).set_index("household_id")["position"]
    saved = codes[codes["answers_saved"] == "yes"]
    assert len(saved) == len(drafts) > 0  # break-offs with answers saved are marked
    assert (
        saved.set_index("household_id")["resumes_at"] == drafts.loc[saved["household_id"]]
    ).all()
    assert codes.loc[codes["answers_saved"] == "no", "resumes_at"].isna().all()
    answered = set(demo.query(
        "SELECT household_id FROM responses WHERE survey_id = ? AND member_no = 0",
        [surveys["seoul-2026"]],
    )["household_id"])  # fmt: skip
    assert not answered & set(codes["household_id"]) and len(codes) > 50
    for row in codes.head(5).itertuples():
        invitation = find_invitation(demo, row.code_grouped)
        assert invitation.survey_id == surveys["seoul-2026"]
        assert invitation.household_id == row.household_id
        assert find_invitation(demo, row.link_token).household_id == row.household_id


def test_status_shows_responses_per_survey(demo_path: Path):
    env = {**os.environ, "SEOUL_DB": str(demo_path)}
    out = subprocess.run(
        [sys.executable, "-m", "data", "status"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True, timeout=120,
    )  # fmt: skip
    surveys = json.loads(out.stdout)["surveys"]
    for code in ("seoul-2025", "seoul-2026"):
        counts = surveys[code]
        assert counts["sampled"] > counts["households_responded"] > counts["households_complete"]
        assert counts["person_parts"] > counts["households_responded"]
        assert counts["quarantined"] == 0
    assert surveys["seoul-2026"]["status"] == "in_field"


def test_an_interrupted_demo_step_starts_clean_next_time(demo_store):
    from demo.cross_sections import seed_cross_sections
    from surveys.opening import survey_by_code

    before = survey_by_code(demo_store, "seoul-2026").survey_id
    seed_cross_sections(demo_store, 1000, progress=lambda _: None)  # as if it had not finished
    codes = [r[0] for r in demo_store.rows("SELECT code FROM surveys ORDER BY code")]
    assert codes.count("seoul-2025") == 1 and codes.count("seoul-2026") == 1
    assert survey_by_code(demo_store, "seoul-2026").survey_id != before
    orphans = demo_store.scalar(
        "SELECT count(*) FROM responses WHERE survey_id NOT IN (SELECT survey_id FROM surveys)"
    )
    assert orphans == 0


def test_web_starts_follow_the_invitation_and_each_reminder():
    import numpy as np

    from demo.paradata import web_start_times

    start = np.datetime64("2026-02-02")
    starts = web_start_times(20_000, start, 19, (7, 14), np.random.default_rng(1))
    days = (starts - start.astype("datetime64[s]")).astype("timedelta64[D]").astype(int)
    counts = np.bincount(days, minlength=19)
    assert days.min() >= 0 and days.max() <= 18
    assert counts[0] > counts[3] > counts[6]  # answers thin out after the invitation …
    assert counts[7] > 2 * counts[6] and counts[14] > 2 * counts[13]  # … and come back
    assert counts[18] < counts[0] / 3  # the last day collects no overflow
    in_field = web_start_times(5_000, start, 11, (7, 14), np.random.default_rng(2))
    assert (in_field < start + np.timedelta64(11, "D")).all()  # nothing after today


def test_the_codes_file_shows_text_that_could_be_a_formula_as_text(store):
    waiting = pd.DataFrame({"household_id": [1, 2], "code": ["=1+1", "ABCD-EFGH"]})
    path = write_codes_file(store, 999, waiting, "codes.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert table["code"].tolist() == ["'=1+1", "ABCD-EFGH"]
    assert table["answers_saved"].tolist() == ["no", "no"]
