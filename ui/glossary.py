"""One glossary for every staff page: the name of each code and column, in the chosen language.

Why: a status read '마감' on one page and '종료' on another, tables showed raw column names
(``households_responded``), district codes and ``None``. The names live in one data file,
``ui/glossary.yaml`` (Korean and English); the names of reference codes (districts, sex, age
groups, household types …) come from the reference tables. Pages ask here and only lay out:

- :func:`label` — one code of a group (``label("survey_status", "closed")`` → 마감 / Closed);
- :func:`shown` — a table as a reader sees it: codes as names, human column names, and "–"
  for a missing value (never ``None``, ``nan`` or ``<NA>``);
- :func:`survey_title` / :func:`with_status` — a survey's title without a stale status in
  brackets, and with its one status label.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from data.reference import load_manifest, stored_table
from data.store import Store
from ui.i18n import lang

Namer = str | Mapping[Any, str] | Callable[[Any], str]  # how a column's codes get their names
GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")
MISSING = "–"  # what a reader sees for a missing value
REFERENCE_TABLES = frozenset(
    {"districts", "sex", "age_groups", "household_types", "income_brackets", "household_sizes",
     "head_age_bands", "housing_types", "relations"}
)  # fmt: skip
# the reference table that names each domain column's codes
DOMAIN_TABLES = {
    "district_code": "districts",
    "sex": "sex",
    "age_group": "age_groups",
    "household_type": "household_types",
    "income": "income_brackets",
    "household_size": "household_sizes",
    "size_class": "household_sizes",
    "head_age_band": "head_age_bands",
}


@functools.cache
def glossary() -> dict[str, dict[str, tuple[str, str]]]:
    """The glossary file: group → code (as text) → (Korean, English)."""
    raw = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    return {
        group: {str(code): (str(names[0]), str(names[1])) for code, names in entries.items()}
        for group, entries in raw.items()
    }


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in ("None", "nan", "NaN", "<NA>", "NaT")


def code_text(value: Any) -> str:
    """A code as the glossary and the reference tables key it: 2.0 → '2', True → 'True'."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _pick(names: tuple[str, str]) -> str:
    return names[0] if lang() == "ko" else names[1]


def label(group: str, code: Any) -> str:
    """The name of ``code`` in ``group``; "–" when missing, the code itself when unknown."""
    if is_missing(code):
        return MISSING
    names = glossary()[group].get(code_text(code))
    return _pick(names) if names else code_text(code)


def labeller(group: str) -> Callable[[Any], str]:
    return functools.partial(label, group)


def column(name: str) -> str:
    """A column name as a reader should see it."""
    return label("column", name)


def reference_labels(store: Store, table: str) -> dict[str, str]:
    """Code (as text) → name of a reference table (districts, sex, age_groups …)."""
    frame = stored_table(store, table)
    ko, en = ("name_ko", "name_en") if "name_ko" in frame.columns else ("label_ko", "label_en")
    names = frame[ko if lang() == "ko" else en]
    return dict(zip(frame["code"].map(code_text), names, strict=True))


def _namer(codes: Namer, store: Store | None) -> Callable[[Any], str]:
    if callable(codes):
        return codes
    if isinstance(codes, Mapping):
        table = {code_text(k): v for k, v in codes.items()}
    elif codes in REFERENCE_TABLES:
        if store is None:
            raise ValueError(f"naming codes of {codes} needs the store")
        table = reference_labels(store, codes)
    else:
        return labeller(codes)
    return lambda v: MISSING if is_missing(v) else table.get(code_text(v), code_text(v))


def _cell(value: Any) -> str:
    """A cell of a column with missing values, as text (one type per column for Arrow)."""
    if is_missing(value):
        return MISSING
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)


