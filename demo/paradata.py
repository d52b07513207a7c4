"""Demo fieldwork: who responds, when, in which mode, and the screen-by-screen paradata.

Why: fieldwork monitoring (response rates by district, speeders, break-offs,
modes) needs realistic outcomes and paradata in the demo. About one sampled
household in five does not respond — more in some districts and among young
people living alone; about one in twenty starts and breaks off, leaving an
open answer session with the answers so far and paradata that stop mid-way.
In some responding households not every member aged 15+ answers. Most parts
are answered on the web (mostly phones), about one household in ten with an
interviewer (the demo interviewer account), mostly in Korean, some in English.
Every part gets ``start``, per-screen ``enter``/``leave`` events with
durations drawn per section (longer for longer sections, slower with an
interviewer and with age) and ``submit``; about 3% of parts are speeders,
through in well under a third of the median time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo.draws import bernoulli, categorical, categorical_n, expit, fit_intercept

INTERVIEWER = "interviewer"  # the demo field interviewer's account (demo.seed.DEMO_ACCOUNTS)
RESPONSE_RATE = 0.80
BREAKOFF_SHARE = 0.05  # of sampled households: started, never submitted
SPEEDER_SHARE = 0.03
MISSING_MEMBER = 0.07  # eligible members (other than the one who answered) who never answer
# districts where fewer households take part (busy centres, many young people living alone)
RESPONSE_DISTRICT_EFFECT = {
    "11680": -0.5, "11650": -0.4, "11140": -0.45, "11620": -0.35, "11170": -0.3,
    "11440": -0.2, "11710": -0.15, "11350": 0.3, "11320": 0.3, "11305": 0.2, "11260": 0.15,
}  # fmt: skip
ENGLISH_DISTRICTS = {"11170": 4.0, "11140": 2.5, "11680": 2.0, "11440": 1.5}
EVENING = np.array([1, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 5, 4, 4, 4, 4, 5, 6, 8, 10, 10, 8, 4.0])
DAYTIME = np.array([0] * 10 + [5, 6, 4, 5, 6, 6, 6, 5, 4, 2] + [0] * 4, dtype=float)
SECONDS_PER_ANSWER = 6.0


@dataclass
class Parts:
    """Per submission (household or person part): ids, mode, timing, how far it got."""

    submission_id: np.ndarray
    mode: np.ndarray
    interviewer: np.ndarray
    language: np.ndarray
    device: np.ndarray
    started_at: np.ndarray  # datetime64[s]
    stop: np.ndarray  # sections completed (== number of sections: submitted)
    factor: np.ndarray  # time taken relative to a typical respondent (speeders: well under 1)


def submission_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """Reproducible random UUIDs (version 4) for answer sessions."""
    raw = rng.bytes(16 * n)
    return np.array(
        [str(uuid.UUID(bytes=raw[16 * i : 16 * i + 16], version=4)) for i in range(n)], dtype=object
    )


def household_outcomes(
    households: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(responded, broke_off) per sampled household."""
    district = households["district_code"].astype(str).map(RESPONSE_DISTRICT_EFFECT).fillna(0)
    alone = households["size"].to_numpy() == 1
    band = households["head_age_band"].to_numpy()
    effect = (
        district.to_numpy()
        - 0.9 * (alone & (band == 1))
        - 0.35 * (alone & (band == 2))
        + 0.3 * (band >= 5)
        - 0.2 * np.isin(households["housing_type"].to_numpy(), [5, 6])
    )
    responded = bernoulli(expit(fit_intercept(RESPONSE_RATE, effect) + effect), len(effect), rng)
    broke_off = ~responded & bernoulli(BREAKOFF_SHARE / (1 - RESPONSE_RATE), len(effect), rng)
    return responded, broke_off


