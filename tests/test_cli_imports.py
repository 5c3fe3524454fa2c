"""The CLI stays thin: commands that do not check a repository never load the engine.

Each command runs in a fresh interpreter, so what it imports is exactly what it costs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeRepo, example_files

HEAVY = ("kigate.engine", "kigate.detect", "kigate.checks", "kigate.gitchecks", "git")

PROBE = """
import json, sys
from kigate.cli import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.startswith("kigate") or m.split(".")[0] == "git")
print(json.dumps({"code": code, "modules": loaded}), file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY))}


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("history", "--help"),
        ("explain",),
        ("explain", "KG110"),
        ("schema", "report"),
        ("policy", "show"),
    ],
)
def test_commands_that_judge_nothing_never_load_the_engine(args: tuple[str, ...]) -> None:
    code, modules = loaded_by(*args)
    assert code == 0
    assert heavy(modules) == set()


def test_history_writes_a_file_without_the_engine(tmp_path: Path) -> None:
    from kigate.aggregate import store

    database = tmp_path / "history.sqlite"
    with store.opened(database):
        pass
    target = tmp_path / "out.csv"
    code, modules = loaded_by("history", "--db", str(database), "--format", "csv",
                              "--output", str(target))  # fmt: skip
    assert code == 0
    assert target.read_text("utf-8") == (
        "scope,repository,name,commit,branch,at,aspects_covered,aspects_total,coverage_percent,"
        "score\n"
    )
    assert heavy(modules) == set()
    assert "kigate.formats" not in modules


def test_version_loads_no_renderer_and_no_gate() -> None:
    code, modules = loaded_by("--version")
    assert code == 0
    assert not {m for m in modules if m.startswith(("kigate.formats", "kigate.gate"))}


def test_check_loads_the_engine_and_only_the_chosen_renderer(make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    code, modules = loaded_by("check", str(repo), "--format", "json")
    assert code == 1
    assert "kigate.engine" in modules and "kigate.formats.json" in modules
    assert "kigate.formats.sarif" not in modules and "kigate.formats.junit" not in modules
