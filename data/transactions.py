"""One write transaction that domain code composes from the steps of ``data/`` modules.

Why: a submission, a bulk import or a sample draw is ONE transaction made of
several steps, some of them domain decisions taken between two statements (a
part already submitted is refused before anything is written). The domain
packages never call the store themselves; they hand their work to
:func:`in_transaction`, and the work passes the transaction it receives to the
``tx``-taking functions of the data modules (``save_draft_row(tx, …)``).

:data:`ConstraintViolation` is the error a write raises when it breaks a
unique, primary-key, not-null or check constraint — the backend's own class
(DuckDB's ``ConstraintException`` today), named here so that domain code can
catch it without importing the backend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb

from data.store import Store, Transaction

T = TypeVar("T")

ConstraintViolation = duckdb.ConstraintException


def in_transaction(store: Store, work: Callable[[Transaction], T]) -> T:
    """Run ``work(tx)`` as one write transaction (all or nothing, retried whole on a
    conflict, so the work must be repeatable); returns what ``work`` returns, after the commit."""
    return store.write(work)
