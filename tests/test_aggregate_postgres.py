"""The shared history on a real PostgreSQL server (see ``aggregate_support.postgres_server``):
the same behaviour as SQLite, concurrent writers, and refusals that write nothing."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kigate.aggregate import store
from tests.aggregate_support import (
    PG_PASSWORD,
    POSTGRES_ENV,
    fresh_database,
    postgres_server,
    write_report,
)
from tests.conftest import MakeRepo, example_files

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server() -> str:
    try:
        url = postgres_server()
    except Exception as exc:  # the server could not be started: say why
        url = None
        reason = f"PostgreSQL could not be started ({exc})"
    else:
        reason = f"no PostgreSQL: set {POSTGRES_ENV} or install Debian's postgresql"
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture
def database(server: str) -> str:
    return fresh_database(server)


def count_points(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT count(*) FROM points").fetchone()
    assert found is not None
    return int(found[0])


def test_both_backends_keep_one_point_per_commit_and_the_same_history(
    make_repo: MakeRepo, tmp_path: Path, run_cli, database: str
) -> None:
    repo = make_repo(example_files("incomplete"), name="billing")
    other = make_repo(example_files("complete"), name="website")
    outputs = []
    for target in (str(tmp_path / "h.db"), database):
        for _ in range(2):
            result = run_cli("aggregate", str(repo), str(other), "--db", target)
            assert result.exit_code == 0, result.output
        history = run_cli("history", "--db", target, "--format", "csv")
        assert history.exit_code == 0, history.output
        # the same history, only taken seconds apart
        outputs.append(re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<when>", history.stdout))
    assert count_points(database) == 2
    assert outputs[0] == outputs[1]
    assert [line.split(",")[0] for line in outputs[1].splitlines()] == [
        "scope", "organisation", "repository", "repository",
    ]  # fmt: skip


def test_a_password_from_pgpass_and_never_a_password_in_any_message(
    make_repo: MakeRepo, tmp_path: Path, run_cli, database: str
) -> None:
    without = database.replace(f":{PG_PASSWORD}@", "@")
    assert without != database
    repo = make_repo(example_files("complete"))
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:*:{PG_PASSWORD}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    result = run_cli("aggregate", str(repo), "--db", without, env={"PGPASSFILE": str(pgpass)})
    assert result.exit_code == 0, result.output
    assert count_points(database) == 1
    wrong = database.replace(PG_PASSWORD, "wrong-password")
    refused = run_cli("aggregate", str(repo), "--db", wrong)
    assert refused.exit_code == 2
    host = database.split("@", 1)[1]
    assert refused.stderr == (
        f"kigate: postgresql://{host}: the PostgreSQL server refused the login; check the user "
        "and the password in ~/.pgpass or PGPASSFILE (nothing was written)\n"
    )
    assert "wrong-password" not in refused.output and refused.stdout == ""
    assert count_points(database) == 1


def test_an_unreachable_server_and_a_newer_schema_write_nothing(
    make_repo: MakeRepo, run_cli, database: str
) -> None:
    import psycopg

    from tests.aggregate_support import _free_port

    repo = make_repo(example_files("complete"))
    port = _free_port()
    nowhere = f"postgresql://someone:hunter2@127.0.0.1:{port}/governance"
    result = run_cli("aggregate", str(repo), "--db", nowhere)
    assert result.exit_code == 2
    assert result.stderr == (
        f"kigate: postgresql://127.0.0.1:{port}/governance: cannot connect to the PostgreSQL "
        "server; check host, port and that it is running (nothing was written)\n"
    )
    assert run_cli("aggregate", str(repo), "--db", database).exit_code == 0
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("UPDATE kigate_schema SET version = 99")
    newer = run_cli("aggregate", str(make_repo(example_files("incomplete"))), "--db", database)
    assert newer.exit_code == 2
    assert newer.stderr.endswith(
        f"has schema version 99, newer than this kigate knows ({len(store.MIGRATIONS)}); "
        "upgrade kigate\n"
    )
    assert newer.stderr.count("\n") == 1
    assert count_points(database) == 1


def test_history_of_an_empty_database_creates_nothing(run_cli, database: str) -> None:
    import psycopg

    result = run_cli("history", "--db", database)
    assert result.exit_code == 2
    host = database.split("@", 1)[1]
    assert result.stderr == (
        f"kigate: postgresql://{host}: no history database here; fill one with "
        "'kigate aggregate --db PATH'\n"
    )
    with psycopg.connect(database) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_another_programs_tables_are_left_alone(run_cli, make_repo: MakeRepo, database: str):
    import psycopg

    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("CREATE TABLE points (x INTEGER)")
        connection.execute("INSERT INTO points VALUES (7)")
    result = run_cli("aggregate", str(make_repo(example_files("no-ai"))), "--db", database)
    assert result.exit_code == 2
    assert "kigate did not write" in result.stderr
    with psycopg.connect(database) as connection:
        assert connection.execute("SELECT x FROM points").fetchall() == [(7,)]


WRITER = """
import copy, hashlib, json, sys
from kigate.aggregate import reader, store
from kigate.aggregate.model import Aggregate

