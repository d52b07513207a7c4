"""Moving a survey in the field to another version of its questionnaire — explicitly, audited,
and only when every answer already given stays valid.

Why: a survey is pinned to the exact file it was opened on (``surveys.questionnaire_hash``).
A correction found in the field (a typo in a label, a range too narrow, a new "don't know"
choice) is a new version; the survey manager may move the survey to it, but never at the
cost of the answers already stored. The new version is checked against every submitted part
of the survey, in one batch per part as a submission is checked
(:func:`surveys.answer_frames.household_frames`, the generated Pandera schemas):

* an answer the new version refuses (out of the new range, a removed choice, a now-required
  question left empty) breaks;
* an answered question the new version no longer has breaks too (its answers would drop out
  of every frame and estimate);
* a member's part is judged with the household's answers as the new version reads them.

If anything breaks, nothing changes and the refusal lists each question with the number of
stored parts it breaks and the first reason. Otherwise the survey's version changes and
``survey_questionnaire_changed`` is written to the audit log in the same transaction (from and
to, the version number, the parts checked, the manager's note). Each response keeps the hash
of the version it answered; new answers are checked against the new version.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from data.answer_tables import responses_of
from data.audit import record_event
from data.store import Store, Transaction
from data.survey_tables import response_count, response_count_in, set_questionnaire_hash
from data.text import InvalidRequest, Text
from data.transactions import in_transaction
from data.validation import validate_frame
from surveys.answer_frames import household_frames, person_frame
from surveys.fieldwork.person_context import member_contexts
from surveys.opening import SurveyInfo, VersionRef, questionnaire_of, stored_version, survey_info
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.response_schema import household_schema, person_schema, roster_schema


@dataclass(frozen=True)
class BrokenAnswers:
    """One question whose stored answers the new version would not accept."""

    question: str
    parts: int  # stored parts (household or member) whose answer breaks
    reason: Text  # the first reason found


class VersionChangeRefused(InvalidRequest):
    """The change would break answers already given (``broken`` lists them), or cannot be
    asked for (another questionnaire, the same version, no note, a closed survey)."""

    def __init__(self, reason: str, text: Text, broken: list[BrokenAnswers] | None = None):
        super().__init__(reason, text)
        self.broken = broken or []


def answers_broken_by(store: Store, survey_id: int, new: Questionnaire) -> list[BrokenAnswers]:
    """Every question whose stored answers in this survey the new version would not accept,
    most parts first (empty: every answer given stays valid)."""
    stored = responses_of(store, survey_id)
    households = [json.loads(a) for a in stored.loc[stored["member_no"] == 0, "answers"]]
    counts: Counter[str] = Counter()
    first: dict[str, Text] = {}

    def add(question: str, reason: Text) -> None:
        counts[question] += 1
        first.setdefault(question, reason)

    _removed_questions(new, stored, add)
    if households:
        _check_households(new, households, add)
    persons = stored[stored["member_no"] > 0]
    if not persons.empty and new.person is not None:
        _check_persons(new, stored, persons, add)
    return [BrokenAnswers(q, n, first[q]) for q, n in counts.most_common()]


def _removed_questions(new: Questionnaire, stored, add) -> None:
    known = {q.name for _, _, q in new.all_questions()}
    known |= {s.id for part in new.parts for s in part.sections if s.roster}
    known |= set(new.metadata.get("generated_counts", {}).values())
    for text in stored["answers"]:
        for name, value in json.loads(text).items():
            if name not in known and value not in (None, "", []):
                add(
                    name,
                    Text(
                        f"새 버전에 문항 '{name}' 이(가) 없어 이미 받은 답이 빠집니다.",
                        f"the new version has no question '{name}', so answers given to it "
                        "would drop out.",
                    ),
                )


def _check_households(new: Questionnaire, households: list[dict[str, Any]], add) -> None:
    frame, members = household_frames(new, households)
    _count(validate_frame(frame, household_schema(new)), add)
    if not members.empty:
        _count(validate_frame(members, roster_schema(new)), add)


def _check_persons(new: Questionnaire, stored, persons, add) -> None:
    by_household = {
        int(row.household_id): json.loads(row.answers)
        for row in stored[stored["member_no"] == 0].itertuples()
    }
    answers, contexts = [], []
    for row in persons.itertuples():
        household = by_household.get(int(row.household_id))
        context = member_contexts(new, household).get(int(row.member_no)) if household else None
        if context is None:  # the member is no longer listed as the new version reads the roster
            add(
                "(person part)",
                Text(
                    f"{int(row.member_no)}번 가구원의 응답이 새 버전의 가구원 명단과 맞지 않습니다.",
                    f"member {int(row.member_no)}'s part no longer matches the roster as the "
                    "new version reads it.",
                ),
            )
            continue
        answers.append(json.loads(row.answers))
        contexts.append(context)
    if answers:
        _count(validate_frame(person_frame(new, answers, contexts), person_schema(new)), add)


def _count(result, add) -> None:
    for reasons in result.reasons.values():
        seen = set()
        for reason in reasons:
            question = reason.column or "(part)"
            if question not in seen:
                seen.add(question)
                add(question, reason.text)
    for reason in result.batch_reasons:
        add(reason.column or "(all)", reason.text)


def change_survey_version(
    store: Store, survey_id: int, to: VersionRef, *, actor: str, note: str
) -> SurveyInfo:
    """Move the survey to version ``to`` of its questionnaire (see the module docstring)."""
    survey = survey_info(store, survey_id)
    current = questionnaire_of(store, survey_id)
    if not note.strip():
        raise VersionChangeRefused(
            "note_required",
            Text(
                "버전을 바꾸는 이유를 적어 주세요 (감사 기록에 남습니다).",
                "Say why the version changes (it is kept in the audit log).",
            ),
        )
    if survey.status == "closed":
        raise VersionChangeRefused(
            "survey_closed",
            Text(
                "마감된 조사의 조사표 버전은 바꿀 수 없습니다.",
                "A closed survey's questionnaire version cannot change.",
            ),
        )
    new = stored_version(store, to)
    if new.id != current.id:
        raise VersionChangeRefused(
            "other_questionnaire",
            Text(
                f"이 조사는 조사표 '{current.id}' 의 버전만 쓸 수 있습니다 ('{new.id}' 은(는) 다른 "
                "조사표입니다). 다른 조사표로는 새 조사를 여세요.",
                f"this survey can only move to a version of '{current.id}' ('{new.id}' is "
                "another questionnaire); open a new survey for it.",
            ),
        )
    if new.source_hash == current.source_hash:
        raise VersionChangeRefused(
            "same_version",
            Text("조사가 이미 이 버전을 쓰고 있습니다.", "The survey already uses this version."),
        )
    checked = response_count(store, survey_id)
    broken = answers_broken_by(store, survey_id, new)
    if broken:
        listed = ", ".join(f"{b.question} ({b.parts})" for b in broken[:10])
        raise VersionChangeRefused(
            "answers_would_break",
            Text(
                f"새 버전은 이미 받은 답 일부를 받아들이지 않아 바꾸지 않았습니다: {listed}. "
                "답이 유효하게 남도록 조사표를 고치거나 새 조사를 여세요.",
                f"the new version would not accept answers already given, so nothing changed: "
                f"{listed}. Correct the questionnaire so they stay valid, or open a new survey.",
            ),
            broken,
        )

    def work(tx: Transaction) -> None:
        if response_count_in(tx, survey_id) != checked:
            raise VersionChangeRefused(
                "answers_arrived",
                Text(
                    "확인하는 동안 새 응답이 들어왔습니다. 다시 시도해 주세요.",
                    "New answers arrived while checking; please try again.",
                ),
            )
        set_questionnaire_hash(tx, survey_id, new.source_hash)
        detail = {
            "questionnaire": new.id,
            "from_sha256": current.source_hash,
            "to_sha256": new.source_hash,
            "to_version_no": int(to.version_no),
            "parts_checked": checked,
            "note": note.strip(),
        }
        record_event(tx, actor, "survey_questionnaire_changed", f"survey:{survey_id}", detail)

    in_transaction(store, work)
    return survey_info(store, survey_id)
