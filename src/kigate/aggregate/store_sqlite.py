"""The SQLite history: one file, WAL mode so another process may read while we write.

The file is marked as kigate's (``application_id``) and versioned (``user_version``); a
locked, foreign or newer file gives one sentence and is left as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kigate import i18n
from kigate.aggregate import dbguard
from kigate.aggregate.migrations import APPLICATION_ID, MIGRATIONS, StoreError, statements


def _fail(path: Path, exc: sqlite3.Error) -> StoreError:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        key = "history.locked"
    elif "not a database" in message or "malformed" in message:
        key = "history.not_sqlite"
    else:
        return StoreError(i18n.t("history.unusable", reason=str(exc)), path=str(path))
    return StoreError(i18n.t(key), path=str(path))


class SqliteSession:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, tuple(params)).fetchall()

    def many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self.connection.executemany(sql, [tuple(p) for p in params])

    def insert_run(self, taken_at: str, tool_version: str) -> int:
        cursor = self.connection.execute(
            "INSERT INTO runs (taken_at, tool_version) VALUES (?, ?)", (taken_at, tool_version)
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[None]:
        # IMMEDIATE: take the write lock at the start, so a busy database fails before work;
        # a reader takes none (WAL lets it read while another process writes).
        self.connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")


@contextlib.contextmanager
def opened(path: Path, *, timeout: float = 10.0, create: bool = True) -> Iterator[SqliteSession]:
    """The migrated database at ``path``; any SQLite trouble becomes one StoreError."""
    if not create and not path.is_file():
        raise StoreError(i18n.t("history.missing"), path=str(path))
    if path.exists() and not path.is_file():
        raise StoreError(i18n.t("history.not_sqlite"), path=str(path))
    steps = [statements(script) for script in MIGRATIONS]
    dbguard.inspect(path, APPLICATION_ID, steps)  # before anything may write
    try:
        connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _fail(path, exc) from None
    try:
        # a schema object must never run code of the file's making (triggers, views)
        connection.execute("PRAGMA trusted_schema=OFF")
        _prepare(connection, path)
        yield SqliteSession(connection)
    except sqlite3.Error as exc:
        raise _fail(path, exc) from None
    finally:
        connection.close()


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    app_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID and (tables or version):
        raise StoreError(i18n.t("history.foreign"), path=str(path))
    if version > len(MIGRATIONS):
        raise StoreError(
            i18n.t("history.newer", found=version, supported=len(MIGRATIONS)), path=str(path)
        )
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    if version < len(MIGRATIONS):
        _migrate(connection)


def _migrate(connection: sqlite3.Connection) -> None:
    # executescript commits on its own; statements one by one keep the whole migration atomic.
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        for number in range(current, len(MIGRATIONS)):
            for statement in statements(MIGRATIONS[number]):
                connection.execute(statement)
        connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
