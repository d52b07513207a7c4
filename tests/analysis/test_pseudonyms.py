"""Keyed pseudonyms: stable under one key, unrelated under another, key file kept private."""

from __future__ import annotations

import stat

import pandas as pd
import pytest

from analysis.disclosure.pseudonyms import (
    PSEUDONYM_HEX_CHARS,
    KeyFileError,
    configured_key_path,
    load_or_create_key,
    pseudonym,
    pseudonymize,
)
from data.config import PROJECT_ROOT


def test_the_same_key_gives_the_same_pseudonym_and_another_key_another():
    key, other = b"k" * 32, b"o" * 32
    assert pseudonym(key, "household", 17) == pseudonym(key, "household", 17)
    assert pseudonym(key, "household", 17) != pseudonym(other, "household", 17)
    assert pseudonym(key, "household", 17) != pseudonym(key, "person", 17)
    assert len(pseudonym(key, "household", 17)) == PSEUDONYM_HEX_CHARS
    int(pseudonym(key, "household", 17), 16)  # hexadecimal


def test_pseudonymize_maps_each_value_and_keeps_missing():
    key = b"k" * 32
    out = pseudonymize(pd.Series([3, 5, 3, None], dtype="Int64"), key, "household")
    assert out[0] == out[2] == pseudonym(key, "household", 3)
    assert out[1] == pseudonym(key, "household", 5)
    assert pd.isna(out[3])


def test_a_new_key_file_is_private_and_read_back(tmp_path):
    path = tmp_path / "secret" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key


def test_a_key_file_readable_by_others_is_refused(tmp_path):
    path = tmp_path / "pseudonym.key"
    load_or_create_key(path)
    path.chmod(0o644)
    with pytest.raises(KeyFileError) as refused:
        load_or_create_key(path)
    assert "chmod 600" in refused.value.message_en and "권한" in refused.value.message_ko


def test_the_configured_key_path_is_taken_from_the_project_when_relative(monkeypatch, tmp_path):
    monkeypatch.delenv("SEOUL_PSEUDONYM_KEY_FILE", raising=False)
    assert configured_key_path() == PROJECT_ROOT / "var" / "pseudonym.key"
    monkeypatch.setenv("SEOUL_PSEUDONYM_KEY_FILE", str(tmp_path / "k.key"))
    assert configured_key_path() == tmp_path / "k.key"
