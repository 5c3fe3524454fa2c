"""Look at a history database before kigate writes to it, and refuse what kigate did not make.

A database file is input like any other: it may not be SQLite, may be another program's,
may be newer than this kigate, may hold values of types kigate never writes, and may carry
triggers or views, which SQLite runs on kigate's inserts (a trigger can loop forever or write
elsewhere). ``inspect`` reads the header bytes first, then opens the file read-only with
``trusted_schema`` off and compares every schema object with the ones kigate's own
migrations create; anything else is refused with one sentence (exit 2), and nothing is
modified. ``store.opened`` calls it before every connection (a PostgreSQL store, which
kigate creates itself, has its own schema check).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from kigate import i18n, safeio
from kigate.errors import KigateError

SQLITE_MAGIC = b"SQLite format 3\0"
_HEADER = 100


class Refused(KigateError):
    """The database is not one kigate made (or may write to)."""


def _fail(path: Path, key: str, **params: object) -> Refused:
    shared = key in ("not_sqlite", "foreign", "newer")  # the store's own sentences
    return Refused(i18n.t(f"{'history' if shared else 'dbguard'}.{key}", **params), path=str(path))


def _header(path: Path) -> bytes | None:
    """The first 100 bytes; None when there is no file yet (kigate creates it)."""
    try:
        fd = safeio.open_regular(path)
    except safeio.Refused as exc:
        if exc.reason == "missing":
            return None
        raise Refused(exc.text, path=str(path)) from None
    try:
        return os.read(fd, _HEADER)
    except OSError as exc:
        raise _fail(path, "unreadable", reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _reference(statements: Sequence[str]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """The schema objects ``statements`` (kigate's migrations) create, by (type, name)."""
    memory = sqlite3.connect(":memory:")
    try:
        for statement in statements:
            memory.execute(statement)
        return _objects(memory)
    finally:
        memory.close()


def _objects(connection: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str | None]]:
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(str(t), str(n)): (str(tbl), _normal(sql)) for t, n, tbl, sql in rows}


def _normal(sql: object) -> str | None:
    return " ".join(str(sql).split()) if sql is not None else None


def inspect(path: Path, application_id: int, migrations: Sequence[Sequence[str]]) -> None:
    """Refused unless ``path`` is missing, empty, or a kigate history database whose every
    object and value is what kigate's ``migrations`` (each a list of SQL statements)
    define. Never writes."""
    head = _header(path)
    if not head:
        return
    if not head.startswith(SQLITE_MAGIC) or len(head) < _HEADER:
        raise _fail(path, "not_sqlite")
    version = int.from_bytes(head[60:64], "big")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != application_id and (app_id or version):
        raise _fail(path, "foreign")
    if version > len(migrations):
        raise _fail(path, "newer", found=version, supported=len(migrations))
    with _snapshot(path) as (target, options):
        uri = "file:" + quote(str(target)) + options
        try:
            connection = sqlite3.connect(uri, uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise _fail(path, "unreadable", reason=str(exc)) from None
        try:
            connection.execute("PRAGMA trusted_schema=OFF")
            wanted = [s for step in migrations[:version] for s in step]
            _compare(path, connection, wanted, app_id == application_id)
        except sqlite3.Error as exc:
            raise _fail(path, "unreadable", reason=str(exc)) from None
        finally:
            connection.close()


@contextlib.contextmanager
def _snapshot(path: Path) -> Iterator[tuple[Path, str]]:
    """What to open for inspection without touching ``path``'s folder.

    Even a read-only SQLite connection creates ``-wal``/``-shm`` files and takes locks; an
    ``immutable`` one does neither. When a write-ahead log holds data not yet in the main
    file (objects may hide there), both are copied to a private folder and read there.
    """
    wal = Path(f"{path}-wal")
    try:
        pending = wal.lstat().st_size > 0
    except OSError:
        pending = False
    if not pending:
        yield path.resolve(), "?mode=ro&immutable=1"
        return
    with tempfile.TemporaryDirectory(prefix="kigate-db-") as folder:
        copy = Path(folder) / "history.sqlite"
        for source, suffix in ((path, ""), (wal, "-wal")):
            fd = safeio.open_regular(source)
            with os.fdopen(fd, "rb") as reader, open(f"{copy}{suffix}", "wb") as writer:
                shutil.copyfileobj(reader, writer)
        yield copy, "?mode=ro"


def _compare(
    path: Path, connection: sqlite3.Connection, statements: Sequence[str], ours: bool
) -> None:
    found = _objects(connection)
    if not ours:
        if found:
            raise _fail(path, "foreign")
        return
    expected = _reference(statements)
    for key, value in sorted(found.items()):
        if expected.get(key) != value:
            raise _fail(path, "object", kind=key[0], name=key[1])
    for (kind, name), (_table, _sql) in expected.items():
        if kind == "table":
            _check_types(path, connection, name)


_TYPES = {"TEXT": "text", "INTEGER": "integer"}


def _check_types(path: Path, connection: sqlite3.Connection, table: str) -> None:
    """Every stored value has the type its column declares (NULL where allowed)."""
    columns = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
    tests = []
    for _cid, name, declared, notnull, _default, _pk in columns:
        wanted = _TYPES.get(str(declared).upper())
        if wanted is None:
            continue
        allowed = f"'{wanted}'" if notnull else f"'{wanted}', 'null'"
        tests.append(f'typeof("{name}") NOT IN ({allowed})')
    if not tests:
        return
    query = f'SELECT 1 FROM "{table}" WHERE {" OR ".join(tests)} LIMIT 1'
    if connection.execute(query).fetchone() is not None:
        raise _fail(path, "types", table=table)
