"""Helpers of the aggregate tests: example organisations and JSON reports on disk."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from kigate import engine
from kigate import policy as policy_mod
from kigate.formats.json import to_dict
from tests.conftest import MakeRepo, example_files


def write_report(repo: Path, target: Path) -> dict[str, Any]:
    """What ``kigate check --format json --output target`` writes for ``repo``."""
    document = to_dict(engine.check(repo, policy_mod.load(None), shown="."))
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return document


def organisation(make_repo: MakeRepo, tmp_path: Path) -> list[str]:
    """Three repositories (complete, incomplete, no AI) and two CI reports of two others."""
    make_repo(example_files("complete"), name="org/complete")
    make_repo(example_files("incomplete"), name="org/incomplete")
    make_repo(example_files("no-ai"), name="org/no-ai")
    ci_a = make_repo(example_files("complete"), name="ci/service-a")
    ci_b = make_repo(example_files("incomplete"), name="ci/service-b")
    (tmp_path / "reports").mkdir()
    write_report(ci_a, tmp_path / "reports" / "service-a.json")
    write_report(ci_b, tmp_path / "reports" / "service-b.json")
    return [
        "org/complete",
        "org/incomplete",
        "org/no-ai",
        "reports/service-a.json",
        "reports/service-b.json",
    ]


# --- a throwaway PostgreSQL server for the history tests -------------------------------------
#
# KIGATE_TEST_POSTGRES names a server (a postgresql:// URL of a user who may create
# databases). Without it, the tests start their own cluster from Debian's ``postgresql``
# package in a temporary directory on a free local port, as a non-root user (initdb refuses
# root; as root we run it as ``nobody``), and stop it when the test session ends.

POSTGRES_ENV = "KIGATE_TEST_POSTGRES"
PG_USER, PG_PASSWORD = "kigate", "s3cret-Pa55"


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner() -> dict[str, Any]:
    import os

    return {"user": "nobody", "group": "nogroup"} if os.geteuid() == 0 else {}


@functools.cache
def postgres_server() -> str | None:
    """The URL of a PostgreSQL server for tests, or None when none can be had."""
    import atexit
    import os
    import shutil
    import subprocess
    import tempfile

    given = os.environ.get(POSTGRES_ENV)
    if given:
        return given
    binaries = _pg_bin()
    if binaries is None:
        return None
    home = Path(tempfile.mkdtemp(prefix="kigate-pg-"))
    owner = _as_owner()
    if owner:
        shutil.chown(home, owner["user"], owner["group"])
    (home / "pw").write_text(PG_PASSWORD + "\n", encoding="utf-8")
    if owner:
        shutil.chown(home / "pw", owner["user"], owner["group"])
    port = _free_port()
    data = home / "data"
    run = functools.partial(
        subprocess.run, check=True, capture_output=True, text=True, cwd=home, **owner
    )
    run([str(binaries / "initdb"), "-D", str(data), "-U", PG_USER, "--pwfile", str(home / "pw"),
         "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8",
         "--no-instructions"])  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={home}"
    run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-o", options,
         "-w", "-t", "60", "start"])  # fmt: skip

    def stop() -> None:
        subprocess.run(
            [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True, check=False, cwd=home, **owner,
        )  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{port}/postgres"


def fresh_database(server: str) -> str:
    """A new, empty database on ``server``; its URL (same credentials)."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "kigate_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name))
