"""Keyed pseudonyms for public-use microdata: HMAC-SHA256 of an id under a secret key.

A public-use file must not carry the household and person ids of the
database, yet users need to know which persons share a household. Each id is
replaced by ``HMAC-SHA256(key, "<kind>:<id>")`` (RFC 2104, FIPS 198-1), the
first :data:`PSEUDONYM_HEX_CHARS` hexadecimal characters of it. Without the
key nobody can recompute a pseudonym from an id, not even by trying every id
(an unkeyed hash of a small id space would be reversed by enumeration); with
the same key the same id always gives the same pseudonym, so a release can be
reproduced, and another key gives unrelated pseudonyms.

The key is 32 random bytes (256 bits, the HMAC-SHA256 block-size guidance of
RFC 2104 §3) in a file outside the database — ``SEOUL_PSEUDONYM_KEY_FILE``,
by default ``var/pseudonym.key``, which git ignores — created with mode 0600.
A key file that group or others may read, write or execute is refused: a key
anybody on the server can read protects nothing.

Truncation: 16 hex characters keep 64 bits. By the birthday bound the chance
that two of ``n`` ids share a pseudonym is about ``n² / 2⁶⁵``: below 3·10⁻⁸
for a million ids, far more than any survey file holds. :func:`pseudonymize`
still checks a column for collisions and fails rather than merge two units.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

import pandas as pd

from data.config import PROJECT_ROOT, setting
from data.text import Refusal, Text

KEY_BYTES = 32
PSEUDONYM_HEX_CHARS = 16  # 64 bits: collisions negligible (see the module docstring)
KEY_SETTING = "SEOUL_PSEUDONYM_KEY_FILE"


class KeyFileError(Refusal, PermissionError):
    """A key file that may not be used: ``reason`` (``"key_file_open"``…) and its text."""

    @property
    def message_ko(self) -> str:  # compatibility alias of text.ko, read by older tests
        return self.text.ko

    @property
    def message_en(self) -> str:  # compatibility alias of text.en, read by older tests
        return self.text.en


def configured_key_path() -> Path:
    """The key file from ``SEOUL_PSEUDONYM_KEY_FILE``; a relative path is taken from the project."""
    path = Path(setting(KEY_SETTING).strip() or "var/pseudonym.key").expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            "key_file_open",
            Text(
                f"가명 키 파일 {path}의 권한({mode:o})이 너무 넓습니다. "
                f"소유자만 읽을 수 있게 하십시오: chmod 600 {path}",
                f"The pseudonym key file {path} has permissions {mode:o}, open to group or others. "
                f"Make it readable by its owner only: chmod 600 {path}",
            ),
        )


def load_or_create_key(path: Path | str) -> bytes:
    """The key in ``path``; a new random key (mode 0600, parent folders made) if there is none."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_BYTES)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        os.chmod(path, 0o600)  # whatever the umask
        return key
    _check_private(path)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            "key_file_size",
            Text(
                f"가명 키 파일 {path}은(는) {KEY_BYTES}바이트여야 합니다({len(key)}바이트).",
                f"The pseudonym key file {path} must hold {KEY_BYTES} bytes, it holds {len(key)}.",
            ),
        )
    return key


def pseudonym(key: bytes, kind: str, value: object) -> str:
    """``HMAC-SHA256(key, "<kind>:<value>")`` as hex, truncated to 16 characters (64 bits)."""
    message = f"{kind}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX_CHARS]


def pseudonymize(series: pd.Series, key: bytes, kind: str) -> pd.Series:
    """The pseudonym of every value (missing stays missing); fails on a collision."""
    distinct = series.dropna().unique()
    mapping = {value: pseudonym(key, kind, value) for value in distinct}
    if len(set(mapping.values())) != len(mapping):
        raise ValueError(f"pseudonym collision among {len(mapping)} {kind} ids")
    return series.map(mapping).astype("string")
