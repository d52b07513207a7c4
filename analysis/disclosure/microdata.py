"""Public-use microdata files (공개용 마이크로데이터) for the open-data portal 열린데이터광장.

One record per person aged 15+ who answered, with the household's context
(income, housing, size… as listed in the rules) and the final person weight
of the latest weights version. A questionnaire without a person part (a department's
own household form) gives one record per responding household with the final household
weight instead, and only a household pseudonym. Built in this order:

1. **keep** only the questionnaire's answers and the design columns the rules
   name (an allow-list: columns not known to be answers never pass), then
   **drop** what the rules always drop — ids, free text, dates, paradata;
2. **pseudonymize**: household and person ids become keyed hashes
   (:mod:`analysis.disclosure.pseudonyms`) scoped to the survey, so two surveys' files
   cannot be linked by them. The enumeration area is not released, not even
   as a pseudonym: households of one area share a district, so it would give
   back every district blanked by suppression;
3. **recode** by ``analysis/disclosure/rules.yaml`` (age bands, top-codes, rare
   categories merged) and spread multiple choices into 0/1 columns;
4. **local suppression** of key variables until k-anonymity holds
   (:mod:`analysis.disclosure.control`; ``k`` raised for sensitive variables). A
   household-level key (the same for every member: district, household size,
   income) blanked for one member is blanked for all members of the household,
   else the household pseudonym would give it back from a housemate's record.
   Extra blanks only raise frequencies, so k-anonymity still holds;
5. a **risk report** before (original keys, after dropping) and after.

:func:`export` writes CSV (UTF-8 with BOM, for Korean Excel; a text cell that could be read as
a formula starts with an apostrophe, :mod:`data.spreadsheet_safety`), Parquet, SPSS
``.sav`` and Stata ``.dta`` — the last two with Korean variable and value labels
through pyreadstat (labels cut at 80 characters, Stata's limit; names ASCII of
at most 32 characters, Stata's rule). :func:`release` is the one way staff
export: statisticians and administrators only, each export in the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

from analysis.disclosure.control import (
    DisclosureRules,
    Label,
    RiskReport,
    apply_recodes,
    load_rules,
    local_suppression,
    risk_report,
    suppress_within_groups,
)
from analysis.disclosure.pseudonyms import configured_key_path, load_or_create_key, pseudonymize
from analysis.survey_frames import respondent_frames
from analysis.weights.survey_weights import latest_weights
from data.accounts import ADMIN, STATISTICIAN
from data.audit import log_event
from data.reference import stored_table
from data.spreadsheet_safety import excel_writer, write_csv, write_sheet
from data.store import Store
from data.text import InvalidRequest, Refusal, Text
from surveys.opening import questionnaire_of, survey_info
from surveys.questionnaire.model import Questionnaire

FORMATS = ("csv", "parquet", "sav", "dta")
EXPORT_ROLES = (ADMIN, STATISTICIAN)


class ExportNotAllowed(Refusal, PermissionError):
    """A role that may not export public-use microdata (``reason`` ``"not_allowed"``)."""


LABEL_LIMIT = 80  # Stata's variable- and value-label length
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")  # Stata: ASCII, at most 32
WEIGHT = "weight"
PSEUDONYM_COLUMNS: dict[str, tuple[str, str, Label]] = {
    # column: (kind, prefix, label); the letter keeps spreadsheets from reading a number
    "household_pseudonym": ("household", "H", ("가구 가명 번호", "Household pseudonym")),
    "person_pseudonym": ("person", "P", ("가구원 가명 번호", "Person pseudonym")),
}
CHOSEN: dict[int, Label] = {0: ("선택 안 함", "Not chosen"), 1: ("선택", "Chosen")}
REFERENCE_VALUE_LABELS = {"household_size": "household_sizes"}


@dataclass
class PublicFile:
    """A public-use file ready to export, with its codebook and risk reports."""

    survey_code: str
    title: str
    data: pd.DataFrame
    codebook: pd.DataFrame
    risk_before: RiskReport
    risk_after: RiskReport
    rules: DisclosureRules
    k: int
    suppressed: dict[str, int]
    weights_id: int
    variable_labels: dict[str, Label] = field(default_factory=dict)
    value_labels: dict[str, dict[int, Label]] = field(default_factory=dict)

    @property
    def suppressed_cells(self) -> int:
        return sum(self.suppressed.values())


# -- building ------------------------------------------------------------------------------------
def _records(
    store: Store, survey_id: int, rules: DisclosureRules, questionnaire: Questionnaire
) -> tuple[pd.DataFrame, int]:
    """The released unit's records with their final weight: persons 15+, or households when
    the questionnaire has no person part."""
    if questionnaire.person is not None:
        return _persons(store, survey_id, rules)
    frames = respondent_frames(store, survey_id, stored_table(store, "age_groups"))
    return _weighted(frames["households"], latest_weights(store, survey_id, "household"))


def _weighted(
    records: pd.DataFrame, latest: tuple[int, pd.DataFrame, dict] | None
) -> tuple[pd.DataFrame, int]:
    """``records`` with the final weight of ``latest`` (refused when there is none, or when
    it does not cover every record)."""
    if latest is None:
        raise InvalidRequest(
            "no_weights",
            Text(
                "이 조사에는 가중치가 없습니다. 먼저 가중치를 만드십시오.",
                "This survey has no weights yet: make them first.",
            ),
        )
    weights_id, weights, _ = latest
    keys = [k for k in ("household_id", "member_no") if k in records.columns and k in weights]
    records = records.merge(weights[[*keys, WEIGHT]], on=keys, how="left")
    if records[WEIGHT].isna().any():
        raise InvalidRequest(
            "stale_weights",
            Text(
                "가중치가 응답자와 맞지 않습니다. 가중치를 다시 만드십시오.",
                "The latest weights do not cover every respondent: make a new version.",
            ),
        )
    return records, weights_id


def _persons(store: Store, survey_id: int, rules: DisclosureRules) -> tuple[pd.DataFrame, int]:
    frames = respondent_frames(store, survey_id, stored_table(store, "age_groups"))
    persons, households = frames["persons15"], frames["households"]
    extra = [
        name
        for name in rules.household_context
        if name in households.columns and name not in persons.columns
    ]
    persons = persons.merge(households[["household_id", *extra]], on="household_id", how="left")
    return _weighted(persons, latest_weights(store, survey_id, "person"))


def _pseudonyms(records: pd.DataFrame, key: bytes, survey_code: str) -> pd.DataFrame:
    """Keyed pseudonyms of the household (and of the person, for person records)."""
    sources = {"household": records["household_id"]}
    if "member_no" in records.columns:
        person_ids = records["household_id"].astype(str) + "-" + records["member_no"].astype(str)
        sources["person"] = person_ids
    out = pd.DataFrame(index=records.index)
    for column, (kind, prefix, _) in PSEUDONYM_COLUMNS.items():
        if kind in sources:
            out[column] = prefix + pseudonymize(sources[kind], key, f"{survey_code}/{kind}")
    return out


def _released_columns(
    frame: pd.DataFrame, questionnaire: Questionnaire, rules: DisclosureRules
) -> list[str]:
    types = {question.name: question.type for _, _, question in questionnaire.all_questions()}
    allowed = [
        name
        for name in frame.columns
        if (name in types and types[name] != "note")
        or name in rules.keep_design
        or name == rules.age_target
    ]
    dropped = set(rules.dropped(allowed, types))
    return [name for name in allowed if name not in dropped]


def _spread_multiple(
    frame: pd.DataFrame, questionnaire: Questionnaire
) -> tuple[pd.DataFrame, dict[str, Label], dict[str, str]]:
    """Each multiple choice as one 0/1 column per choice (missing where not asked)."""
    labels: dict[str, Label] = {}
    origin: dict[str, str] = {}
    for name in list(frame.columns):
        try:
            question = questionnaire.question(name)
        except KeyError:
            continue
        if question.type != "multiple" or question.choices is None:
            continue
        choices = questionnaire.choice_lists[question.choices].choices
        answers = frame[name].tolist()
        position = frame.columns.get_loc(name)
        spread = {}
        for choice in choices:
            column = f"{name}_{choice.code}"
            chosen = [int(choice.code in v) if _is_answer(v) else None for v in answers]
            spread[column] = pd.array(chosen, dtype="Int64")
            labels[column] = (
                f"{question.label.ko}: {choice.label.ko}",
                f"{question.label.pick('en')}: {choice.label.pick('en')}",
            )
            origin[column] = name
        frame = frame.drop(columns=[name])
        for offset, (column, values) in enumerate(spread.items()):
            frame.insert(position + offset, column, values)
    return frame, labels, origin


def _is_answer(value: Any) -> bool:
    return isinstance(value, list | tuple)


def _labels(
    store: Store, questionnaire: Questionnaire, columns: list[str], rules: DisclosureRules
) -> tuple[dict[str, Label], dict[str, dict[int, Label]]]:
    variable: dict[str, Label] = {
        WEIGHT: ("최종 가중치 (15세 이상 인구)", "Final weight (population aged 15+)"),
        "district_code": ("자치구", "District"),
        rules.age_target: ("연령대", "Age group"),
    }
    for column, (_, _, label) in PSEUDONYM_COLUMNS.items():
        variable[column] = label
    values: dict[str, dict[int, Label]] = {}
    for name in columns:
        try:
            question = questionnaire.question(name)
        except KeyError:
            continue
        variable[name] = (question.label.ko, question.label.pick("en"))
        if question.type == "single" and question.choices:
            values[name] = {
                choice.code: (choice.label.ko, choice.label.pick("en"))
                for choice in questionnaire.choice_lists[question.choices].choices
            }
    districts = stored_table(store, "districts")
    values["district_code"] = {
        int(row.code): (str(row.name_ko), str(row.name_en)) for row in districts.itertuples()
    }
    for name, table in REFERENCE_VALUE_LABELS.items():
        codes = stored_table(store, table)
        values[name] = {
            int(row.code): (str(row.label_ko), str(row.label_en)) for row in codes.itertuples()
        }
    return variable, values


def _check_other_codes(questionnaire: Questionnaire, rules: DisclosureRules) -> None:
    if rules.rare is None:
        return
    for name in rules.rare.variables:
        try:
            question = questionnaire.question(name)
        except KeyError:
            continue
        if (
            question.choices
            and rules.rare.code in questionnaire.choice_lists[question.choices].codes()
        ):
            raise ValueError(f"{name}: the 'other' code {rules.rare.code} is one of its choices")


def build_public_file(
    store: Store,
    survey_id: int,
    *,
    rules: DisclosureRules | None = None,
    key_path: Path | str | None = None,
) -> PublicFile:
    """The public-use file of a survey (persons 15+, or households for a questionnaire
    without a person part), disclosure-controlled by the rules."""
    rules = rules or load_rules()
    survey = survey_info(store, survey_id)
    questionnaire = questionnaire_of(store, survey_id)
    _check_other_codes(questionnaire, rules)
    key = load_or_create_key(key_path or configured_key_path())
    persons, weights_id = _records(store, survey_id, rules, questionnaire)
    pseudonyms = _pseudonyms(persons, key, survey.code)

    recoded = apply_recodes(persons, rules, age_bands=stored_table(store, "age_groups"))
    columns = _released_columns(recoded.frame, questionnaire, rules)
    data = recoded.frame[columns].copy()
    if "district_code" in data.columns:
        data["district_code"] = pd.to_numeric(data["district_code"]).astype("Int64")
    data, spread_labels, origin = _spread_multiple(data, questionnaire)
    data = pd.concat([pseudonyms, data, persons[[WEIGHT]]], axis=1)

    keys = [key_name for key_name in rules.keys if key_name in data.columns]
    k = rules.k_for(data.columns)
    before = persons.copy()
    if "district_code" in before.columns:
        before["district_code"] = pd.to_numeric(before["district_code"]).astype("Int64")
    risk_before = risk_report(before, keys, WEIGHT, k)
    data, suppressed = local_suppression(data, keys, k, importance=keys)
    shared = [name for name in keys if _household_level(persons, name)]
    data, spread = suppress_within_groups(data, "household_pseudonym", shared)
    suppressed = {name: suppressed[name] + spread.get(name, 0) for name in keys}
    risk_after = risk_report(data, keys, WEIGHT, k)

    variable_labels, value_labels = _labels(store, questionnaire, list(data.columns), rules)
    if questionnaire.person is None:
        variable_labels[WEIGHT] = ("최종 가중치 (가구)", "Final weight (households)")
    variable_labels.update(spread_labels)
    value_labels.update(dict.fromkeys(spread_labels, CHOSEN))
    value_labels = recoded.relabel(value_labels)
    value_labels = {name: codes for name, codes in value_labels.items() if name in data.columns}
    for name in data.columns:
        if not NAME_PATTERN.match(name):
            raise ValueError(f"{name!r} is not a valid Stata variable name (ASCII, ≤ 32)")
    codebook = _codebook(
        data, questionnaire, variable_labels, value_labels, recoded.notes, suppressed, origin
    )
    return PublicFile(
        survey_code=survey.code,
        title=survey.title_ko,
        data=data.reset_index(drop=True),
        codebook=codebook,
        risk_before=risk_before,
        risk_after=risk_after,
        rules=rules,
        k=k,
        suppressed=suppressed,
        weights_id=weights_id,
        variable_labels=variable_labels,
        value_labels=value_labels,
    )


def _household_level(persons: pd.DataFrame, name: str) -> bool:
    """Whether a column has one value per household (missing counted as a value)."""
    return bool((persons.groupby("household_id")[name].nunique(dropna=False) <= 1).all())


def _kind(name: str, questionnaire: Questionnaire, labelled: bool) -> str:
    if name in PSEUDONYM_COLUMNS:
        return "pseudonym"
    if name == WEIGHT:
        return "weight"
    try:
        question_type = questionnaire.question(name).type
    except KeyError:
        return "categorical" if labelled else "numeric"
    if question_type in ("single", "multiple"):
        return "categorical"
    return question_type


def _codebook(
    data: pd.DataFrame,
    questionnaire: Questionnaire,
    variable_labels: dict[str, Label],
    value_labels: dict[str, dict[int, Label]],
    notes: dict[str, str],
    suppressed: dict[str, int],
    origin: dict[str, str],
) -> pd.DataFrame:
    rows = []
    for name in data.columns:
        ko, en = variable_labels.get(name, (name, name))
        codes = value_labels.get(name, {})
        rows.append(
            {
                "variable": name,
                "label_ko": ko,
                "label_en": en,
                "type": _kind(origin.get(name, name), questionnaire, bool(codes)),
                "value_labels_ko": "; ".join(f"{c}={t[0]}" for c, t in sorted(codes.items())),
                "value_labels_en": "; ".join(f"{c}={t[1]}" for c, t in sorted(codes.items())),
                "recode": notes.get(origin.get(name, name), ""),
                "suppressed": int(suppressed.get(name, 0)),
                "missing": int(data[name].isna().sum()),
            }
        )
    return pd.DataFrame(rows)


# -- export --------------------------------------------------------------------------------------
def _fit(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def _for_readstat(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    for name in out.columns:
        if pd.api.types.is_numeric_dtype(out[name]):
            out[name] = out[name].astype("float64")
        else:
            out[name] = out[name].astype(object).where(out[name].notna(), "")
    return out


def export(public_file: PublicFile, fmt: str, path: Path | str) -> Path:
    """Write the data as ``csv``, ``parquet``, ``sav`` or ``dta`` (the last two labelled)."""
    path = Path(path)
    data = public_file.data
    if fmt == "csv":
        write_csv(data, path)
    elif fmt == "parquet":
        data.to_parquet(path, index=False)
    elif fmt in ("sav", "dta"):
        column_labels: dict[str, str | None] = {
            name: _fit(public_file.variable_labels.get(name, (name, name))[0])
            for name in data.columns
        }
        value_labels: dict[str, dict[int | float, str]] = {
            name: {code: _fit(text[0]) for code, text in codes.items()}
            for name, codes in public_file.value_labels.items()
        }
        writer = pyreadstat.write_sav if fmt == "sav" else pyreadstat.write_dta
        writer(
            _for_readstat(data),
            path,
            file_label=_fit(f"{public_file.title} 공개용 자료"),
            column_labels=column_labels,
            variable_value_labels=value_labels,
        )
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return path


def export_codebook(public_file: PublicFile, path: Path | str) -> Path:
    """The codebook as ``.csv`` (UTF-8 with BOM) or ``.xlsx`` (with the risk summary)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        summary = pd.DataFrame(
            [
                {"report": "before", **public_file.risk_before.as_dict()},
                {"report": "after", **public_file.risk_after.as_dict()},
            ]
        ).astype({"keys": str})
        with excel_writer(path) as writer:
            write_sheet(writer, public_file.codebook, "codebook")
            write_sheet(writer, summary, "risk")
    elif path.suffix.lower() == ".csv":
        write_csv(public_file.codebook, path)
    else:
        raise ValueError("the codebook is written as .csv or .xlsx")
    return path


