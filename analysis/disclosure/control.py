"""Statistical disclosure control of public-use microdata: rules, recodes, risk, suppression.

The rules live in ``analysis/disclosure/rules.yaml`` (a statistician edits
them): the key variables (quasi-identifiers), ``k``, the sensitive variables
that raise ``k``, the recodes and the variables always dropped. This module
applies them to a frame; ``analysis.disclosure.microdata`` builds the file around it.

Frequencies and the missing-value convention
    For record ``i`` and the key variables, the sample frequency ``f_k(i)``
    counts the records *compatible* with ``i``: equal on every key, where a
    missing value (a suppressed cell) matches any value. This is sdcMicro's
    convention (``freqCalc`` / ``localSuppression``; Templ, Kowarik & Meindl
    2015, *Statistical Disclosure Control for Micro-Data Using the R Package
    sdcMicro*, J. Stat. Softw. 67(4), §3): an intruder cannot rule out a
    record whose value is blank, so it belongs to every group it could be in.
    The population frequency ``F̂_k(i)`` is the sum of the survey weights of
    the same records. A file is k-anonymous when ``f_k(i) >= k`` for every
    record. Under this convention suppression never lowers a frequency, which
    is why the greedy suppression below always ends.

Risk
    ``expected re-identifications = Σ_i 1 / F̂_k(i)``: an intruder who links a
    record to the population picks one of about ``F̂_k`` people sharing its
    keys. It is the simple estimate that sdcMicro's individual risk
    (Benedetti & Franconi 1998; Templ, Kowarik & Meindl 2015, §3.2) refines
    with a negative-binomial model of ``F_k`` given ``f_k``. The report also
    lists the records violating k-anonymity and the riskiest key
    combinations (smallest ``f_k``, then smallest ``F̂_k``).

Local suppression
    Greedy, record by record from the smallest ``f_k``: blank the key of
    lowest importance whose suppression alone brings the record to ``k``; if
    none does, blank the one that raises its frequency most (ties: lowest
    importance) and try again. Only violating records lose values; a record
    with every key blank matches all ``n`` records, so the loop ends when
    ``n >= k``.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis.survey_frames import age_group_of

DEFAULT_RULES = Path(__file__).resolve().parent / "rules.yaml"
CONVENTION = "missing matches any value (sdcMicro)"
Label = tuple[str, str]  # (Korean, English)


# -- rules ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TopCode:
    at: float
    label: Label | None = None


@dataclass(frozen=True)
class RareRule:
    min_count: int
    code: int
    label: Label
    variables: tuple[str, ...]


@dataclass(frozen=True)
class DisclosureRules:
    """The parsed ``analysis/disclosure/rules.yaml``."""

    keys: tuple[str, ...]
    k: int
    sensitive_k: int
    sensitive_variables: tuple[str, ...]
    household_context: tuple[str, ...]
    keep_design: tuple[str, ...]
    age_source: str
    age_target: str
    age_breaks: str | tuple[int, ...]  # "reference" or custom lower bounds
    top_codes: dict[str, TopCode]
    rare: RareRule | None
    drop_columns: tuple[str, ...]
    drop_question_types: tuple[str, ...]
    drop_patterns: tuple[str, ...]
    sha256: str = ""

    def k_for(self, columns: Iterable[str]) -> int:
        """``sensitive_k`` if the file releases a sensitive variable, else ``k``."""
        released = set(columns)
        return self.sensitive_k if released & set(self.sensitive_variables) else self.k

    def dropped(self, columns: Iterable[str], question_types: Mapping[str, str]) -> list[str]:
        """The columns the rules always drop: listed, of a dropped question type, or by pattern."""
        out = []
        for name in columns:
            if (
                name in self.drop_columns
                or question_types.get(name) in self.drop_question_types
                or any(fnmatch.fnmatch(name, pattern) for pattern in self.drop_patterns)
            ):
                out.append(name)
        return out


def _label(entry: Mapping[str, Any]) -> Label | None:
    if "label_ko" not in entry:
        return None
    return (str(entry["label_ko"]), str(entry.get("label_en", entry["label_ko"])))


def parse_rules(raw: Mapping[str, Any], sha256: str = "") -> DisclosureRules:
    """Rules from their YAML mapping; ValueError on a malformed rule."""
    keys = tuple(raw.get("keys") or ())
    if not keys or not all(isinstance(key, str) for key in keys):
        raise ValueError("disclosure rules: 'keys' must list at least one variable name")
    k = int(raw.get("k", 3))
    sensitive = raw.get("sensitive") or {}
    sensitive_k = int(sensitive.get("k", k))
    if k < 2 or sensitive_k < k:
        raise ValueError("disclosure rules: k must be at least 2 and sensitive.k at least k")
    recodes = raw.get("recodes") or {}
    age = recodes.get("age_bands") or {}
    breaks = age.get("breaks", "reference")
    if breaks != "reference":
        breaks = tuple(int(b) for b in breaks)
        if list(breaks) != sorted(set(breaks)):
            raise ValueError("disclosure rules: age breaks must increase")
    top_codes = {
        name: TopCode(float(entry["at"]), _label(entry))
        for name, entry in (recodes.get("top_code") or {}).items()
    }
    rare_raw = recodes.get("rare_categories")
    rare = None
    if rare_raw:
        rare = RareRule(
            min_count=int(rare_raw.get("min_count", 10)),
            code=int(rare_raw.get("code", 90)),
            label=_label(rare_raw) or ("기타(통합)", "Other (merged)"),
            variables=tuple(rare_raw.get("variables") or ()),
        )
    drop = raw.get("drop") or {}
    return DisclosureRules(
        keys=keys,
        k=k,
        sensitive_k=sensitive_k,
        sensitive_variables=tuple(sensitive.get("variables") or ()),
        household_context=tuple(raw.get("household_context") or ()),
        keep_design=tuple(raw.get("keep_design") or ()),
        age_source=str(age.get("source", "age")),
        age_target=str(age.get("target", "age_group")),
        age_breaks=breaks,
        top_codes=top_codes,
        rare=rare,
        drop_columns=tuple(drop.get("columns") or ()),
        drop_question_types=tuple(drop.get("question_types") or ()),
        drop_patterns=tuple(drop.get("patterns") or ()),
        sha256=sha256,
    )


def load_rules(path: Path | str = DEFAULT_RULES) -> DisclosureRules:
    """The rules of a YAML file (by default ``analysis/disclosure/rules.yaml``)."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_rules(yaml.safe_load(text) or {}, hashlib.sha256(text.encode()).hexdigest())


