"""Resource exhaustion in every parser: each input has a size and depth budget, checked
before the expensive step and answered with KG101/KG104 (or exit 2 for settings, policies
and command-line inputs) in one sentence. Large inputs are generated sparse or streamed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kigate import _json, _toml, budget
from tests.hostile_support import ai_repo, one_sentence, run_hostile

DEEP = 100_000
NESTED_TOML = "x = " + "[" * DEEP + "]" * DEEP + "\n"
DOTTED_TOML = "a" + ".a" * DEEP + " = 1\n"
HEADER_TOML = "[" + "a." * DEEP + "a]\n"
BIG_INT_TOML = "x = " + "9" * 5000 + "\n"
INT65_TOML = "x = 18446744073709551616\n"

HOSTILE_TOML = {
    "nested": NESTED_TOML,
    "dotted": DOTTED_TOML,
    "header": HEADER_TOML,
    "bigint": BIG_INT_TOML,
    "int65": INT65_TOML,
}


def rules(report: str) -> list[tuple[str, str | None]]:
    return [(f["rule"], f["path"]) for f in json.loads(report)["findings"]]


@pytest.mark.parametrize("kind", sorted(HOSTILE_TOML))
def test_budgets_refuse_before_the_parser(kind: str) -> None:
    with pytest.raises(_toml.TooComplex) as caught:
        _toml.loads(HOSTILE_TOML[kind])
    assert caught.value.text.de != caught.value.text.en


@pytest.mark.parametrize(
    "text", ["[" * DEEP, "9" * 5000, "1e999", "[18446744073709551616]", '{"a":' * DEEP]
)
def test_json_budgets(text: str) -> None:
    with pytest.raises(_json.TooComplex):
        _json.loads(text)


def test_budgets_leave_ordinary_documents_alone() -> None:
    text = '[a.b]\nc.d = [1.5, {e.f = 2}, "[[[", 2026-01-01]\n"g.h" = """x.y.z\n"""\n'
    assert _toml.loads(text) == {
        "a": {
            "b": {
                "c": {
                    "d": [1.5, {"e": {"f": 2}}, "[[[", _toml.tomllib.loads("v = 2026-01-01")["v"]]
                },
                "g.h": "x.y.z\n",
            }
        }
    }
    nested = "x = " + "[" * budget.MAX_DEPTH + "]" * budget.MAX_DEPTH
    assert _toml.loads(nested)["x"]


@pytest.mark.parametrize("kind", sorted(HOSTILE_TOML))
def test_hostile_manifest_is_kg101(tmp_path: Path, kind: str) -> None:
    root = ai_repo(tmp_path, files={"ai-values.toml": HOSTILE_TOML[kind]})
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert ("KG101", "ai-values.toml") in rules(done.stdout)


@pytest.mark.parametrize("kind", sorted(HOSTILE_TOML))
@pytest.mark.parametrize("name", [".kigate.toml", "pyproject.toml"])
def test_hostile_settings_are_exit_2(tmp_path: Path, kind: str, name: str) -> None:
    text = HOSTILE_TOML[kind]
    if name == "pyproject.toml":
        text = "[tool.kigate]\n" + text
    root = ai_repo(tmp_path, files={name: text})
    done = run_hostile(root, tmp_path, "check", str(root), allowed=(2,))
    one_sentence(done.stderr)


@pytest.mark.parametrize("kind", sorted(HOSTILE_TOML))
def test_hostile_policy_and_catalogue_are_exit_2(tmp_path: Path, kind: str) -> None:
    root = ai_repo(tmp_path)
    outside = tmp_path / "policies"
    outside.mkdir()
    (outside / "hostile.toml").write_text(HOSTILE_TOML[kind], encoding="utf-8")
    (outside / "signals.toml").write_text(HOSTILE_TOML[kind], encoding="utf-8")
    (outside / "org.toml").write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nsignals = ["./signals.toml"]\n',
        encoding="utf-8",
    )
    for policy in ("hostile.toml", "org.toml"):
        ref = str(outside / policy)
        done = run_hostile(root, tmp_path, "check", "--policy", ref, str(root), allowed=(2,))
        one_sentence(done.stderr)
    done = run_hostile(
        root, tmp_path, "policy", "validate", str(outside / "hostile.toml"), allowed=(1, 2)
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["Pipfile", "Cargo.toml"])
def test_hostile_dependency_toml_is_kg104(tmp_path: Path, name: str) -> None:
    root = ai_repo(tmp_path, files={name: NESTED_TOML})
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert ("KG104", name) in rules(done.stdout)


@pytest.mark.parametrize(
    "text",
    [
        '{"x": "import openai", "y": ' + "[" * DEEP + "]" * DEEP + "}",
        '{"x": "import openai", "cells": [' + "9" * 5000 + "]}",
    ],
)
def test_hostile_notebook_and_package_json_are_kg104(tmp_path: Path, text: str) -> None:
    root = ai_repo(tmp_path, files={"a.ipynb": text, "package.json": text})
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    found = rules(done.stdout)
    assert ("KG104", "a.ipynb") in found
    assert ("KG104", "package.json") in found


def test_a_notebook_with_500k_cells_is_read_in_linear_time(tmp_path: Path) -> None:
    cells = ['{"cell_type":"code","source":"x = 1"}'] * 500_000
    cells[-1] = '{"cell_type":"code","source":"import openai"}'
    root = ai_repo(tmp_path, files={"a.ipynb": '{"cells": [' + ",".join(cells) + "]}"})
    done = run_hostile(root, tmp_path, "scan", "--format", "json", str(root))
    assert "pypi:openai" in done.stdout


def test_300k_waivers_are_refused_by_the_byte_budget(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    with (root / "ai-values.toml").open("w", encoding="utf-8") as handle:
        handle.write('kigate = 1\n[system]\nname = "x"\n')
        for number in range(300_000):
            handle.write(f'[[waivers]]\nrule = "KG131"\nreason = "r{number}"\n')
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert ("KG101", "ai-values.toml") in rules(done.stdout)


def sparse(path: Path, head: bytes, size: int) -> None:
    """A file of ``size`` bytes (1 GB) that takes no disk: ``head``, then a hole."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


