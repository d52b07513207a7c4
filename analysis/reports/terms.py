"""How a report writes the internal names of its methods: one mapping, Korean and English.

Why: sample designs and weights versions record their methods as internal names
(``proportional_floor``, ``rake (IPF), maxit 100, epsilon 1e-10``, ``district_code``),
which is right for tracing a number to its weights but not for a methodology appendix.
Every report output (Excel, PDF, CSV) prints them through :func:`term` and
:func:`phrase`, from ``terms.yaml`` — a name missing there is printed as stored,
so a new method shows up rather than disappearing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

TERMS = Path(__file__).resolve().parent / "terms.yaml"
LANGUAGES = ("ko", "en")


@cache
def _mapping() -> dict[str, Any]:
    return yaml.safe_load(TERMS.read_text(encoding="utf-8"))


def term(section: str, name: Any, lang: str = "ko") -> str:
    """The wording of an internal ``name`` of ``section`` ('allocations', 'variables'…)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    entry = _mapping()["terms"][section].get(str(name))
    return str(name) if entry is None else str(entry[lang])


def phrase(section: str, text: Any, lang: str = "ko") -> str:
    """A stored phrase with numbers ('5 x median weight, then raking again') in words."""
    for pattern in _mapping()["patterns"][section]:
        found = re.fullmatch(pattern["match"], str(text).strip())
        if found:
            return pattern[lang].format(**found.groupdict())
    return str(text)


def terms(section: str, lang: str = "ko") -> dict[str, str]:
    """Every name of a section with its wording."""
    return {name: str(entry[lang]) for name, entry in _mapping()["terms"][section].items()}


UNIT_TITLES = terms("units")


def value_label(labels: dict[Any, str], value: Any) -> str:
    """The label of a code (as stored, as text or as an integer); the value itself if unknown."""
    if value is None or pd.isna(value):
        return ""
    for key in (value, str(value)):
        if key in labels:
            return labels[key]
    try:
        return labels.get(int(value), str(value))
    except (TypeError, ValueError):
        return str(value)