# -- recodes -------------------------------------------------------------------------------------
@dataclass
class Recoded:
    """A recoded frame, what was done to each variable and the value labels that changed."""

    frame: pd.DataFrame
    notes: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[int, Label | None]] = field(default_factory=dict)  # None: label removed
    top_codes: dict[str, float] = field(default_factory=dict)

    def relabel(self, labels: Mapping[str, Mapping[int, Label]]) -> dict[str, dict[int, Label]]:
        """Value labels after the recodes: top-coded codes above the top removed, merged codes
        removed, new labels (bands, "at or above", "other") added."""
        out = {name: dict(codes) for name, codes in labels.items()}
        for name, at in self.top_codes.items():
            if name in out:
                out[name] = {code: text for code, text in out[name].items() if code <= at}
        for name, changes in self.labels.items():
            current = out.setdefault(name, {})
            for code, text in changes.items():
                if text is None:
                    current.pop(code, None)
                else:
                    current[code] = text
        return out


def _custom_bands(breaks: Sequence[int]) -> pd.DataFrame:
    rows = []
    for position, lower in enumerate(breaks):
        upper = breaks[position + 1] - 1 if position + 1 < len(breaks) else None
        ko = f"{lower}~{upper}세" if upper is not None else f"{lower}세 이상"
        en = f"{lower}–{upper}" if upper is not None else f"{lower} and over"
        rows.append((position + 1, ko, en, lower, upper))
    return pd.DataFrame(rows, columns=["code", "label_ko", "label_en", "min_age", "max_age"])