def shown(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    *,
    codes: Mapping[str, Namer] | None = None,
    names: Mapping[str, str] | None = None,
    store: Store | None = None,
) -> pd.DataFrame:
    """``frame`` as a reader sees it.

    ``columns`` picks and orders the columns (default: all); ``codes`` maps a column to the
    glossary group, the reference table, the dict or the function that names its codes; ``names``
    overrides a column's heading (default: the glossary's ``column`` group). Times read
    ``2026-12-04 16:40``; a missing value reads "–".
    """
    view = frame[list(columns)].copy() if columns is not None else frame.copy()
    for name, how in (codes or {}).items():
        if name in view.columns:
            view[name] = view[name].map(_namer(how, store))
    for name in view.columns:
        values = view[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            present = values.dropna()
            dates = bool((present == present.dt.normalize()).all())  # midnight: a date
            text = values.dt.strftime("%Y-%m-%d" if dates else "%Y-%m-%d %H:%M")
            view[name] = text.where(values.notna(), MISSING)
        elif values.map(is_missing).any():
            view[name] = values.astype(object).map(_cell)
    headings = {name: (names or {}).get(name) or column(name) for name in view.columns}
    return view.rename(columns=headings)


def domain_name(domain: str) -> str:
    """A published domain (``district_code``, ``sex × age_group`` …) by its name."""
    return " × ".join(label("domain", part) for part in str(domain).split(" × "))


def group_names(store: Store, rows: pd.DataFrame) -> list[str]:
    """The group of each row of an indicator table (its ``domain`` and domain columns) by name:
    서울 전체, 종로구, 여자 × 20~29세 …"""
    names = {d: reference_labels(store, table) for d, table in DOMAIN_TABLES.items()}

    def group(row: pd.Series) -> str:
        if row["domain"] == "seoul":
            return label("domain", "seoul")
        parts = str(row["domain"]).split(" × ")
        return " × ".join(names.get(p, {}).get(code_text(row[p]), code_text(row[p])) for p in parts)

    return [group(row) for _, row in rows.iterrows()]


# ---- reference data ---------------------------------------------------------------------------
REFERENCE_COLUMNS = [
    "table_name",
    "reference_date",
    "row_count",
    "version_id",
    "loaded_at",
    "loaded_by",
    "approximated",
    "source",
]  # fmt: skip (the long texts last)


def manifest_text(meta: Mapping[str, Any], key: str) -> str:
    """A manifest entry's ``title`` / ``description`` in the chosen language (``key_ko`` /
    ``key_en``; a plain ``key`` is English)."""
    english = meta.get(f"{key}_en", meta.get(key, ""))
    return str(meta.get(f"{key}_ko") or english) if lang() == "ko" else str(english)


def reference_titles() -> dict[str, str]:
    """Reference table → its title (data/reference/manifest.yaml)."""
    return {table: manifest_text(meta, "title") for table, meta in load_manifest().items()}


def reference_overview(status: pd.DataFrame) -> pd.DataFrame:
    """:func:`data.reference.reference_status` as a reader sees it (tables by their titles)."""
    return shown(
        status,
        REFERENCE_COLUMNS,
        codes={"table_name": reference_titles(), "approximated": _approximated},
    )


def _approximated(value: Any) -> str:
    if is_missing(value) or str(value).strip().lower() == "none":
        return label("approximated", "none")
    return str(value)


# ---- surveys and waves ------------------------------------------------------------------------
def survey_title(title_ko: Any, title_en: Any = None) -> str:
    """The title in the chosen language (Korean when there is no English one)."""
    english = lang() == "en" and not is_missing(title_en) and str(title_en).strip()
    title = title_en if english else title_ko
    return "" if is_missing(title) else str(title)


def with_status(text: str, status: str) -> str:
    """``text (status)`` with the glossary's one label for the status."""
    return f"{text} ({label('survey_status', status)})"


def one_language(text: Any) -> str:
    """A domain message written 'Korean / English': the part in the chosen language."""
    if is_missing(text):
        return MISSING
    parts = str(text).split(" / ")
    if len(parts) != 2:
        return str(text)
    return parts[0] if lang() == "ko" else parts[1]