def release(
    store: Store,
    survey_id: int,
    fmt: str,
    out_dir: Path | str,
    *,
    actor: str,
    role: str,
    key_path: Path | str | None = None,
    rules: DisclosureRules | None = None,
) -> list[Path]:
    """Build, export and audit a public-use file; statisticians and administrators only."""
    if role not in EXPORT_ROLES:
        raise ExportNotAllowed(
            "not_allowed",
            Text(
                "공개용 마이크로데이터는 통계 분석가와 관리자만 내보낼 수 있습니다.",
                "Only statisticians and administrators may export public-use microdata.",
            ),
        )
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    public_file = build_public_file(store, survey_id, rules=rules, key_path=key_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{public_file.survey_code}_public"
    paths = [
        export(public_file, fmt, out_dir / f"{stem}.{fmt}"),
        export_codebook(public_file, out_dir / f"{stem}_codebook.csv"),
    ]
    log_event(
        store,
        actor,
        "microdata_released",
        f"survey:{survey_id}",
        {
            "role": role,
            "survey": public_file.survey_code,
            "format": fmt,
            "files": [p.name for p in paths],
            "rows": len(public_file.data),
            "columns": public_file.data.shape[1],
            "k": public_file.k,
            "keys": list(public_file.risk_after.keys),
            "suppressed_cells": public_file.suppressed_cells,
            "suppressed_by_key": public_file.suppressed,
            "violating_before": public_file.risk_before.violating,
            "violating_after": public_file.risk_after.violating,
            "weights_id": public_file.weights_id,
            "rules_sha256": public_file.rules.sha256,
        },
    )
    return paths