def apply_recodes(
    frame: pd.DataFrame, rules: DisclosureRules, *, age_bands: pd.DataFrame | None = None
) -> Recoded:
    """Age in bands, top-codes and rare categories merged, by the rules.

    ``age_bands`` is the reference ``age_groups`` code list, needed when the
    rules say ``breaks: reference``.
    """
    out = Recoded(frame.copy())
    data = out.frame
    if rules.age_source in data.columns:
        if isinstance(rules.age_breaks, str):  # "reference", the only text the rules allow
            if age_bands is None:
                raise ValueError("age bands from the reference need the age_groups code list")
            bands = age_bands
        else:
            bands = _custom_bands(rules.age_breaks)
        data[rules.age_target] = age_group_of(data[rules.age_source], bands)
        out.labels[rules.age_target] = {
            int(row.code): (str(row.label_ko), str(row.label_en)) for row in bands.itertuples()
        }
        out.notes[rules.age_target] = f"{rules.age_source} in {len(bands)} bands"
    for name, top in rules.top_codes.items():
        if name not in data.columns:
            continue
        values = pd.to_numeric(data[name], errors="coerce")
        above = values > top.at
        at = int(top.at) if float(top.at).is_integer() else top.at
        if above.any():
            data.loc[above, name] = at
        out.top_codes[name] = top.at
        label = top.label or (f"{at:g} 이상", f"{at:g} or more")
        if float(top.at).is_integer():
            out.labels.setdefault(name, {})[int(top.at)] = label
        out.notes[name] = f"top-coded at {at:g} ({int(above.sum())} values)"
    if rules.rare is not None:
        _merge_rare(out, rules.rare)
    return out


def _merge_rare(out: Recoded, rule: RareRule) -> None:
    data = out.frame
    for name in rule.variables:
        if name not in data.columns:
            continue
        counts = data[name].value_counts(dropna=True)
        if rule.code in counts.index:
            raise ValueError(f"{name}: the 'other' code {rule.code} is already a value")
        rare = sorted(int(code) for code, count in counts.items() if count < rule.min_count)
        if not rare:
            continue
        data.loc[data[name].isin(rare), name] = rule.code
        changes: dict[int, Label | None] = dict.fromkeys(rare)
        changes[rule.code] = rule.label
        out.labels.setdefault(name, {}).update(changes)
        note = f"codes {rare} (under {rule.min_count} records) merged into {rule.code}"
        out.notes[name] = "; ".join(filter(None, [out.notes.get(name), note]))