def household_modes(households: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(households)
    band = households["head_age_band"].to_numpy()
    interviewed = bernoulli(np.where(band >= 6, 0.25, np.where(band == 5, 0.12, 0.06)), n, rng)
    boost = households["district_code"].astype(str).map(ENGLISH_DISTRICTS).fillna(1.0).to_numpy()
    english = bernoulli(0.025 * boost, n, rng)
    return {
        "mode": np.where(interviewed, "interviewer", "web"),
        "language": np.where(english, "en", "ko"),
    }


def devices(mode: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    web = categorical_n([58, 32, 10], len(mode), rng, [0, 1, 2])
    return np.where(mode == "web", np.array(["phone", "desktop", "tablet"])[web], "tablet")


def start_times(
    n: int, field_start: np.datetime64, days: int, mode: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """When households start: a wave after the letter, another after the reminder, a tail."""
    wave = categorical_n([60, 30, 10], n, rng, [0, 1, 2])
    day = np.select(
        [wave == 0, wave == 1],
        [rng.exponential(7, n), 21 + rng.exponential(6, n)],
        rng.uniform(0, days, n),
    )
    day = np.minimum(np.floor(day), days - 1).astype(int)
    hours = (
        np.where(mode == "web", 1, 0)[:, None] * EVENING
        + np.where(mode == "web", 0, 1)[:, None] * DAYTIME
    )
    hour = categorical(hours, rng, range(24))
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    return field_start.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def web_start_times(
    n: int,
    field_start: np.datetime64,
    days: int,
    reminders: tuple[int, ...],
    rng: np.random.Generator,
) -> np.ndarray:
    """When web respondents start in a short survey with reminders (a panel wave).

    Half start within days of the invitation (exponential, mean 2 days); the rest
    answer a reminder — an equal share after each reminder due before ``days``, within
    a day or two of it (exponential, mean 1.5 days). A day past ``days`` (the end of
    the field period, or today for a survey still in the field) is drawn again at
    random within it, so no day collects the overflow. Hours follow the web profile.
    """
    due = [r for r in reminders if 0 < r < days]
    after = rng.integers(0, len(due) + 1, n) if due else np.zeros(n, dtype=int)
    invited = (after == 0) | (rng.random(n) < 0.5)
    base = np.where(invited, 0, np.asarray([0, *due])[after])
    day = np.floor(base + np.where(invited, rng.exponential(2.0, n), rng.exponential(1.5, n)))
    late = day >= days
    day[late] = rng.integers(0, days, int(late.sum()))
    hour = categorical_n(EVENING, n, rng, range(24))
    seconds = day.astype(int) * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    return field_start.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def speed(mode: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Time taken relative to a typical respondent: more with an interviewer and with age;
    speeders (web only) take a tenth to a fifth of it."""
    n = len(mode)
    factor = np.exp(rng.normal(0, 0.35, n)) * np.where(mode == "web", 1.0, 1.35)
    factor *= 1 + 0.01 * np.maximum(age - 50, 0)
    speeder = bernoulli(SPEEDER_SHARE, n, rng) & (mode == "web")
    return np.where(speeder, factor * rng.uniform(0.1, 0.2, n), factor)


def section_seconds(
    answered: np.ndarray, factor: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Seconds on each screen (parts × sections) from the answers given there."""
    noise = np.exp(rng.normal(0, 0.35, answered.shape))
    return (8 + SECONDS_PER_ANSWER * answered) * noise * factor[:, None]


def timeline(
    parts: Parts, sections: list[str], seconds: np.ndarray, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Paradata events of every part, and when each part ended (its submit or last event).

    Columns of the event grid: start, then enter and leave per section, then
    submit. A part that completed every section keeps them all; one that broke
    off after ``stop`` sections keeps start, those sections and the ``enter``
    of the screen it left the survey on.
    """
    n, s = seconds.shape
    leave = np.cumsum(rng.uniform(1, 3, (n, s)) + seconds, axis=1)
    offsets = np.zeros((n, 2 * s + 2))
    offsets[:, 1:-1:2] = leave - seconds
    offsets[:, 2:-1:2] = leave
    offsets[:, -1] = leave[:, -1] + rng.uniform(1, 2, n)
    events = np.array(["start", *["enter", "leave"] * s, "submit"], dtype=object)
    section = np.array([None, *np.repeat(sections, 2), None], dtype=object)
    position = np.arange(2 * s + 2)[None, :]
    kept = position <= 2 * parts.stop[:, None] + 1
    rows, cols = np.nonzero(kept)
    start = parts.started_at.astype("datetime64[ms]")
    milliseconds = (offsets * 1000).astype("int64").astype("timedelta64[ms]")
    frame = pd.DataFrame(
        {
            "submission_id": _labels(rows, parts.submission_id),
            "seq": np.cumsum(kept, axis=1)[rows, cols],
            "event": _labels(cols, events),
            "section_id": _labels(cols, section),
            "occurred_at": start[rows] + milliseconds[rows, cols],
            "device_class": _labels(rows, parts.device),
            "language": _labels(rows, parts.language),
        }
    )
    last = np.minimum(2 * parts.stop + 1, 2 * s + 1)
    return frame, start + milliseconds[np.arange(n), last]


def _labels(codes: np.ndarray, values: np.ndarray) -> pd.Categorical:
    """``values[codes]`` as a categorical: a million event rows without a million strings."""
    categories, inverse = np.unique(values.astype(str), return_inverse=True)
    known = np.array([v is not None for v in values])
    return pd.Categorical.from_codes(np.where(known, inverse, -1)[codes], categories=categories)


def missing_members(
    respondent: np.ndarray, age: np.ndarray, relation: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Eligible members (not the one who answered for the household) who never answer."""
    young_child = (relation == 3) & (age >= 19) & (age <= 35)
    missing = bernoulli(np.where(young_child, 2 * MISSING_MEMBER, MISSING_MEMBER), len(age), rng)
    return missing & ~respondent
