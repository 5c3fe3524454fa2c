"""History in SQLite: one point per repository and commit, migrations versioned.

The database is opened in WAL mode so another process may read while we write. Every
write is one transaction: a locked or foreign file gives one sentence and changes nothing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kigate import i18n
from kigate.aggregate import dbguard
from kigate.aggregate.model import Aggregate, RepoRow
from kigate.errors import KigateError

APPLICATION_ID = 0x4B494741  # "KIGA": marks the file as a kigate history database

# Append only: a released migration is never edited, a change is a new entry.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        taken_at TEXT NOT NULL,
        tool_version TEXT NOT NULL
    );
    CREATE TABLE points (
        repository TEXT NOT NULL,
        commit_sha TEXT NOT NULL,  -- '' when the source has no commit (not under git)
        name TEXT NOT NULL,
        branch TEXT,
        first_run INTEGER NOT NULL REFERENCES runs,  -- the run that first saw this commit
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        ai_detected INTEGER NOT NULL,
        manifests INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        notes INTEGER NOT NULL,
        aspects_total INTEGER NOT NULL,
        aspects_covered INTEGER NOT NULL,
        score INTEGER NOT NULL,
        last_reviewed TEXT,
        PRIMARY KEY (repository, commit_sha)
    );
    CREATE TABLE aspect_points (
        repository TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        aspect TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (repository, commit_sha, aspect),
        FOREIGN KEY (repository, commit_sha) REFERENCES points ON DELETE CASCADE
    );
    CREATE INDEX points_by_run ON points (first_run);
    """,
)


class StoreError(KigateError):
    """The history database cannot be used (not SQLite, locked, newer, unwritable)."""


@dataclass(frozen=True)
class Point:
    repository: str
    name: str
    commit: str
    branch: str | None
    run: int  # the aggregate run that first saw this commit; orders points in time
    first_seen: str
    aspects_total: int
    aspects_covered: int
    score: int


def _fail(path: Path, exc: sqlite3.Error) -> StoreError:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        key = "history.locked"
    elif "not a database" in message or "malformed" in message:
        key = "history.not_sqlite"
    else:
        return StoreError(i18n.t("history.unusable", reason=str(exc)), path=str(path))
    return StoreError(i18n.t(key), path=str(path))


@contextlib.contextmanager
def opened(
    path: Path, *, timeout: float = 10.0, create: bool = True
) -> Iterator[sqlite3.Connection]:
    """The migrated database at ``path``; any SQLite trouble becomes one StoreError."""
    if not create and not path.is_file():
        raise StoreError(i18n.t("history.missing"), path=str(path))
    if path.exists() and not path.is_file():
        raise StoreError(i18n.t("history.not_sqlite"), path=str(path))
    steps = [_statements(script) for script in MIGRATIONS]
    dbguard.inspect(path, APPLICATION_ID, steps)  # before anything may write
    try:
        connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _fail(path, exc) from None
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        _prepare(connection, path)
        yield connection
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
        _migrate(connection, version)


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    # executescript commits on its own; statements one by one keep the whole migration atomic.
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        for number in range(current, len(MIGRATIONS)):
            for statement in _statements(MIGRATIONS[number]):
                connection.execute(statement)
        connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _upsert(connection: sqlite3.Connection, row: RepoRow, run: int, taken_at: str) -> None:
    commit = row.commit or ""
    connection.execute(
        """
        INSERT INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (repository, commit_sha) DO UPDATE SET
            name = excluded.name, branch = excluded.branch, last_seen = excluded.last_seen,
            generated_at = excluded.generated_at, policy_id = excluded.policy_id,
            ai_detected = excluded.ai_detected, manifests = excluded.manifests,
            errors = excluded.errors, warnings = excluded.warnings, notes = excluded.notes,
            aspects_total = excluded.aspects_total, aspects_covered = excluded.aspects_covered,
            score = excluded.score, last_reviewed = excluded.last_reviewed
        """,
        (
            row.repository, commit, row.name, row.branch, run, taken_at, taken_at,
            row.generated_at,
            row.policy_id, int(row.ai_detected), row.manifests, row.errors, row.warnings,
            row.notes, row.aspects_total, row.aspects_covered, row.score, row.last_reviewed,
        ),
    )  # fmt: skip
    connection.execute(
        "DELETE FROM aspect_points WHERE repository = ? AND commit_sha = ?",
        (row.repository, commit),
    )
    connection.executemany(
        "INSERT INTO aspect_points VALUES (?, ?, ?, ?)",
        [(row.repository, commit, aspect, status) for aspect, status in row.aspects],
    )


def save(path: Path, aggregate: Aggregate, *, timeout: float = 10.0) -> int:
    """Store the run's rows; returns how many repository+commit points were new."""
    with opened(path, timeout=timeout) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            before = connection.execute("SELECT count(*) FROM points").fetchone()[0]
            run = connection.execute(
                "INSERT INTO runs (taken_at, tool_version) VALUES (?, ?)",
                (aggregate.generated_at, aggregate.tool_version),
            ).lastrowid
            assert run is not None
            for row in aggregate.counted:
                _upsert(connection, row, run, aggregate.generated_at)
            after = connection.execute("SELECT count(*) FROM points").fetchone()[0]
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return int(after - before)


def points(path: Path, *, timeout: float = 10.0) -> tuple[Point, ...]:
    """Every stored point, oldest first (by when kigate first saw the commit)."""
    with opened(path, timeout=timeout, create=False) as connection:
        cursor = connection.execute(
            """
            SELECT repository, name, commit_sha, branch, first_run, first_seen,
                   aspects_total, aspects_covered, score
            FROM points ORDER BY first_run, rowid
            """
        )
        return tuple(Point(*values) for values in cursor.fetchall())