# -- frequencies under the convention ----------------------------------------------------------
def encode_keys(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Keys as an ``n × p`` integer array, ``-1`` where missing."""
    columns = [pd.factorize(frame[key], use_na_sentinel=True)[0] for key in keys]
    if not columns:
        return np.zeros((len(frame), 0), dtype=np.int64)
    return np.column_stack(columns).astype(np.int64)


def _compatible(block: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``len(block) × len(rows)``: whether each pair agrees on every key (missing matches)."""
    a = block[:, None, :]
    b = rows[None, :, :]
    return ((a == b) | (a < 0) | (b < 0)).all(axis=2)


def key_frequencies(
    frame: pd.DataFrame, keys: Sequence[str], weight: str | None = None, chunk: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """``(f_k, F̂_k)`` of every record: compatible records and the sum of their weights."""
    codes = encode_keys(frame, keys)
    if len(frame) == 0:
        return np.zeros(0), np.zeros(0)
    weights = (
        pd.to_numeric(frame[weight], errors="coerce").fillna(0).to_numpy(float)
        if weight
        else np.ones(len(frame))
    )
    unique, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    sums = np.bincount(inverse, weights=weights, minlength=len(unique))
    f = np.empty(len(unique))
    big_f = np.empty(len(unique))
    for start in range(0, len(unique), chunk):
        match = _compatible(unique[start : start + chunk], unique)
        f[start : start + chunk] = match @ counts
        big_f[start : start + chunk] = match @ sums
    return f[inverse], big_f[inverse]


# -- risk report --------------------------------------------------------------------------------
@dataclass
class RiskReport:
    """Disclosure risk of a file on its key variables (see the module docstring)."""

    keys: tuple[str, ...]
    k: int
    records: int
    violating: int  # records with f_k < k
    expected_reidentifications: float  # Σ 1 / F̂_k
    riskiest: pd.DataFrame  # key combinations, smallest f_k then F̂_k first
    convention: str = CONVENTION

    @property
    def global_risk(self) -> float:
        """Expected re-identifications per record."""
        return self.expected_reidentifications / self.records if self.records else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "keys": list(self.keys),
            "k": self.k,
            "records": self.records,
            "violating": self.violating,
            "expected_reidentifications": round(self.expected_reidentifications, 6),
            "convention": self.convention,
        }


def risk_report(
    frame: pd.DataFrame, keys: Sequence[str], weight: str | None, k: int, top: int = 20
) -> RiskReport:
    """Records violating k-anonymity, expected re-identifications, the riskiest combinations."""
    f, big_f = key_frequencies(frame, keys, weight)
    with np.errstate(divide="ignore"):
        inverse = np.where(big_f > 0, 1.0 / np.where(big_f > 0, big_f, 1.0), 0.0)
    table = frame[list(keys)].copy()
    table["f_k"] = f.astype(int)
    table["F_k"] = big_f
    combinations = (
        table.groupby(list(keys), dropna=False, sort=False)
        .agg(records=("f_k", "size"), f_k=("f_k", "first"), F_k=("F_k", "first"))
        .reset_index()
        .sort_values(["f_k", "F_k"], kind="stable")
        .head(top)
        .reset_index(drop=True)
    )
    return RiskReport(
        keys=tuple(keys),
        k=int(k),
        records=len(frame),
        violating=int((f < k).sum()),
        expected_reidentifications=float(inverse.sum()),
        riskiest=combinations,
    )


# -- local suppression --------------------------------------------------------------------------
def _frequency_of(codes: np.ndarray, row: np.ndarray) -> int:
    return int(((codes == row) | (codes < 0) | (row < 0)).all(axis=1).sum())


def local_suppression(
    frame: pd.DataFrame,
    keys: Sequence[str],
    k: int,
    importance: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Blank key values until every record has ``f_k >= k``; the frame and cells blanked per key.

    ``importance`` orders the keys from most to least important (default: the
    order of ``keys``); the least important is blanked first.
    """
    keys = list(keys)
    order = list(importance) if importance is not None else keys
    if sorted(order) != sorted(keys):
        raise ValueError("importance must order exactly the key variables")
    if 0 < len(frame) < k:
        raise ValueError(f"a file of {len(frame)} records cannot be {k}-anonymous")
    codes = encode_keys(frame, keys)
    least_first = [keys.index(name) for name in reversed(order)]
    f, _ = key_frequencies(frame, keys)
    suppressed = dict.fromkeys(keys, 0)
    for i in np.argsort(f, kind="stable"):
        if f[i] >= k:
            break
        while _frequency_of(codes, codes[i]) < k:
            best, best_f = -1, -1
            for j in least_first:
                if codes[i, j] < 0:
                    continue
                trial = codes[i].copy()
                trial[j] = -1
                trial_f = _frequency_of(codes, trial)
                if trial_f >= k:
                    best = j
                    break
                if trial_f > best_f:
                    best, best_f = j, trial_f
            codes[i, best] = -1
            suppressed[keys[best]] += 1
    out = frame.copy()
    was_missing = encode_keys(frame, keys) < 0
    for j, name in enumerate(keys):
        blank = (codes[:, j] < 0) & ~was_missing[:, j]
        if blank.any():
            if pd.api.types.is_integer_dtype(out[name]) or pd.api.types.is_bool_dtype(out[name]):
                out[name] = out[name].astype("Int64")
            out.loc[out.index[blank], name] = pd.NA
    return out, suppressed


def suppress_within_groups(
    frame: pd.DataFrame, group: str, columns: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Blank a column for a whole group where it is blank for one member; cells blanked per column.

    For household-level keys: a value blanked in one member's record must not
    be readable in a housemate's. Blanking only raises frequencies under the
    convention, so a k-anonymous file stays k-anonymous.
    """
    out = frame.copy()
    added: dict[str, int] = {}
    for name in columns:
        groups = out.loc[out[name].isna(), group].unique()
        blank = out[group].isin(groups) & out[name].notna()
        added[name] = int(blank.sum())
        if blank.any():
            if pd.api.types.is_integer_dtype(out[name]) or pd.api.types.is_bool_dtype(out[name]):
                out[name] = out[name].astype("Int64")
            out.loc[blank, name] = pd.NA
    return out, added
