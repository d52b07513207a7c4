"""The SQL spellings that differ between backends, each written once (DuckDB's today).

The data modules write portable SQL except where a backend has no common
spelling; those few fragments come from here, so a second backend (PostgreSQL)
changes them in one place:

- :func:`in_list`: a column's value is one of a list bound as one parameter
  (DuckDB ``list_contains(?, column)``; PostgreSQL ``column = ANY(?)``);
- :func:`json_field`: one key of a JSON text column (DuckDB ``json_extract``;
  PostgreSQL ``column::json -> 'key'``);
- :func:`json_merge`: a JSON text column with the keys of a JSON parameter merged in
  (DuckDB ``json_merge_patch``; PostgreSQL ``(column::jsonb || ?::jsonb)::text``).

The column arguments are fixed SQL expressions written in ``data/`` (``h.household_id``),
never text from a user; the JSON key is checked to be a plain name.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def in_list(column: str) -> str:
    """A condition true when ``column`` is one of the values of a list parameter (one ``?``)."""
    return f"list_contains(?, {column})"


def json_field(column: str, key: str) -> str:
    """The value under ``key`` of the JSON text in ``column``."""
    if not _KEY.match(key):
        raise ValueError(f"not a plain JSON key: {key!r}")
    return f"json_extract({column}, '$.{key}')"


def json_merge(column: str) -> str:
    """The JSON in ``column`` with the keys of a JSON-text parameter (one ``?``) merged in."""
    return f"json_merge_patch({column}, ?)"
