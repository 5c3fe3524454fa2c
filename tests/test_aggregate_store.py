"""The history database: idempotent per repository+commit, versioned, safe with bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kigate.aggregate import store
from kigate.aggregate.collect import collect
from tests.conftest import MakeRepo, complete_manifest, example_files, git


def points_in(db: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT repository, commit_sha, aspects_covered FROM points ORDER BY repository"
        ).fetchall()
    return [tuple(r) for r in rows]


def test_same_run_twice_stores_each_commit_once_and_a_new_commit_adds_a_point(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    repo = make_repo(example_files("incomplete"), name="billing")
    other = make_repo(example_files("no-ai"), name="website")
    db = tmp_path / "history.db"
    for _ in range(2):
        result = run_cli("aggregate", str(repo), str(other), "--db", str(db))
        assert result.exit_code == 0, result.output
    first = git(repo, "rev-parse", "HEAD").strip()
    website = git(other, "rev-parse", "HEAD").strip()
    assert points_in(db) == [("billing", first, 4), ("website", website, 0)]
    (repo / "ai-values.toml").write_text(complete_manifest(), "utf-8")
    for name in ("docs/ai/bias-tests.md", "docs/ai/risk-assessment.md"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(str(example_files("complete")[name]), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "complete the manifest")
    assert run_cli("aggregate", str(repo), str(other), "--db", str(db)).exit_code == 0
    second = git(repo, "rev-parse", "HEAD").strip()
    assert sorted(points_in(db)) == sorted(
        [("billing", first, 4), ("billing", second, 8), ("website", website, 0)]
    )

    history = run_cli("history", "--db", str(db))
    assert history.exit_code == 0
    lines = history.stdout.splitlines()
    assert lines[0] == "Organisation"
    # the mean score counts the repository that uses AI; the website has none
    assert lines[1].endswith(
        "50 % aspects covered (4/8), mean score 25 of 1 using AI, 2 repositories"
    )
    assert lines[2].endswith(
        "100 % aspects covered (8/8), mean score 100 of 1 using AI, 2 repositories"
    )
    assert lines[4] == "billing"
    assert lines[5].endswith(f"{first[:12]}  4/8 aspects covered, score 25")
    assert lines[6].endswith(f"{second[:12]}  8/8 aspects covered, score 100")

    as_csv = run_cli("history", "--db", str(db), "--format", "csv")
    csv_lines = as_csv.stdout.split("\n")  # the runner folds CRLF; render tests check it
    assert csv_lines[0] == (
        "scope,repository,name,commit,branch,at,aspects_covered,aspects_total,"
        "coverage_percent,score"
    )
    assert [line.split(",")[0] for line in csv_lines[1:-1]] == [
        "organisation", "organisation", "repository", "repository", "repository",
    ]  # fmt: skip


def test_history_of_a_missing_database_is_one_sentence(tmp_path: Path, run_cli) -> None:
    result = run_cli("history", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"kigate: {tmp_path / 'none.db'}: no history database here; "
        "fill one with 'kigate aggregate --db PATH'\n"
    )
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_sqlite_is_left_untouched(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    repo = make_repo(example_files("no-ai"))
    db = tmp_path / "notes.txt"
    db.write_bytes(b"my precious notes, not a database\n" * 100)
    result = run_cli("aggregate", str(repo), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr == (
        f"kigate: {db}: this file is not an SQLite database; name a new file or an existing "
        "kigate history database (the file was not changed)\n"
    )
    assert db.read_bytes() == b"my precious notes, not a database\n" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "repo0"]


def test_another_programs_sqlite_database_is_refused(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE points (x)")
        connection.execute("INSERT INTO points VALUES (1)")
    result = run_cli("aggregate", str(make_repo(example_files("no-ai"))), "--db", str(db))
    assert result.exit_code == 2
    assert "was not written by kigate" in result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT x FROM points").fetchall() == [(1,)]


def test_a_newer_schema_is_refused(tmp_path: Path, make_repo: MakeRepo) -> None:
    db = tmp_path / "h.db"
    aggregate = collect([str(make_repo(example_files("no-ai")))])
    store.save(db, aggregate)
    with sqlite3.connect(db) as connection:
        connection.execute(f"PRAGMA user_version={len(store.MIGRATIONS) + 1}")
    with pytest.raises(store.StoreError) as caught:
        store.save(db, aggregate)
    assert caught.value.sentence("en").endswith(
        f"has schema version {len(store.MIGRATIONS) + 1}, newer than this kigate knows "
        f"({len(store.MIGRATIONS)}); upgrade kigate"
    )


LOCKER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
connection.execute("DELETE FROM aspect_points")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


def test_a_database_locked_by_another_process_loses_nothing(
    tmp_path: Path, make_repo: MakeRepo
) -> None:
    db = tmp_path / "h.db"
    first = collect([str(make_repo(example_files("incomplete")))])
    store.save(db, first)
    before = points_in(db)
    second = collect([str(make_repo(example_files("complete")))])
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
        with pytest.raises(store.StoreError) as caught:
            store.save(db, second, timeout=0.2)
        assert caught.value.sentence("en") == (
            f"{db}: the history database is locked by another process; try again when that "
            "process has finished (nothing was changed)"
        )
    finally:
        locker.communicate("\n", timeout=30)
    assert points_in(db) == before
    store.save(db, second)
    assert len(points_in(db)) == 2


def test_wal_mode_lets_a_reader_in_while_a_writer_holds_the_lock(
    tmp_path: Path, make_repo: MakeRepo
) -> None:
    db = tmp_path / "h.db"
    store.save(db, collect([str(make_repo(example_files("no-ai")))]))
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM points")
    try:
        assert len(store.points(db, timeout=0.2)) == 1
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
