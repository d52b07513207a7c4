"""The store: a small protocol every backend implements, and the DuckDB implementation.

:class:`Store` is all the data layer's modules use: read a statement into a DataFrame,
rows or one value; run some work in one write transaction (:meth:`Store.write`, retried on
a conflict); bulk-insert a DataFrame inside that transaction (:meth:`Store.insert_frame`).
Only ``data/`` holds SQL; the domain packages call the functions of its modules.

:class:`DuckDBStore` is the embedded default. DuckDB lets a single process open a database
file for writing; inside that process one connection is shared and every thread works
through its own cursor (``connection.cursor()``). Every write goes through ``write``,
which runs the caller's work in one transaction and retries it when DuckDB
reports a transaction conflict (two transactions touching the same row), so
callers never see a half-written change. SQL is always parameterized; table
and column names are only ever formatted in after :func:`quote_identifier`.

When another process holds the file, :func:`open_store` raises
:class:`DatabaseLockedError`, which names that process, in Korean and English.
"""

from __future__ import annotations

import os
import random
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import duckdb
import pandas as pd

from data.text import Refusal, Text

T = TypeVar("T")

_LOCK_PATTERN = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class LockHolder:
    """The process that holds a DuckDB file's lock."""

    pid: int | None
    program: str
    command_line: str

    def describe(self) -> str:
        command = self.command_line or self.program
        return f"PID {self.pid}: {command}" if self.pid is not None else command


class DatabaseLockedError(Refusal, RuntimeError):
    """Another process (usually the running app) holds the database file
    (``reason`` ``"database_locked"``; ``holder`` names the process)."""

    def __init__(self, path: Path, holder: LockHolder):
        self.path = path
        self.holder = holder
        who = holder.describe()
        text = Text(
            f"데이터베이스 파일 {path} 을(를) 다른 프로세스가 사용 중입니다 ({who}). "
            "DuckDB 파일은 한 프로세스만 열 수 있습니다. 앱을 멈춘 뒤 다시 실행하세요.",
            f"The database file {path} is held by another process ({who}). "
            "Only one process can open a DuckDB file: stop the app, then run this again.",
        )
        super().__init__("database_locked", text)


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)


def lock_holder_from_error(error: BaseException) -> LockHolder | None:
    """Parse DuckDB's 'Conflicting lock is held in … (PID n)' message, if it is one."""
    match = _LOCK_PATTERN.search(str(error))
    if not match:
        return None
    pid = int(match.group("pid"))
    return LockHolder(pid=pid, program=match.group("program"), command_line=_command_line(pid))


