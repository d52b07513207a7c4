"""Submission speed: one complete household, and 1,000 households from 16 threads.

Sets up a temporary database (reference data, a synthetic frame, the Seoul
Survey 2026 in the field), then

1. submits complete households one after another — the household part and
   every eligible member's part, each validated with the generated schema and
   stored in its own transaction — and prints the median and p95 time per
   household;
2. sends 1,000 household submissions from 16 concurrent threads, each
   submission sent twice (a double click from another thread), and prints the
   throughput and the count of lost and duplicated responses (both must be 0).

    .venv/bin/python benchmarks/submit.py [--households 200] [--threads 16] [--concurrent 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.frame_store import store_frame  # noqa: E402
from data.migrate import migrate  # noqa: E402
from data.reference import load_shipped_reference, stored_table  # noqa: E402
from data.store import open_store  # noqa: E402
from data.synthetic import FrameConfig, generate_frame  # noqa: E402
from surveys.fieldwork.invitations import issue_codes  # noqa: E402
from surveys.fieldwork.person_context import eligible_members  # noqa: E402
from surveys.fieldwork.sampling import TwoStageDesign  # noqa: E402
from surveys.fieldwork.sessions import open_session  # noqa: E402
from surveys.fieldwork.submit import submit  # noqa: E402
from surveys.opening import draw_sample, open_survey, questionnaire_of, set_status  # noqa: E402

QUESTIONNAIRE = (
    Path(__file__).resolve().parents[1] / "surveys" / "definitions" / "seoul_survey_2026.yaml"
)
HOUSEHOLD = {
    "housing_type": 2, "tenure": 1, "years_at_address": 5, "housing_satisfaction": 7,
    "housing_cost_burden": 2, "move_plan": 2, "hh_respondent": 1, "household_size": 2,
    "members": [
        {"relation": 1, "sex": 1, "birth_year": 1970, "marital_status": 2, "education": 6,
         "education_status": 1, "econ_activity": 1},
        {"relation": 2, "sex": 2, "birth_year": 1972, "marital_status": 2, "education": 5,
         "education_status": 1, "econ_activity": 1},
    ],
    "income": 5, "debt": 2, "cars": 1, "eco_cars": 0, "pets": [99], "care_need": 2,
    "family_meals": 2,
}  # fmt: skip
PERSON = {
    "happy_health": 7, "happy_finance": 6, "happy_relations": 8, "happy_family": 8,
    "happy_social": 6, "happiness_overall": 70, "life_satisfaction": 7, "health_self": 2,
    "trust_neighbours": 3, "trust_public": 3, "seoul_pride": 7, "social_class": 3,
    "class_mobility": 3, "seoul_in_10_years": 1, "commutes": 2, "env_residential": 7,
    "env_transport": 7, "env_green": 6, "env_safety": 7, "env_culture": 6, "urban_risks": [1, 2],
    "volunteered": 2, "donated": 2, "sns_use": 2, "genai_use": 1, "lonely_companionship": 1,
    "lonely_left_out": 1, "lonely_isolated": 1, "stress": 5, "smoking": 4, "exercise": 2,
    "work_hours": 40, "job_satisfaction": 6, "four_half_day_week": 4,
}  # fmt: skip


def setup(folder: Path, households: int):
    store = open_store(folder / "bench.duckdb")
    migrate(store)
    load_shipped_reference(store)
    frame = generate_frame(
        stored_table(store, "districts"),
        stored_table(store, "population_margins"),
        stored_table(store, "household_margins"),
        FrameConfig(scale=100, households_per_ea=40),
    )
    store_frame(
        store,
        frame.households,
        frame.persons,
        frame.household_contacts,
        frame.person_contacts,
        scale_factor=100,
        reference_year=2026,
        generator="bench",
    )
    survey = open_survey(store, QUESTIONNAIRE, code="bench", title_ko="벤치마크", actor="bench")
    sample = draw_sample(
        store,
        survey.survey_id,
        TwoStageDesign(n_households=households, per_area=10, seed=1),
        actor="bench",
    )
    set_status(store, survey.survey_id, "in_field", actor="bench")
    issue_codes(store, survey.survey_id, sample["household_id"], actor="bench")
    return (
        store,
        survey.survey_id,
        questionnaire_of(store, survey.survey_id),
        sample["household_id"].tolist(),
    )


def complete_household(store, survey_id, questionnaire, household_id) -> None:
    session = open_session(store, survey_id, household_id, 0)
    submit(store, questionnaire, session.submission_id, HOUSEHOLD)
    for member in eligible_members(questionnaire, HOUSEHOLD):
        own = open_session(store, survey_id, household_id, member)
        submit(store, questionnaire, own.submission_id, PERSON)


def sequential(store, survey_id, questionnaire, households: list[int]) -> list[float]:
    times = []
    for household_id in households:
        start = time.perf_counter()
        complete_household(store, survey_id, questionnaire, household_id)
        times.append(time.perf_counter() - start)
    return times


def concurrent(store, survey_id, questionnaire, households: list[int], threads: int):
    sessions = [open_session(store, survey_id, h, 0).submission_id for h in households]
    work = sessions + sessions[::-1]  # every submission sent twice, from different threads
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(part: list[str]) -> None:
        for submission_id in part:
            try:
                submit(store, questionnaire, submission_id, HOUSEHOLD)
            except BaseException as error:  # noqa: BLE001 - counted below
                with lock:
                    errors.append(error)

    chunks = [work[i::threads] for i in range(threads)]
    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    stored = store.rows(
        "SELECT count(*), count(DISTINCT household_id) FROM responses"
        " WHERE survey_id = ? AND member_no = 0 AND list_contains(?, household_id)",
        [survey_id, households],
    )[0]
    return elapsed, stored, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--concurrent", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store, survey_id, questionnaire, sampled = setup(
            Path(folder), args.households + args.concurrent + 100
        )
        complete_household(store, survey_id, questionnaire, sampled[-1])  # warm caches
        times = sequential(store, survey_id, questionnaire, sampled[: args.households])
        batch = sampled[args.households : args.households + args.concurrent]
        elapsed, (rows, distinct), errors = concurrent(
            store, survey_id, questionnaire, batch, args.threads
        )
        store.close()
    p95 = statistics.quantiles(times, n=20)[-1]
    print("\nsubmission benchmark (household part + 2 members' parts per complete household)")
    print(f"{'measure':<52} {'value':>12}")
    print(f"{'complete households, one after another':<52} {len(times):>12}")
    print(f"{'median seconds per complete household':<52} {statistics.median(times):>12.3f}")
    print(f"{'p95 seconds per complete household':<52} {p95:>12.3f}")
    print(
        f"{f'household submissions from {args.threads} threads (each sent twice)':<52} {len(batch):>12}"
    )
    print(f"{'throughput, distinct submissions per second':<52} {len(batch) / elapsed:>12.1f}")
    print(f"{'lost (expected 0)':<52} {len(batch) - distinct:>12}")
    print(f"{'duplicated (expected 0)':<52} {rows - distinct:>12}")
    print(f"{'errors (expected 0)':<52} {len(errors):>12}")
    if errors:
        print("first error:", repr(errors[0]))


if __name__ == "__main__":
    main()
