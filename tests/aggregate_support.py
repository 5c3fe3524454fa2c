"""Helpers of the aggregate tests: example organisations and JSON reports on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kigate import engine
from kigate import policy as policy_mod
from kigate.formats.json import to_dict
from tests.conftest import MakeRepo, example_files


def write_report(repo: Path, target: Path) -> dict[str, Any]:
    """What ``kigate check --format json --output target`` writes for ``repo``."""
    document = to_dict(
        engine.check(engine.CheckRequest(repo, policy_mod.load(None), shown=".")).report
    )
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