def test_gigabyte_lines_without_newline(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    for name in ("ai-values.toml", "requirements-big.txt", "big.py", "package.json"):
        sparse(root / name, b"openai" * 10, 1 << 30)
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert ("KG101", "ai-values.toml") in rules(done.stdout)


def test_gigabyte_report_for_aggregate(tmp_path: Path) -> None:
    watched = tmp_path / "in"
    watched.mkdir()
    sparse(watched / "report.json", b'{"format": "kigate-report", "x": "', 1 << 30)
    done = run_hostile(
        watched, tmp_path, "aggregate", "--format", "json", str(watched / "report.json")
    )
    assert done.code in (1, 2)


@pytest.mark.parametrize("text", ["[" * DEEP, '{"format": ' + "9" * 5000 + "}", "[1e999]"])
def test_hostile_reports_become_error_rows(tmp_path: Path, text: str) -> None:
    watched = tmp_path / "in"
    watched.mkdir()
    (watched / "report.json").write_text(text, encoding="utf-8")
    done = run_hostile(
        watched, tmp_path, "aggregate", "--format", "json", str(watched / "report.json")
    )
    assert done.code in (1, 2)


def deep_tree(top: Path, levels: int) -> None:
    """``top/d/d/.../d/.git``, made relative to a descriptor: no path grows past PATH_MAX."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        os.mkdir(".git", dir_fd=fd)  # a "repository" far below the walk budget
    finally:
        os.close(fd)


def remove_deep_tree(top: Path, levels: int) -> None:
    """Bottom-up through descriptors: pytest's own clean-up recurses and gives up."""
    fds = [os.open(top, os.O_RDONLY)]
    try:
        for _ in range(levels):
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        os.rmdir(".git", dir_fd=fds[-1])
        for level in range(levels, 0, -1):
            os.close(fds.pop())
            os.rmdir("d", dir_fd=fds[level - 1])
    finally:
        for fd in fds:
            os.close(fd)


def test_recursive_walk_of_1200_levels(tmp_path: Path) -> None:
    watched = tmp_path / "deep"
    watched.mkdir()
    deep_tree(watched, 1200)
    try:
        done = run_hostile(
            watched, tmp_path, "aggregate", "--recursive", "--format", "json", str(watched)
        )
        assert done.code in (1, 2)
    finally:
        remove_deep_tree(watched, 1200)


def test_names_beyond_name_max_and_path_max(tmp_path: Path) -> None:
    long_name = "n" * 300
    long_path = "/".join(["p" * 200] * 30)
    manifest = (
        'kigate = 1\n[aspects.values]\nstatus = "implemented"\n'
        f'evidence = ["{long_name}", "{long_path}"]\n'
    )
    root = ai_repo(tmp_path, files={"ai-values.toml": manifest})
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert ("KG120", "ai-values.toml") in rules(done.stdout)
    for argument in (str(root / long_name), long_path):
        done = run_hostile(root, tmp_path, "check", argument, allowed=(2,))
        one_sentence(done.stderr)
    watched = tmp_path / "in"
    watched.mkdir()
    run_hostile(watched, tmp_path, "aggregate", long_path, "@" + long_path, allowed=(1, 2))


def test_settings_with_50k_exclude_patterns_are_exit_2(tmp_path: Path) -> None:
    patterns = ", ".join(f'"{n}"' for n in range(50_000))
    root = ai_repo(tmp_path, files={".kigate.toml": f"exclude = [{patterns}]\n"})
    done = run_hostile(root, tmp_path, "check", str(root), allowed=(2,))
    assert "exclude patterns" in one_sentence(done.stderr)


def test_14k_waivers_are_matched_by_rule(tmp_path: Path) -> None:
    waivers = "".join(
        f'[[waivers]]\nrule = "KG1{n % 60:02d}"\nreason = "r"\nexpires = 2099-01-01\n'
        for n in range(14_000)
    )
    root = ai_repo(tmp_path, files={"ai-values.toml": f"kigate = 1\n{waivers}"})
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert json.loads(done.stdout)["summary"]["waived"] > 0
