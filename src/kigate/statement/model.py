"""What a values statement says, gathered from one check and the project's root manifest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import engine, i18n
from kigate import manifest as manifest_mod
from kigate._toml import tomllib
from kigate.errors import UsageError
from kigate.model import AspectStatus, Report, Text
from kigate.policy import Policy


@dataclass(frozen=True)
class ComponentLine:
    id: str
    name: str
    category: str | None  # None: declared in the manifest but not found in the code
    scope: str
    purpose: str | None


@dataclass(frozen=True)
class AspectLine:
    id: str
    title: Text
    description: Text
    status: str  # the manifest's status, or "missing"
    answer: str | None  # the statement, or the justification of "not applicable"
    measures: tuple[str, ...]
    evidence: tuple[str, ...]
    due: str | None
    owner: str | None
    covered: bool


@dataclass(frozen=True)
class Statement:
    system_name: str | None
    description: str | None
    owner: str | None
    risk_class: str | None
    last_reviewed: str | None
    components: tuple[ComponentLine, ...]
    aspects: tuple[AspectLine, ...]
    policy_title: Text
    policy_id: str
    policy_version: str
    manifest_path: str
    tool_version: str

    @property
    def covered(self) -> int:
        return sum(1 for a in self.aspects if a.covered)

    @property
    def missing(self) -> tuple[AspectLine, ...]:
        return tuple(a for a in self.aspects if not a.covered)


def _read(path: Path) -> bytes:
    """The manifest's bytes: a regular file within the size budget, never through a link."""
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        raise UsageError(i18n.t("statement.no_manifest"), path=str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(i18n.t("statement.no_manifest"), path=str(path))
        return handle.read(manifest_mod.MAX_BYTES + 1)


def _due(data: bytes, key: str) -> str | None:
    # ``due`` is read straight from the TOML, so a date reaches the page whichever parser
    # version judged the manifest
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    aspects = raw.get("aspects")
    entry = aspects.get(key) if isinstance(aspects, dict) else None
    due = entry.get("due") if isinstance(entry, dict) else None
    return due.isoformat() if isinstance(due, dt.date) else None


def _covered(status: AspectStatus) -> bool:
    """Answered, as the check counts it (one verdict for gate, score and statement): a
    placeholder, a missing justification or a missing required field leave an aspect
    missing; planned and in-progress answers count, shown with their due dates."""
    return status is not AspectStatus.MISSING


def _components(report: Report, declared: tuple[manifest_mod.DeclaredComponent, ...]) -> Any:
    purposes = {c.id: c.purpose for c in declared}
    found = [
        ComponentLine(c.id, c.name, c.category, c.scope.value, purposes.get(c.id))
        for c in sorted(report.components, key=lambda c: (c.scope.value != "product", c.id))
    ]
    seen = {c.id for c in found}
    found += [
        ComponentLine(c.id, c.id.split(":", 1)[-1], None, "product", c.purpose)
        for c in declared
        if c.id not in seen
    ]
    return tuple(found)


def _answer(entry: manifest_mod.AspectEntry | None) -> str | None:
    if entry is None:
        return None
    if entry.status == "not_applicable":
        return entry.justification or entry.statement
    return entry.statement


def build(root: Path, policy: Policy, excludes: tuple[str, ...] | None = None) -> Statement:
    """The statement of the manifest at the top of ``root``; UsageError when there is none
    or it cannot be read as a manifest."""
    path = policy.manifest_name
    data = _read(root / path)
    parsed = manifest_mod.parse(path, data, policy)
    if not parsed.valid:
        raise UsageError(i18n.t("statement.invalid_manifest"), path=str(root / path))
    request = engine.CheckRequest(root, policy, shown=".", history=False)
    if excludes is not None:
        request = dataclasses.replace(request, excludes=excludes)
    report = engine.check(request).report
    summary = next((m for m in report.manifests if m.path == path), None)
    statuses = {a.id: a.status for a in summary.aspects} if summary else {}
    lines = []
    for aspect in policy.aspects:
        entry = parsed.aspect(aspect.id)
        covered = entry is not None and _covered(statuses.get(aspect.id, AspectStatus.MISSING))
        lines.append(
            AspectLine(
                id=aspect.id,
                title=aspect.title,
                description=aspect.description,
                # an answer the check does not accept is shown as written, but never as done
                status=(entry.status if covered and entry and entry.status else "missing"),
                answer=_answer(entry),
                measures=entry.measures if entry else (),
                evidence=entry.evidence if entry else (),
                due=_due(data, entry.key) if entry else None,
                owner=entry.owner if entry else None,
                covered=covered,
            )
        )
    system = parsed.system
    return Statement(
        system_name=system.name,
        description=system.description,
        owner=system.owner,
        risk_class=system.risk_class,
        last_reviewed=system.last_reviewed.isoformat() if system.last_reviewed else None,
        components=_components(report, parsed.components),
        aspects=tuple(lines),
        policy_title=policy.title,
        policy_id=policy.id,
        policy_version=policy.version,
        manifest_path=path,
        tool_version=report.tool_version,
    )
