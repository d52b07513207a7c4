"""One year's demo batch: answers, outcomes and paradata, ready for the bulk path.

Why: :mod:`demo.cross_sections` opens the surveys and :mod:`surveys.fieldwork.bulk` stores; in
between, the answers drawn from the frame (:mod:`demo.household_answers`,
:mod:`demo.person_answers`) meet the fieldwork (:mod:`demo.paradata`):
which households and members answered, which broke off, when, in which mode,
and what each screen's paradata says. The batch is the records that
``store_responses_bulk`` takes — submitted parts, open drafts, events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from demo.draws import bernoulli, records
from demo.household_answers import HouseholdPart, Sample, draw_household_part
from demo.paradata import (
    INTERVIEWER,
    Parts,
    devices,
    household_modes,
    household_outcomes,
    missing_members,
    section_seconds,
    speed,
    start_times,
    submission_ids,
    timeline,
    web_start_times,
)
from demo.person_answers import draw_person_part
from surveys.questionnaire.model import Part, Questionnaire

ROSTER_FIELDS_PER_MEMBER = 5  # relation, sex, birth year and a few more per listed member
ROSTER_CONTEXT = ("marital_status", "education", "econ_activity")


@dataclass
class YearBatch:
    households: pd.DataFrame  # submitted household parts
    persons: pd.DataFrame  # submitted person parts
    drafts: pd.DataFrame  # open sessions (break-offs)
    paradata: pd.DataFrame
    responded: np.ndarray  # per sampled household (sample order)
    broke_off: np.ndarray


@dataclass(frozen=True)
class Field:
    year: int
    start: np.datetime64
    days: int


def _answered_by_section(part: Part, columns: dict[str, list[Any]], n: int) -> np.ndarray:
    """How many questions each respondent answered on each screen (rows × sections)."""
    out = np.zeros((n, len(part.sections)))
    for index, section in enumerate(part.sections):
        for question in section.questions:
            values = columns.get(question.name)
            if values is not None:
                out[:, index] += pd.Series(values, dtype=object).notna().to_numpy()
    return out


def _section_of(part: Part) -> dict[str, int]:
    out = {q.name: i for i, s in enumerate(part.sections) for q in s.questions}
    roster = part.roster_section()
    if roster is not None:
        out[roster.id] = part.sections.index(roster)
    return out


def _draft_answers(answers: list[dict[str, Any]], stop: np.ndarray, part: Part) -> list[dict]:
    """What a respondent who broke off had saved: the screens completed before leaving."""
    section = _section_of(part)
    return [
        {k: v for k, v in a.items() if section.get(k, len(part.sections)) < s}
        for a, s in zip(answers, stop, strict=True)
    ]


def _parts(
    mode: np.ndarray,
    language: np.ndarray,
    started: np.ndarray,
    stop: np.ndarray,
    age: np.ndarray,
    rng: np.random.Generator,
) -> Parts:
    interviewer = np.where(mode == "interviewer", INTERVIEWER, np.array(None))
    ids = submission_ids(len(mode), rng)
    factor = speed(mode, age, rng)
    return Parts(ids, mode, interviewer, language, devices(mode, rng), started, stop, factor)


def _records(parts: Parts, rows: np.ndarray, ended: np.ndarray, keys: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **{k: v[rows] for k, v in keys.items()},
            "submission_id": parts.submission_id[rows],
            "mode": parts.mode[rows],
            "language": parts.language[rows],
            "interviewer": parts.interviewer[rows],
            "device_class": parts.device[rows],
            "started_at": parts.started_at[rows],
            "submitted_at": ended[rows],
        }
    )


def _subset(parts: Parts, mask: np.ndarray) -> Parts:
    return Parts(*(getattr(parts, f)[mask] for f in Parts.__dataclass_fields__))


def _fieldwork(
    parts: Parts,
    part: Part,
    answered: np.ndarray,
    answers: list[dict[str, Any]],
    keys: dict[str, np.ndarray],
    opened: np.ndarray,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(submitted parts, open drafts, paradata, end times) of parts that were started.

    ``parts.stop`` says how many screens each got through (all: submitted);
    ``opened`` marks the parts left open (the rest of the unfinished were never started).
    """
    submitted = parts.stop == len(part.sections)
    seen = submitted | opened
    seconds = section_seconds(answered[seen], parts.factor[seen], rng)
    events, ended = timeline(_subset(parts, seen), [s.id for s in part.sections], seconds, rng)
    ended_all = np.empty(len(seen), dtype="datetime64[ms]")
    ended_all[seen] = ended
    done, left = np.flatnonzero(submitted), np.flatnonzero(opened)
    records = _records(parts, done, ended_all, keys)
    records["answers"] = [answers[i] for i in done]
    drafts = _records(parts, left, ended_all, keys).rename(columns={"submitted_at": "updated_at"})
    drafts["answers"] = _draft_answers([answers[i] for i in left], parts.stop[left], part)
    drafts["position"] = [part.sections[s].id for s in parts.stop[left]]
    return records, drafts, events, ended_all


