"""The PostgreSQL history: one database many CI pipelines write to at once (psycopg 3).

The URL follows libpq: a password may come from ``~/.pgpass`` (``PGPASSFILE``) and a
``service=`` from ``~/.pg_service.conf`` (``PGSERVICEFILE``), so none needs to be on a
command line. Credentials are never shown: messages name the server as
``postgresql://host:port/database``. Migrations run under an advisory lock, so writers
that start together migrate once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kigate import i18n
from kigate.aggregate.migrations import APPLICATION_ID, MIGRATIONS, StoreError, statements

VERSION_TABLE = "kigate_schema"


def shown(url: str) -> str:
    """The URL without user, password or options: safe to print."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "postgresql://?"
    database = parts.path.lstrip("/")
    # a service name says where, never how to log in: safe to show, and what the user wrote
    service = parse_qs(parts.query).get("service")
    if service and not parts.hostname:
        return f"postgresql:///?service={service[0]}"
    return f"postgresql://{host}{port}/{database}"


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(i18n.t("history.pg_needs_psycopg")) from None
    return psycopg


class PgSession:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.connection.execute(sql.replace("?", "%s"), tuple(params))
        return list(cursor.fetchall()) if cursor.description else []

    def many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), [tuple(p) for p in params])

    def insert_run(self, taken_at: str, tool_version: str) -> int:
        found = self.rows(
            "INSERT INTO runs (taken_at, tool_version) VALUES (?, ?) RETURNING id",
            (taken_at, tool_version),
        )
        return int(found[0][0])

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[None]:
        with self.connection.transaction():
            yield


def _connect(url: str, timeout: float) -> Any:
    psycopg = _driver()
    try:
        return psycopg.connect(url, connect_timeout=max(1, round(timeout)), autocommit=True)
    except psycopg.Error as exc:
        raise _refused(url, exc) from None


def _refused(url: str, exc: Exception) -> StoreError:
    text, state = str(exc), getattr(exc, "sqlstate", None)
    if state in ("28P01", "28000") or "password" in text or "authentication" in text:
        return StoreError(i18n.t("history.pg_auth"), path=shown(url))
    if "service" in text and "not found" in text:
        return StoreError(i18n.t("history.pg_no_service"), path=shown(url))
    if state == "3D000" or "does not exist" in text:
        return StoreError(i18n.t("history.pg_no_database"), path=shown(url))
    return StoreError(i18n.t("history.pg_unreachable"), path=shown(url))


def _version(session: PgSession) -> int | None:
    """The schema version, 0 for an empty database, None for another program's tables."""
    if session.rows("SELECT to_regclass(?)", (VERSION_TABLE,))[0][0] is None:
        others = session.rows("SELECT to_regclass('points'), to_regclass('runs')")[0]
        return None if any(others) else 0
    found = session.rows(f"SELECT version, application_id FROM {VERSION_TABLE}")
    if not found or found[0][1] != APPLICATION_ID:
        return None
    return int(found[0][0])


def _migrate(session: PgSession, url: str, create: bool) -> None:
    with session.transaction():
        # one writer migrates, the others wait and then find the work done
        session.rows("SELECT pg_advisory_xact_lock(?)", (APPLICATION_ID,))
        version = _version(session)
        if version is None:
            raise StoreError(i18n.t("history.pg_foreign"), path=shown(url))
        if version > len(MIGRATIONS):
            raise StoreError(
                i18n.t("history.newer", found=version, supported=len(MIGRATIONS)), path=shown(url)
            )
        if version == 0 and not create:  # a reader never creates tables in someone's database
            raise StoreError(i18n.t("history.missing"), path=shown(url))
        if version == len(MIGRATIONS) or not create:
            return
        if version == 0:
            session.rows(
                f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL,"
                " application_id BIGINT NOT NULL)"
            )
            session.rows(f"INSERT INTO {VERSION_TABLE} VALUES (0, ?)", (APPLICATION_ID,))
        for number in range(version, len(MIGRATIONS)):
            for statement in statements(MIGRATIONS[number]):
                session.rows(_dialect(statement))
        session.rows(f"UPDATE {VERSION_TABLE} SET version = ?", (len(MIGRATIONS),))


def _dialect(statement: str) -> str:
    # SQLite's row id is PostgreSQL's identity column; everything else is the same SQL.
    return statement.replace(
        "id INTEGER PRIMARY KEY", "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    )


@contextlib.contextmanager
def opened(url: str, *, timeout: float = 10.0, create: bool = True) -> Iterator[PgSession]:
    psycopg = _driver()
    connection = _connect(url, timeout)
    try:
        session = PgSession(connection)
        _migrate(session, url, create)
        yield session
    except psycopg.Error as exc:
        # a server's message names tables and values, never the connection's password
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise StoreError(i18n.t("history.unusable", reason=reason), path=shown(url)) from None
    finally:
        connection.close()
