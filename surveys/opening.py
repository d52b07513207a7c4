"""Opening a survey: register its questionnaire version, draw its sample, put it in the field.

A survey manager opens a survey on a questionnaire version: a file of
``surveys/definitions/`` (:func:`open_survey`, stored as a version on the way) or a version
uploaded on the questionnaires page (:func:`open_survey_on_version`). Either way the survey is
pinned to the file's SHA-256 (``questionnaire_versions``) so every response can be traced to
the exact wording it answered, whatever versions come after. The sample is drawn from the frame
with :mod:`surveys.fieldwork.sampling` and every inclusion probability is recorded in
``survey_sample``; drawing excludes households already sampled by the surveys
named in ``exclude_surveys`` (the panel keeps itself disjoint from the
cross-sections this way).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data.audit import record_event
from data.frame_store import household_areas
from data.questionnaire_versions import fetch_version, uploaded_versions
from data.store import Store, Transaction
from data.survey_tables import (
    SAMPLE_COLUMNS,
    delete_survey,
    insert_sample,
    insert_survey,
    questionnaire_file,
    sample_by_district,
    sample_size,
    sampled_in,
    save_questionnaire_version,
    set_sample_design,
    set_survey_status,
    survey_code_taken,
    survey_id_of,
    survey_record,
    surveys_with_questionnaires,
)
from data.text import InvalidRequest, Refusal, Text
from data.transactions import in_transaction
from surveys.fieldwork.sampling import TwoStageDesign, draw_two_stage
from surveys.questionnaire.loader import (
    QuestionnaireError,
    load_questionnaire,
    questionnaire_from_bytes,
)
from surveys.questionnaire.model import Questionnaire
from surveys.questionnaire.uploads import stored_questionnaire

SURVEY_KINDS = ("cross_section", "panel_wave")
SURVEY_STATUSES = ("draft", "in_field", "closed")


@dataclass(frozen=True)
class SurveyInfo:
    survey_id: int
    code: str
    title_ko: str
    title_en: str | None
    kind: str
    reference_year: int | None
    questionnaire_hash: str
    status: str


def register_questionnaire(store: Store, path: Path | str) -> Questionnaire:
    """Load (and so check) a questionnaire file and store that exact version."""
    path = Path(path)
    questionnaire = load_questionnaire(path)
    raw = path.read_bytes()
    if path.suffix.lower() in (".yaml", ".yml"):
        text = raw.decode("utf-8")
    else:
        text = base64.b64encode(raw).decode("ascii")
    save_questionnaire_version(
        store,
        source_hash=questionnaire.source_hash,
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        title_ko=questionnaire.title.ko,
        title_en=questionnaire.title.en,
        file_name=path.name,
        definition=text,
    )
    return questionnaire


@dataclass(frozen=True)
class VersionRef:
    """A stored version of a questionnaire: its id and number (1, 2, … in upload order)."""

    questionnaire_id: str
    version_no: int


QuestionnaireSource = Path | str | VersionRef  # a file (stored on the way) or a stored version


def stored_version(store: Store, ref: VersionRef) -> Questionnaire:
    """The questionnaire of a stored version; refused (``no_such_version``) when there is none,
    its ``QuestionnaireError`` when it no longer loads (a check tightened since)."""
    stored = fetch_version(store, ref.questionnaire_id, int(ref.version_no))
    if stored is None:
        raise InvalidRequest(
            "no_such_version",
            Text(
                f"조사표 '{ref.questionnaire_id}' 의 버전 {ref.version_no} 이(가) 없습니다. 조사표 "
                "화면에서 저장된 버전을 확인하세요.",
                f"questionnaire '{ref.questionnaire_id}' has no version {ref.version_no}; see "
                "the versions stored on the Questionnaires page.",
            ),
        )
    return stored_questionnaire(stored)


def questionnaire_for(store: Store, source: QuestionnaireSource) -> Questionnaire:
    """The questionnaire a survey or panel wave is opened on: a stored version as it is, or a
    file loaded and stored as a version (:func:`register_questionnaire`)."""
    if isinstance(source, VersionRef):
        return stored_version(store, source)
    return register_questionnaire(store, source)


def open_survey(
    store: Store,
    questionnaire_path: Path | str,
    *,
    code: str,
    title_ko: str,
    title_en: str | None = None,
    kind: str = "cross_section",
    reference_year: int | None = None,
    actor: str,
) -> SurveyInfo:
    """Create a survey (status draft) on a questionnaire file, stored as a version first."""
    _check_kind(kind)
    questionnaire = register_questionnaire(store, questionnaire_path)
    detail = {"questionnaire": questionnaire.id, "version": questionnaire.version}
    return _create_survey(
        store, questionnaire, code, title_ko, title_en, kind, reference_year, actor, detail
    )


def open_survey_on_version(
    store: Store,
    questionnaire_id: str,
    version_no: int,
    *,
    code: str,
    title_ko: str,
    title_en: str | None = None,
    kind: str | None = None,
    reference_year: int | None = None,
    actor: str,
) -> SurveyInfo:
    """Create a survey (status draft) pinned to a stored version of a questionnaire.

    ``kind`` defaults to the questionnaire's own (``cross_section`` or ``panel_wave``). A
    version that does not exist is refused (``no_such_version``); one that no longer loads
    (a check tightened since it was stored) raises its ``QuestionnaireError``.
    """
    questionnaire = stored_version(store, VersionRef(questionnaire_id, int(version_no)))
    kind = kind or questionnaire.kind
    _check_kind(kind)
    detail = {
        "questionnaire": questionnaire.id,
        "version_no": int(version_no),
        "version": questionnaire.version,
        "sha256": questionnaire.source_hash,
    }
    return _create_survey(
        store, questionnaire, code, title_ko, title_en, kind, reference_year, actor, detail
    )


def uploaded_questionnaires(store: Store) -> pd.DataFrame:
    """Every stored questionnaire version a survey can be opened on, by questionnaire id,
    newest first (``questionnaire_id``, ``version_no``, ``version``, titles, file, who, when,
    note)."""
    return uploaded_versions(store)


def uploaded_of_kind(store: Store, kind: str) -> pd.DataFrame:
    """The stored versions whose questionnaire is of ``kind`` (``panel_wave`` for the panel's
    wave form), as :func:`uploaded_questionnaires` lists them. A version that no longer loads
    is left out (opening a survey on it would be refused anyway)."""
    versions = uploaded_versions(store)
    keep = []
    for row in versions.itertuples():
        if row.source_hash not in _CACHE:
            try:
                _CACHE[row.source_hash] = stored_version(
                    store, VersionRef(row.questionnaire_id, int(row.version_no))
                )
            except QuestionnaireError:
                keep.append(False)
                continue
        keep.append(_CACHE[row.source_hash].kind == kind)
    return versions[keep].reset_index(drop=True)


def _check_kind(kind: str) -> None:
    if kind not in SURVEY_KINDS:
        raise ValueError(f"survey kind must be one of {SURVEY_KINDS}, not {kind!r}")


def _create_survey(
    store: Store,
    questionnaire: Questionnaire,
    code: str,
    title_ko: str,
    title_en: str | None,
    kind: str,
    reference_year: int | None,
    actor: str,
    detail: dict,
) -> SurveyInfo:
    """The survey row and its ``survey_opened`` audit entry, in one transaction."""

    def work(tx: Transaction) -> int:
        if survey_code_taken(tx, code):
            raise InvalidRequest(
                "code_taken",
                Text(
                    f"조사 코드 '{code}' 는 이미 있습니다", f"survey code '{code}' already exists"
                ),
            )
        survey_id = insert_survey(
            tx,
            code=code,
            title_ko=title_ko,
            title_en=title_en,
            kind=kind,
            reference_year=reference_year,
            questionnaire_hash=questionnaire.source_hash,
            created_by=actor,
        )
        record_event(tx, actor, "survey_opened", code, detail)
        return survey_id

    return survey_info(store, in_transaction(store, work))


def survey_info(store: Store, survey_id: int) -> SurveyInfo:
    record = survey_record(store, survey_id)
    if record is None:
        raise KeyError(f"no survey {survey_id}")
    return SurveyInfo(**record)


def survey_by_code(store: Store, code: str) -> SurveyInfo:
    survey_id = survey_id_of(store, code)
    if survey_id is None:
        raise KeyError(f"no survey with code {code!r}")
    return survey_info(store, survey_id)


def list_surveys(store: Store) -> pd.DataFrame:
    return surveys_with_questionnaires(store)


def series_name(text: str) -> str:
    """A survey code or questionnaire id without its year: 'seoul-2026' → 'seoul'."""
    return re.sub(r"[-_ ]?(19|20)\d{2}$", "", str(text))


def same_series(store: Store, survey_id: int) -> pd.DataFrame:
    """The surveys of the same kind and series as ``survey_id`` (itself included).

    Same series: the survey code or the questionnaire id is the same once its year is
    taken off ('seoul-2025' and 'seoul-2026'), so another survey that happens to ask an
    indicator too is never taken for an earlier year of this one.
    """
    surveys = list_surveys(store)
    mine = surveys.set_index("survey_id").loc[int(survey_id)]
    series = (surveys["code"].map(series_name) == series_name(mine["code"])) | (
        surveys["questionnaire_id"].map(series_name) == series_name(mine["questionnaire_id"])
    )
    return surveys[series & (surveys["kind"] == mine["kind"])].reset_index(drop=True)


def questionnaire_of(store: Store, survey_id: int) -> Questionnaire:
    """The exact questionnaire version a survey uses (parsed from the stored file, cached)."""
    stored = questionnaire_file(store, survey_id)
    if stored is None:
        raise KeyError(f"no survey {survey_id}")
    source_hash, file_name, definition = stored
    if source_hash not in _CACHE:
        suffix = Path(file_name).suffix.lower()
        content = (
            definition.encode("utf-8")
            if suffix in (".yaml", ".yml")
            else base64.b64decode(definition)
        )
        _CACHE[source_hash] = questionnaire_from_bytes(content, file_name)
    return _CACHE[source_hash]


_CACHE: dict[str, Questionnaire] = {}  # by the file's SHA-256: a stored version never changes


def sampled_households(store: Store, survey_ids: list[int]) -> set[int]:
    return sampled_in(store, survey_ids)


def refuse_second_sample(
    store: Store, survey_id: int, refusal: type[Refusal] = InvalidRequest
) -> None:
    """Refuse (``sample_exists``, as ``refusal``) to draw a sample for a survey that has one,
    whatever it would be drawn from (frame, panel or contact list)."""
    if sample_size(store, survey_id):
        raise refusal(
            "sample_exists",
            Text(
                f"조사 {survey_id} 에는 이미 표본이 있습니다",
                f"survey {survey_id} already has a sample",
            ),
        )


def draw_sample(
    store: Store,
    survey_id: int,
    design: TwoStageDesign,
    *,
    actor: str,
    exclude_surveys: list[int] | None = None,
) -> pd.DataFrame:
    """Draw the survey's sample from the frame and record it with its probabilities.

    Households sampled by ``exclude_surveys`` are removed from the frame before
    drawing (their areas keep their other households), so samples stay disjoint.
    """
    refuse_second_sample(store, survey_id)
    frame = household_areas(store)
    excluded = sampled_households(store, exclude_surveys or [])
    if excluded:
        frame = frame[~frame["household_id"].isin(excluded)]
    sample = draw_two_stage(frame, design)
    rows = sample.assign(survey_id=survey_id)[list(SAMPLE_COLUMNS)]

    def work(tx: Transaction) -> None:
        insert_sample(store, tx, rows)
        details = {
            **design.describe(),
            "excluded_surveys": exclude_surveys or [],
            "excluded_households": len(excluded),
            "frame_households": len(frame),
        }
        set_sample_design(tx, survey_id, details)
        record_event(tx, actor, "sample_drawn", f"survey:{survey_id}", details)

    in_transaction(store, work)
    return sample


def set_status(
    store: Store,
    survey_id: int,
    status: str,
    *,
    actor: str,
    field_start: str | None = None,
    field_end: str | None = None,
) -> None:
    """Move a survey to draft, in_field or closed (recording the field period)."""
    if status not in SURVEY_STATUSES:
        raise ValueError(f"status must be one of {SURVEY_STATUSES}")

    def work(tx: Transaction) -> None:
        set_survey_status(tx, survey_id, status, field_start=field_start, field_end=field_end)
        record_event(tx, actor, "survey_status", f"survey:{survey_id}", {"status": status})

    in_transaction(store, work)


def sample_summary(store: Store, survey_id: int) -> pd.DataFrame:
    """The drawn sample per district: areas, households, and the range of design weights."""
    return sample_by_district(store, survey_id)


def discard_survey(store: Store, survey_id: int, *, actor: str) -> None:
    """Remove a survey and everything recorded under it, in one transaction.

    For surveys that never went out for real: a demo step interrupted half-way
    discards what it had made before starting again. The audit log keeps the
    event.
    """

    def work(tx: Transaction) -> None:
        delete_survey(tx, survey_id)
        record_event(tx, actor, "survey_discarded", f"survey:{survey_id}", {})

    in_transaction(store, work)
