"""Writes through links and races, reads that leave the repository, hostile databases.

``init`` is the one command that writes into a repository: only its manifest, through a
fresh ``mkstemp`` file beside it, never through a planted link or FIFO, never outside.
``check`` writes nothing, reads no settings from outside, and keeps its cache out of the
repository. A history database kigate did not make is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from kigate.aggregate import store
from tests.hostile_support import ai_repo, base_env, one_sentence, run_hostile

# The name the temporary file of ``init`` had before: predictable, so a repository could
# plant a link or FIFO there.
OLD_TEMPORARY = ".ai-values.toml.kigate-tmp"


@pytest.mark.parametrize("plant", ["link", "fifo"])
def test_init_never_writes_through_a_planted_temporary(tmp_path: Path, plant: str) -> None:
    root = ai_repo(tmp_path)
    (tmp_path / "victims").mkdir()
    victim = tmp_path / "victims" / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    if plant == "link":
        (root / OLD_TEMPORARY).symlink_to(victim)
    else:
        os.mkfifo(root / OLD_TEMPORARY)
    done = run_hostile(victim.parent, tmp_path, "init", str(root), allowed=(0,))
    assert "ai-values.toml" in done.stdout
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (root / "ai-values.toml").is_file() and not (root / "ai-values.toml").is_symlink()
    assert sorted(p.name for p in root.iterdir()) == sorted(
        [".git", OLD_TEMPORARY, "ai-values.toml", "requirements.txt"]
    )


@pytest.mark.parametrize("force", [(), ("--force",)])
def test_init_refuses_a_manifest_that_is_a_link(tmp_path: Path, force: tuple[str, ...]) -> None:
    root = ai_repo(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "target.toml").write_text("mine\n", encoding="utf-8")
    (root / "ai-values.toml").symlink_to(outside / "target.toml")
    done = run_hostile(outside, tmp_path, "init", *force, str(root), allowed=(2,))
    one_sentence(done.stderr)


@pytest.mark.parametrize("name", ["../escaped.toml", "/tmp/kigate-escaped.toml", "..", "a/b"])
def test_a_policy_manifest_name_that_leaves_the_directory(tmp_path: Path, name: str) -> None:
    root = ai_repo(tmp_path)
    policy = tmp_path / "policy" / "org.toml"
    policy.parent.mkdir()
    policy.write_text(
        f'kigate-policy = 1\nextends = "demokratische-ki"\nmanifest = "{name}"\n',
        encoding="utf-8",
    )
    done = run_hostile(root, tmp_path, "init", "--policy", str(policy), str(root), allowed=(2,))
    assert "manifest name" in one_sentence(done.stderr)
    assert not Path("/tmp/kigate-escaped.toml").exists()
    assert not (tmp_path / "escaped.toml").exists()
    done = run_hostile(root, tmp_path, "policy", "validate", str(policy), allowed=(1, 2))
    assert "manifest name" in done.stdout + done.stderr


@pytest.mark.parametrize("name", [".kigate.toml", "pyproject.toml"])
def test_settings_linked_out_of_the_repository_are_not_read(tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('[tool.kigate]\npolicy = "nonexistent"\npolicy = "x"\n', encoding="utf-8")
    root = ai_repo(tmp_path)
    (root / name).symlink_to(outside)
    done = run_hostile(root, tmp_path, "check", str(root), allowed=(1,))
    assert "outside.toml" not in done.stderr


def test_a_policy_named_by_settings_stays_in_the_repository(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.toml").write_text('kigate-policy = 1\nid = "x"\n', encoding="utf-8")
    root = ai_repo(tmp_path, files={".kigate.toml": 'policy = "../elsewhere.toml"\n'})
    done = run_hostile(root, tmp_path, "check", str(root), allowed=(2,))
    assert "outside the repository" in one_sentence(done.stderr)


def test_the_cache_is_never_written_inside_the_repository(tmp_path: Path) -> None:
    root = ai_repo(tmp_path, files={"sub/requirements.txt": "openai\n"})
    for where in (root / ".cache", root / "sub" / ".cache"):
        env = {**base_env(tmp_path), "XDG_CACHE_HOME": str(where)}
        run_hostile(root, tmp_path, "check", str(root / "sub"), env=env, allowed=(1,))
        run_hostile(root, tmp_path, "check", str(root), env=env, allowed=(1,))
        assert not where.exists()


# --- hostile databases ---------------------------------------------------------------------


def kigate_db(path: Path) -> None:
    with store.opened(path):
        pass


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path: Path, kind: str) -> None:
    if kind == "text":
        path.write_text("not a database at all\n", encoding="utf-8")
        return
    if kind == "foreign":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE mine (x)")
        return
    kigate_db(path)
    statements = {
        "trigger": "CREATE TRIGGER loop AFTER INSERT ON runs BEGIN "
        "INSERT INTO runs (taken_at, tool_version) VALUES ('x', 'y'); END",
        "view": "CREATE VIEW v AS SELECT * FROM points",
        "extra_table": "CREATE TABLE extra (x)",
        "index": "CREATE INDEX sneaky ON runs (tool_version)",
        "wrong_type": "INSERT INTO runs (taken_at, tool_version) VALUES (1, x'00')",
        "newer": f"PRAGMA user_version={len(store.MIGRATIONS) + 5}",
        "foreign_app": "PRAGMA application_id=1234",
    }
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(statements[kind])
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


KINDS = ("text", "foreign", "trigger", "view", "extra_table", "index", "wrong_type", "newer")


@pytest.mark.parametrize("kind", [*KINDS, "foreign_app"])
def test_a_hostile_database_is_refused_unchanged(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "history.sqlite"
    make_db(db, kind)
    before = sha(db)
    root = ai_repo(tmp_path)
    for args in (("aggregate", "--db", str(db), str(root)), ("history", "--db", str(db))):
        done = run_hostile(folder, tmp_path, *args, allowed=(2,))
        one_sentence(done.stderr)
        assert sha(db) == before
    assert sorted(p.name for p in folder.iterdir()) == ["history.sqlite"]


def test_a_database_kigate_made_is_used(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    root = ai_repo(tmp_path)
    for _ in range(2):
        done = run_hostile(root, tmp_path, "aggregate", "--db", str(db), str(root))
    done = run_hostile(root, tmp_path, "history", "--db", str(db), allowed=(0,))
    assert "repo" in done.stdout
