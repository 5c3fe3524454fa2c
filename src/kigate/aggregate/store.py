"""The history: one point per repository and commit, in SQLite (a file, the default) or
PostgreSQL (a ``postgresql://`` URL, shared by many CI pipelines).

Both run the same versioned migrations and the same statements through a small
``Session`` each backend provides; every write is one transaction, idempotent per
repository and commit, so a retried or concurrent pipeline never duplicates a point.
A store that cannot be used (locked, foreign, newer, unreachable) is one ``StoreError``
and nothing is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kigate.aggregate.migrations import MIGRATIONS, StoreError
from kigate.aggregate.model import Aggregate, RepoRow

__all__ = ["MIGRATIONS", "Point", "StoreError", "is_url", "opened", "points", "save"]


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
    ai_detected: bool = True
    aspects: tuple[tuple[str, str], ...] = ()  # (aspect id, status)


class Session(Protocol):
    """One open, migrated database; statements use ``?`` placeholders."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def many(self, sql: str, params: Sequence[Sequence[Any]]) -> None: ...

    def insert_run(self, taken_at: str, tool_version: str) -> int: ...

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[None]: ...


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


@contextlib.contextmanager
def opened(target: str | Path, *, timeout: float = 10.0, create: bool = True) -> Iterator[Session]:
    """The migrated store at ``target`` (a path or a ``postgresql://`` URL)."""
    if is_url(target):
        from kigate.aggregate import store_pg

        with store_pg.opened(str(target), timeout=timeout, create=create) as session:
            yield session
    else:
        from kigate.aggregate import store_sqlite

        with store_sqlite.opened(Path(target), timeout=timeout, create=create) as session:
            yield session


_POINT_COLUMNS = (
    "repository", "commit_sha", "name", "branch", "first_run", "first_seen", "last_seen",
    "generated_at", "policy_id", "ai_detected", "manifests", "errors", "warnings", "notes",
    "aspects_total", "aspects_covered", "score", "last_reviewed", "system_name", "owner",
    "risk_class", "policy_version",
)  # fmt: skip
_KEPT = {"repository", "commit_sha", "first_run", "first_seen"}  # a re-run keeps when first seen
UPSERT = (
    f"INSERT INTO points ({', '.join(_POINT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _POINT_COLUMNS)}) "
    "ON CONFLICT (repository, commit_sha) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _POINT_COLUMNS if c not in _KEPT)
)


def _upsert(session: Session, row: RepoRow, run: int, taken_at: str) -> bool:
    commit = row.commit or ""
    key = (row.repository, commit)
    new = not session.rows("SELECT 1 FROM points WHERE repository = ? AND commit_sha = ?", key)
    session.rows(
        UPSERT,
        (
            row.repository, commit, row.name, row.branch, run, taken_at, taken_at,
            row.generated_at, row.policy_id, int(row.ai_detected), row.manifests, row.errors,
            row.warnings, row.notes, row.aspects_total, row.aspects_covered, row.score,
            row.last_reviewed, row.system_name, row.owner, row.risk_class, row.policy_version,
        ),
    )  # fmt: skip
    session.rows("DELETE FROM aspect_points WHERE repository = ? AND commit_sha = ?", key)
    session.many(
        "INSERT INTO aspect_points (repository, commit_sha, aspect, status) VALUES (?, ?, ?, ?)",
        [(*key, aspect, status) for aspect, status in row.aspects],
    )
    return new


def save(target: str | Path, aggregate: Aggregate, *, timeout: float = 10.0) -> int:
    """Store the run's rows; returns how many repository+commit points were new."""
    # One order for every writer: concurrent runs lock shared rows in the same sequence.
    rows = sorted(aggregate.counted, key=lambda r: (r.repository, r.commit or ""))
    with opened(target, timeout=timeout) as session, session.transaction():
        run = session.insert_run(aggregate.generated_at, aggregate.tool_version)
        return sum(_upsert(session, row, run, aggregate.generated_at) for row in rows)


def points(target: str | Path, *, timeout: float = 10.0) -> tuple[Point, ...]:
    """Every stored point, oldest first (by the run that first saw the commit)."""
    with opened(target, timeout=timeout, create=False) as session, session.transaction(False):
        statuses: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for repository, commit, aspect, status in session.rows(
            "SELECT repository, commit_sha, aspect, status FROM aspect_points"
            " ORDER BY repository, commit_sha, aspect"
        ):
            statuses.setdefault((repository, commit), []).append((aspect, status))
        found = session.rows(
            """
            SELECT repository, name, commit_sha, branch, first_run, first_seen,
                   aspects_total, aspects_covered, score, ai_detected
            FROM points ORDER BY first_run, repository, commit_sha
            """
        )
    return tuple(
        Point(
            repository=v[0],
            name=v[1],
            commit=v[2],
            branch=v[3],
            run=int(v[4]),
            first_seen=v[5],
            aspects_total=int(v[6]),
            aspects_covered=int(v[7]),
            score=int(v[8]),
            ai_detected=bool(v[9]),
            aspects=tuple(statuses.get((v[0], v[2]), ())),
        )
        for v in found
    )
