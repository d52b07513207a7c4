"""The hostile-text corpus (``tests/naughty_strings.yaml``) for any test that fills a text field.

``FORMULAS`` a spreadsheet would run (every export neutralizes them), ``PLAIN`` text every export
keeps as typed, ``NAUGHTY`` the whole corpus: formulas, plain text, markup, script, SQL, odd
Unicode and a long Korean text.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_CORPUS = yaml.safe_load(
    Path(__file__).with_name("naughty_strings.yaml").read_text(encoding="utf-8")
)


def _texts(entries: list) -> list[str]:
    return [e if isinstance(e, str) else e["text"] * int(e.get("repeat", 1)) for e in entries]


FORMULAS: list[str] = _texts(_CORPUS["formulas"])
PLAIN: list[str] = _texts(_CORPUS["plain"])
NAUGHTY: list[str] = [text for section in _CORPUS.values() for text in _texts(section)]


def text_id(text: str) -> str:
    """A short, printable test id for a corpus text."""
    shown = text.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= 30 else shown[:27] + "…"