url, worker, template = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))

def save(owner, index):
    name = f"writer{owner}-repo{index}"
    document = copy.deepcopy(template)
    document["repository"].update(
        root_name=name, remote_url=f"https://github.com/org/{name}",
        commit=hashlib.sha1(name.encode()).hexdigest(),
    )
    row = reader.row(document, f"{name}.json", "report")
    run = Aggregate("0", f"2026-05-01T10:{index // 60:02d}:{index % 60:02d}Z", (), (row,), ())
    store.save(url, run)

for index in range(200):
    save(worker, index)
    if index < 10:  # the neighbour reports the same commit at the same moment (a retried job)
        save((worker + 1) % 8, index)
print("done", flush=True)
"""


@pytest.mark.slow
def test_eight_writers_at_once_lose_and_duplicate_nothing(
    make_repo: MakeRepo, tmp_path: Path, run_cli, database: str
) -> None:
    template = tmp_path / "template.json"
    write_report(make_repo(example_files("incomplete")), template)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, database, str(worker), str(template)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(8)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert (writer.returncode, out, err) == (0, "done\n", "")
    history = run_cli("history", "--db", database, "--format", "csv")
    assert history.exit_code == 0, history.output
    lines = [line.split(",") for line in history.stdout.splitlines()[1:]]
    shown = [(cells[1], cells[3]) for cells in lines if cells[0] == "repository"]
    expected = set()
    for worker in range(8):
        for index in range(200):
            name = f"writer{worker}-repo{index}"
            expected.add(
                (f"https://github.com/org/{name}", hashlib.sha1(name.encode()).hexdigest())
            )
    assert len(shown) == len(set(shown)) == 1600
    assert set(shown) == expected
    assert count_points(database) == 1600
    organisation = [cells for cells in lines if cells[0] == "organisation"]
    assert organisation[-1][6:8] == ["6400", "12800"]  # 1600 x 4/8 aspects covered


def test_a_service_file_names_the_server(
    make_repo: MakeRepo, tmp_path: Path, run_cli, database: str
) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(database)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[governance]\nhost={parts.hostname}\nport={parts.port}\n"
        f"dbname={parts.path.lstrip('/')}\nuser={parts.username}\n",
        encoding="utf-8",
    )
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:*:{PG_PASSWORD}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    env = {"PGSERVICEFILE": str(services), "PGPASSFILE": str(pgpass)}
    repo = make_repo(example_files("complete"))
    result = run_cli("aggregate", str(repo), "--db", "postgresql:///?service=governance", env=env)
    assert result.exit_code == 0, result.output
    assert count_points(database) == 1
    missing = run_cli("history", "--db", "postgresql:///?service=elsewhere", env=env)
    assert missing.exit_code == 2
    assert missing.stderr == (
        "kigate: postgresql:///?service=elsewhere: no such PostgreSQL service; define it in "
        "~/.pg_service.conf or the file PGSERVICEFILE names (nothing was written)\n"
    )