def quote_identifier(name: str) -> str:
    """Quote a table or column name after checking it is a plain identifier."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


Params = Sequence[Any] | dict[str, Any] | None


class Transaction(Protocol):
    """What :meth:`Store.write` hands to its work: a cursor inside one transaction."""

    def execute(self, sql: str, params: Params = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...

    def fetchone(self) -> tuple | None: ...

    def fetchall(self) -> list[tuple]: ...


def one_row(tx: Transaction) -> tuple:
    """The row of a statement that always returns one (an aggregate, ``RETURNING``)."""
    row = tx.fetchone()
    if row is None:
        raise RuntimeError("the statement returned no row where one was expected")
    return row


class Store(Protocol):
    """A database the platform can keep its data in (DuckDB today; PostgreSQL later)."""

    path: Path

    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a read-only statement and return its rows as a DataFrame."""
        ...

    def rows(self, sql: str, params: Params = None) -> list[tuple]:
        """Run a read-only statement and return its rows as tuples."""
        ...

    def scalar(self, sql: str, params: Params = None) -> Any:
        """The first column of the first row, or None."""
        ...

    def table_names(self) -> list[str]:
        """The tables of the database."""
        ...

    def write(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work(transaction)`` in one transaction, retried on a conflict; its result."""
        ...

    def execute(self, sql: str, params: Params = None) -> None:
        """One write statement in its own transaction."""
        ...

    def insert_frame(self, tx: Transaction, table: str, frame: pd.DataFrame) -> int:
        """Bulk-insert a DataFrame's rows (columns by name) inside a write; how many."""
        ...

    def holder(self) -> LockHolder:
        """The process holding the database (this one, while the store is open)."""
        ...

    def close(self) -> None: ...


class DuckDBStore:
    """A DuckDB database file opened by this process (implements :class:`Store`)."""

    max_attempts = 8

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path):
        self._connection = connection
        self.path = path
        self._local = threading.local()
        self._closed = False
        # one write transaction at a time in this process (the only process DuckDB lets open
        # the file): writers queue here instead of colliding and retrying
        self._writing = threading.RLock()

    # -- reading ---------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (created on first use)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            if self._closed:
                raise RuntimeError(f"the store {self.path} is closed")
            cur = self._connection.cursor()
            self._local.cursor = cur
        return cur

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read-only statement and return its rows as a DataFrame."""
        return self.cursor().execute(sql, params or []).df()

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple]:
        """Run a read-only statement and return its rows as tuples."""
        return self.cursor().execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        row = self.cursor().execute(sql, params or []).fetchone()
        return None if row is None else row[0]

    def table_names(self) -> list[str]:
        return [
            r[0]
            for r in self.rows(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY table_name"
            )
        ]

    # -- writing ---------------------------------------------------------------
    def write(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work(cursor)`` in one transaction; retry it on a transaction conflict.

        Write transactions of this process run one at a time (datasette's one-writer model),
        so they queue rather than collide; a conflict can still come from DuckDB itself and
        is retried. The work must be repeatable: on a conflict everything it did is rolled
        back and it runs again from the start (up to ``max_attempts`` times, with a short
        randomized back-off). Returns what ``work`` returns, after the commit.
        """
        cur = self.cursor()
        with self._writing:
            return self._write(cur, work)

    def _write(self, cur: duckdb.DuckDBPyConnection, work: Callable[[Transaction], T]) -> T:
        for attempt in range(1, self.max_attempts + 1):
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except duckdb.TransactionException:
                _rollback(cur)
                if attempt == self.max_attempts:
                    raise
                time.sleep(random.uniform(0.001, 0.01) * attempt)
            except BaseException:
                _rollback(cur)
                raise
        raise AssertionError("unreachable")

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> None:
        """One write statement in its own transaction."""
        self.write(lambda cur: cur.execute(sql, params or []))

    def insert_frame(self, tx: Transaction, table: str, frame: pd.DataFrame) -> int:
        """Bulk-insert a DataFrame's rows into ``table`` inside a write (see :func:`insert_frame`)."""
        return insert_frame(tx, table, frame)

    def holder(self) -> LockHolder:
        """This process, which holds the file's lock while the store is open."""
        pid = os.getpid()
        return LockHolder(pid=pid, program=sys.executable, command_line=_command_line(pid))

    def close(self) -> None:
        self._closed = True
        self._connection.close()


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the transaction was already aborted


def insert_frame(tx: Transaction, table: str, frame: pd.DataFrame) -> int:
    """Insert a DataFrame's rows into ``table`` (columns matched by name) inside a write."""
    if frame.empty:
        return 0
    cur = _duckdb_cursor(tx)
    columns = ", ".join(quote_identifier(c) for c in frame.columns)
    view = f"_insert_{threading.get_ident()}"
    cur.register(view, frame)
    try:
        cur.execute(
            f"INSERT INTO {quote_identifier(table)} ({columns}) SELECT {columns} FROM {view}"  # noqa: S608 - identifiers via quote_identifier
        )
    finally:
        try:
            cur.unregister(view)
        except duckdb.Error:
            pass  # the insert failed and aborted the transaction: its own error is raised
    return len(frame)


def _duckdb_cursor(tx: Transaction) -> duckdb.DuckDBPyConnection:
    """The DuckDB cursor behind a transaction of :class:`DuckDBStore` (``register`` is DuckDB's)."""
    if not isinstance(tx, duckdb.DuckDBPyConnection):
        raise TypeError(
            f"a DuckDB cursor from DuckDBStore.write is needed, not {type(tx).__name__}"
        )
    return tx


def keep_files_private() -> None:
    """From now on every file this process creates is readable by its owner only (umask 077):
    the database holds names, phones, addresses, answers and password hashes, and so do its
    WAL, backups, exports and letter files."""
    os.umask(0o077)


def open_store(path: Path | str, *, read_only: bool = False) -> DuckDBStore:
    """Open (creating if needed) the database file; raise DatabaseLockedError if held.

    The file and its WAL are made readable by the owner only, and so is every file the
    process creates afterwards (:func:`keep_files_private`).
    """
    path = Path(path)
    if not read_only:
        keep_files_private()
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        holder = lock_holder_from_error(error)
        if holder is None:
            raise
        raise DatabaseLockedError(path, holder) from error
    if not read_only:
        for file in (path, path.with_name(path.name + ".wal")):
            if file.exists():
                file.chmod(0o600)
    return DuckDBStore(connection, path)
