"""The history's schema, shared by both backends: versioned migrations in the SQL SQLite and
PostgreSQL have in common, and the one error a store that cannot be used raises."""

from __future__ import annotations

from kigate.errors import KigateError

APPLICATION_ID = 0x4B494741  # "KIGA": marks a database as a kigate history database

# Append only: a released migration is never edited, a change is a new entry. Written in
# the SQL both backends share; store_pg translates the one SQLite idiom (the row id).
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
    """
    ALTER TABLE points ADD COLUMN system_name TEXT;
    ALTER TABLE points ADD COLUMN owner TEXT;
    ALTER TABLE points ADD COLUMN risk_class TEXT;
    ALTER TABLE points ADD COLUMN policy_version TEXT;
    """,
)


class StoreError(KigateError):
    """The history database cannot be used (not SQLite, locked, newer, unreachable)."""


def statements(script: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
