"""Access codes: one 130-bit random secret per invitation, typed from a letter or used as a link.

The secret is 26 symbols of Crockford's base32 (``0-9A-Z`` without I, L, O, U),
130 bits from :mod:`secrets`. The same secret is shown two ways: as a link
token (``?t=…``, the 26 symbols) and as a code typed from the letter, grouped
for typing (``ABCD-EFGH-…``). Typing is forgiving: case, spaces and dashes are
ignored, and the look-alikes O→0, I and L→1 are read as Crockford intends.
Only the SHA-256 of the normalized code is stored, so a code can be looked up
but never read back.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
SYMBOLS = 26  # 26 * 5 = 130 bits >= 128
GROUP = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh random code (26 symbols, normalized form)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))


def normalize(text: str) -> str | None:
    """The code as stored for hashing, or None when it cannot be a code."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(cleaned) != SYMBOLS or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def grouped(code: str) -> str:
    """The code as printed in a letter: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """SHA-256 (hex) of a normalized code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def hash_typed(text: str) -> str | None:
    """The hash to look up for what a respondent typed or followed, or None if malformed."""
    normalized = normalize(text)
    return None if normalized is None else code_hash(normalized)