def build_year(
    sample: Sample, q: Questionnaire, field: Field, rng: np.random.Generator
) -> YearBatch:
    """Answers, outcomes and paradata of every sampled household and its members."""
    hh = sample.households
    n, screens = len(hh), len(q.household.sections)
    part = draw_household_part(sample, field.year, rng)
    responded, broke_off = household_outcomes(hh, rng)
    modes = household_modes(hh, rng)
    started = start_times(n, field.start, field.days, modes["mode"], rng)
    stop = np.where(responded, screens, rng.integers(0, screens, n))
    head_age = sample.persons["age"].to_numpy()[sample.persons["member_no"].to_numpy() == 1]
    parts = _parts(modes["mode"], modes["language"], started, stop, head_age, rng)
    answered = _answered_by_section(q.household, part.columns, n)
    roster = q.household.roster_section()
    if roster is not None:
        at = q.household.sections.index(roster)
        answered[:, at] += ROSTER_FIELDS_PER_MEMBER * hh["size"].to_numpy()
    keys = {"household_id": hh["household_id"].to_numpy(), "member_no": np.zeros(n, dtype=int)}
    households, drafts, events, ended = _fieldwork(
        parts, q.household, answered, part.answers(sample), keys, broke_off, rng
    )
    persons, person_drafts, person_events = _persons(
        sample, q, part, responded, modes, ended, field, rng
    )
    return YearBatch(
        households,
        persons,
        pd.concat([drafts, person_drafts], ignore_index=True),
        pd.concat([events, person_events], ignore_index=True),
        responded,
        broke_off,
    )


def _persons(
    sample: Sample,
    q: Questionnaire,
    part: HouseholdPart,
    responded: np.ndarray,
    modes: dict[str, np.ndarray],
    household_ended: np.ndarray,
    field: Field,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Person parts of the eligible members of responding households (some missing, some open)."""
    if q.person is None:
        raise ValueError(f"questionnaire {q.id} has no person part for the demo to answer")
    p, hh = sample.persons, sample.households
    eligible = (p["age"].to_numpy() >= 15) & responded[p["row"].to_numpy()]
    people = p[eligible].reset_index(drop=True)
    rows = people["row"].to_numpy()
    context = pd.DataFrame(
        {
            "age": people["age"].to_numpy(),
            "sex": people["sex"].to_numpy(),
            **{c: part.roster[c].to_numpy()[eligible] for c in ROSTER_CONTEXT},
            "income": hh["income_bracket"].to_numpy()[rows],
            "household_size": hh["size"].to_numpy()[rows],
            "cars": part.cars[rows],
            "district_code": hh["district_code"].to_numpy()[rows],
        }
    )
    columns = draw_person_part(context, field.year, rng)
    m, screens = len(people), len(q.person.sections)
    first = people["member_no"].to_numpy() == part.respondent[rows]
    missing = missing_members(first, people["age"].to_numpy(), people["relation"].to_numpy(), rng)
    opened = missing & bernoulli(0.5, m, rng)
    mode = modes["mode"][rows]
    language = np.where(bernoulli(0.9, m, rng), modes["language"][rows], "ko")
    numbers = people["member_no"].to_numpy()
    started = _person_starts(household_ended[rows], first, mode, numbers, field, rng)
    stop = np.where(missing, rng.integers(0, screens, m), screens)
    parts = _parts(mode, language, started, stop, people["age"].to_numpy(), rng)
    answered = _answered_by_section(q.person, columns, m)
    keys = {"household_id": people["household_id"].to_numpy(), "member_no": numbers}
    persons, drafts, events, _ = _fieldwork(
        parts, q.person, answered, records(columns), keys, opened, rng
    )
    return persons, drafts, events


def _person_starts(
    household_end: np.ndarray,
    first: np.ndarray,
    mode: np.ndarray,
    member_no: np.ndarray,
    field: Field,
    rng: np.random.Generator,
) -> np.ndarray:
    """The member who answered for the household goes on at once; an interviewer takes the
    others in turn; on the web they answer hours or days later (within the field period)."""
    n = len(first)
    later = np.exp(rng.normal(np.log(6 * 3600), 1.2, n)) + 60
    turn = 900.0 * (member_no - 1) + rng.uniform(10, 60, n)
    delay = np.where(first, rng.uniform(5, 60, n), np.where(mode == "web", later, turn))
    start = household_end + (delay * 1000).astype("int64").astype("timedelta64[ms]")
    close = field.start.astype("datetime64[ms]") + np.timedelta64(field.days, "D")
    soon = household_end + (rng.uniform(60, 900, n) * 1000).astype("int64").astype(
        "timedelta64[ms]"
    )
    return np.where(start < close - np.timedelta64(2, "h"), start, soon)


def web_household_fieldwork(
    q: Questionnaire,
    household_ids: np.ndarray,
    answers: list[dict[str, Any]],
    responded: np.ndarray,
    broke_off: np.ndarray,
    head_age: np.ndarray,
    field: Field,
    rng: np.random.Generator,
    reminders: tuple[int, ...] = (),
) -> YearBatch:
    """Fieldwork of a web-only household questionnaire (a panel wave): parts, drafts, paradata.

    The answers are given (one dict per household); who responded and who
    broke off too. Starts follow the invitation and the ``reminders`` (days after the
    start, :func:`demo.paradata.web_start_times`); devices, languages,
    speeders and break-offs follow the same models as the Seoul Survey's web respondents.
    """
    n, screens = len(household_ids), len(q.household.sections)
    mode = np.full(n, "web", dtype=object)
    language = np.where(bernoulli(0.025, n, rng), "en", "ko")
    started = web_start_times(n, field.start, field.days, reminders, rng)
    stop = np.where(responded, screens, rng.integers(0, screens, n))
    parts = _parts(mode, language, started, stop, head_age, rng)
    columns: dict[str, list[Any]] = {}
    for section in q.household.sections:
        for question in section.questions:
            columns[question.name] = [a.get(question.name) for a in answers]
    answered = _answered_by_section(q.household, columns, n)
    keys = {"household_id": np.asarray(household_ids), "member_no": np.zeros(n, dtype=int)}
    households, drafts, events, _ = _fieldwork(
        parts, q.household, answered, answers, keys, broke_off, rng
    )
    empty = pd.DataFrame(columns=["household_id", "member_no", "submission_id", "answers"])
    return YearBatch(households, empty, drafts, events, responded, broke_off)
