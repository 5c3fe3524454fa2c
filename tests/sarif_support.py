"""Every SARIF document the test-suite produces is checked against the OASIS SARIF 2.1.0
schema (the vendored copy) and GitHub code scanning's ingestion rules (issue 13).

``conftest.py`` wraps ``kigate.formats.sarif.to_dict`` (every rendered document passes
through it) and looks at ``*.sarif`` files a test leaves in its temporary directory (those
written by kigate running as a process, e.g. the GitHub Action's script).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

DATA = Path(__file__).resolve().parent / "data"


@cache
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))
    return jsonschema.Draft4Validator(schema)


def _uri_problems(uri: object) -> list[str]:
    """GitHub resolves a file URI against the checkout: a relative file path inside it."""
    if not isinstance(uri, str) or not uri:
        return ["artifactLocation.uri is missing or empty"]
    problems = []
    if uri in (".", "./") or uri.endswith("/"):
        problems.append(f"uri {uri!r} names a directory, not a file")
    if uri.startswith("/") or ":" in uri.split("/", 1)[0]:
        problems.append(f"uri {uri!r} is not relative to the repository")
    if ".." in uri.split("/") or "." in uri.split("/"):
        problems.append(f"uri {uri!r} has '.' or '..' segments")
    return problems


def _result_problems(result: dict[str, Any], rule_ids: list[str]) -> list[str]:
    problems = []
    rule = result.get("ruleId")
    if rule not in rule_ids:
        problems.append(f"ruleId {rule!r} is not in tool.driver.rules")
    index = result.get("ruleIndex")
    if index is not None and (index >= len(rule_ids) or rule_ids[index] != rule):
        problems.append(f"ruleIndex {index} does not name {rule!r}")
    if not result.get("partialFingerprints"):
        problems.append(f"{rule}: no partialFingerprints")
    locations = result.get("locations") or []
    if not locations:
        problems.append(f"{rule}: no location (GitHub rejects the whole upload)")
    for location in locations:
        physical = location.get("physicalLocation", {})
        problems += _uri_problems(physical.get("artifactLocation", {}).get("uri"))
        region = physical.get("region")
        if not region or region.get("startLine", 0) < 1:
            problems.append(f"{rule}: region.startLine is missing or below 1")
    return problems


def problems(log: dict[str, Any]) -> list[str]:
    """What the OASIS schema or GitHub's ingestion would reject in ``log``."""
    found = [f"schema: {e.message}" for e in validator().iter_errors(log)]
    for run in log.get("runs", []):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        rule_ids = [r.get("id") for r in rules]
        for result in run.get("results", []):
            found += _result_problems(result, rule_ids)
    return found


def file_problems(folder: Path) -> list[str]:
    """Problems of every ``*.sarif`` file below ``folder`` (each prefixed by its name)."""
    found = []
    for path in sorted(folder.rglob("*.sarif")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            log = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            found.append(f"{path.name}: not JSON ({exc})")
            continue
        found += [f"{path.name}: {p}" for p in problems(log)]
    return found
