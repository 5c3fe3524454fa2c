"""Parse and validate ``ai-values.toml`` (format version 1), keeping a line for everything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kigate import i18n
from kigate._toml import tomllib
from kigate.model import Text
from kigate.policy import Policy
from kigate.tomlpos import Path as KeyPath
from kigate.tomlpos import line_of, locate

FORMAT_VERSION = 1
MAX_BYTES = 1 << 20  # a real manifest is a few KiB; anything larger is not one
STATUSES = ("implemented", "in_progress", "planned", "not_applicable")
RISK_CLASSES = ("minimal", "limited", "high", "unacceptable")

_SYSTEM_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "description": str,
    "owner": str,
    "last_reviewed": dt.date,
    "risk_class": str,
}
_ASPECT_KEYS: dict[str, type | tuple[type, ...]] = {
    "status": str,
    "statement": str,
    "measures": list,
    "evidence": list,
    "owner": str,
    "justification": str,
}
_COMPONENT_KEYS: dict[str, type | tuple[type, ...]] = {"id": str, "purpose": str, "scope": str}
_WAIVER_KEYS: dict[str, type | tuple[type, ...]] = {
    "rule": str,
    "reason": str,
    "expires": dt.date,
    "approved_by": str,
    "path": str,
    "component": str,
    "aspect": str,
}
_TOP_KEYS = ("kigate", "system", "components", "aspects", "waivers")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the manifest itself; checks turn it into a finding."""

    rule: str  # KG101 (invalid) or KG102 (unknown key)
    line: int
    text: Text
    column: int | None = None
    aspect: str | None = None


@dataclass(frozen=True)
class SystemInfo:
    name: str | None = None
    description: str | None = None
    owner: str | None = None
    last_reviewed: dt.date | None = None
    risk_class: str | None = None
    line: int = 1
    field_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, field_name: str) -> int:
        return dict(self.field_lines).get(field_name, self.line)


@dataclass(frozen=True)
class AspectEntry:
    id: str  # the policy's id, whatever alias the manifest used
    key: str  # as written in the manifest
    line: int
    status: str | None
    statement: str | None
    measures: tuple[str, ...]
    evidence: tuple[str, ...]
    owner: str | None
    justification: str | None
    field_lines: tuple[tuple[str, int], ...]

    def line_of(self, field_name: str) -> int:
        return dict(self.field_lines).get(field_name, self.line)

    def has(self, field_name: str) -> bool:
        value = getattr(self, field_name)
        return bool(value) if isinstance(value, tuple) else value is not None


@dataclass(frozen=True)
class DeclaredComponent:
    id: str
    purpose: str | None
    line: int


@dataclass(frozen=True)
class Waiver:
    rule: str | None
    reason: str | None
    expires: dt.date | None
    approved_by: str | None
    path: str | None
    component: str | None
    aspect: str | None
    line: int


@dataclass(frozen=True)
class Manifest:
    path: str  # repository-relative
    directory: str  # the subtree it covers ("" for the root)
    valid: bool  # False when the document could not be read as a manifest at all
    system: SystemInfo
    components: tuple[DeclaredComponent, ...]
    aspects: tuple[AspectEntry, ...]
    waivers: tuple[Waiver, ...]
    problems: tuple[Problem, ...]
    aspects_line: int = 1

    def aspect(self, aspect_id: str) -> AspectEntry | None:
        return next((a for a in self.aspects if a.id == aspect_id), None)


def _directory(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def invalid(path: str, text: Text, line: int = 1, column: int | None = None) -> Manifest:
    return Manifest(
        path=path,
        directory=_directory(path),
        valid=False,
        system=SystemInfo(),
        components=(),
        aspects=(),
        waivers=(),
        problems=(Problem("KG101", line, text, column),),
    )


def _toml_error_position(exc: tomllib.TOMLDecodeError) -> tuple[int, int | None]:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    if line is None:
        import re

        m = re.search(r"line (\d+), column (\d+)", str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return int(line or 1), (int(col) if col else None)


def parse(path: str, data: bytes | None, policy: Policy) -> Manifest:
    """Parse manifest bytes (None: not a readable regular file) into a Manifest."""
    if data is None:
        return invalid(path, i18n.t("manifest.unreadable"))
    if len(data) > MAX_BYTES:
        return invalid(path, i18n.t("manifest.too_large", limit=MAX_BYTES // 1024))
    if b"\0" in data:
        return invalid(path, i18n.t("manifest.binary"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return invalid(path, i18n.t("manifest.not_utf8"), line)
    if not text.strip():
        return invalid(path, i18n.t("manifest.empty"))
    for number, line_text in enumerate(text.splitlines(), start=1):
        if line_text.startswith(("<<<<<<< ", ">>>>>>> ")) or line_text == "=======":
            return invalid(path, i18n.t("manifest.conflict"), number)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_position(exc)
        detail = str(exc).split(" (at line")[0]
        return invalid(path, i18n.t("manifest.invalid_toml", detail=detail), line, col)
    except RecursionError:
        return invalid(path, i18n.t("manifest.too_deep"))
    return _Reader(path, doc, locate(text), policy).read()


class _Reader:
    def __init__(
        self, path: str, doc: dict[str, Any], lines: dict[KeyPath, int], policy: Policy
    ) -> None:
        self.path = path
        self.doc = doc
        self.lines = lines
        self.policy = policy
        self.problems: list[Problem] = []

    def line(self, key: KeyPath) -> int:
        return line_of(self.lines, key)

    def problem(
        self,
        rule: str,
        where: KeyPath,
        message: str,
        /,
        aspect: str | None = None,
        **params: object,
    ) -> None:
        self.problems.append(
            Problem(rule, self.line(where), i18n.t(message, **params), aspect=aspect)
        )

    def typed(
        self,
        table: dict[str, Any],
        spec: dict[str, type | tuple[type, ...]],
        where: KeyPath,
        label: str,
    ) -> dict[str, Any]:
        """Keep keys of the right type; report wrong types (KG101) and unknown keys (KG102)."""
        kept: dict[str, Any] = {}
        for key, value in table.items():
            expected = spec.get(key)
            name = f"{label}.{key}" if label else key
            if expected is None:
                self.problem(
                    "KG102", (*where, key), "manifest.unknown_key", key=name, known=", ".join(spec)
                )
                continue
            if expected is list:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.problem("KG101", (*where, key), "manifest.want_list", key=name)
                    continue
            elif expected is dt.date:
                if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                    self.problem("KG101", (*where, key), "manifest.want_date", key=name)
                    continue
            elif not isinstance(value, expected):
                self.problem("KG101", (*where, key), "manifest.want_string", key=name)
                continue
            kept[key] = value
        return kept

    def read(self) -> Manifest:
        doc = self.doc
        version = doc.get("kigate")
        if version is None:
            self.problem("KG101", (), "manifest.no_version", version=FORMAT_VERSION)
        elif version != FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                "KG101", ("kigate",), "manifest.bad_version", found=version, version=FORMAT_VERSION
            )
        for key in doc:
            if key not in _TOP_KEYS:
                self.problem(
                    "KG102", (key,), "manifest.unknown_key", key=key, known=", ".join(_TOP_KEYS)
                )
        return Manifest(
            path=self.path,
            directory=_directory(self.path),
            valid=True,
            system=self.system(),
            components=self.components(),
            aspects=self.aspects(),
            waivers=self.waivers(),
            problems=tuple(self.problems),
            aspects_line=self.line(("aspects",)) if "aspects" in doc else 1,
        )

    def table(self, key: str) -> dict[str, Any]:
        value = self.doc.get(key, {})
        if not isinstance(value, dict):
            self.problem("KG101", (key,), "manifest.want_table", key=key)
            return {}
        return value

    def array(self, key: str) -> list[tuple[int, dict[str, Any]]]:
        value = self.doc.get(key, [])
        if not isinstance(value, list):
            self.problem("KG101", (key,), "manifest.want_array", key=key)
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append((index, item))
            else:
                self.problem("KG101", (key, index), "manifest.want_array", key=key)
        return out

    def system(self) -> SystemInfo:
        table = self.table("system")
        raw = self.typed(table, _SYSTEM_KEYS, ("system",), "system")
        risk = raw.get("risk_class")
        if risk is not None and risk not in RISK_CLASSES:
            self.problem(
                "KG101",
                ("system", "risk_class"),
                "manifest.bad_choice",
                key="system.risk_class",
                value=risk,
                allowed=", ".join(RISK_CLASSES),
            )
            risk = None
        return SystemInfo(
            name=raw.get("name"),
            description=raw.get("description"),
            owner=raw.get("owner"),
            last_reviewed=raw.get("last_reviewed"),
            risk_class=risk,
            line=self.line(("system",)),
            field_lines=self.field_lines(("system",), table),
        )

    def components(self) -> tuple[DeclaredComponent, ...]:
        out = []
        for index, item in self.array("components"):
            where = ("components", index)
            raw = self.typed(item, _COMPONENT_KEYS, where, "components")
            if "id" not in raw:
                self.problem("KG101", where, "manifest.component_without_id")
                continue
            out.append(DeclaredComponent(raw["id"], raw.get("purpose"), self.line(where)))
        return tuple(out)

    def waivers(self) -> tuple[Waiver, ...]:
        out = []
        for index, item in self.array("waivers"):
            where = ("waivers", index)
            raw = self.typed(item, _WAIVER_KEYS, where, "waivers")
            out.append(
                Waiver(
                    rule=raw.get("rule", "").upper() or None,
                    reason=raw.get("reason"),
                    expires=raw.get("expires"),
                    approved_by=raw.get("approved_by"),
                    path=raw.get("path"),
                    component=raw.get("component"),
                    aspect=raw.get("aspect"),
                    line=self.line(where),
                )
            )
        return tuple(out)

    def field_lines(self, where: KeyPath, table: dict[str, Any]) -> tuple[tuple[str, int], ...]:
        found = []
        for name in table:
            key: KeyPath = (*where, name)
            if key in self.lines:
                found.append((name, self.lines[key]))
        return tuple(found)

    def aspects(self) -> tuple[AspectEntry, ...]:
        out: dict[str, AspectEntry] = {}
        for key, value in self.table("aspects").items():
            where = ("aspects", key)
            definition = self.policy.aspect(key)
            if definition is None and key.lower() in self.policy.dropped_aspects:
                continue
            if definition is None:
                self.problem(
                    "KG102",
                    where,
                    "manifest.unknown_aspect",
                    key=key,
                    known=", ".join(a.id for a in self.policy.aspects),
                )
                continue
            if not isinstance(value, dict):
                self.problem("KG101", where, "manifest.want_table", key=f"aspects.{key}")
                continue
            if definition.id in out:
                self.problem(
                    "KG101",
                    where,
                    "manifest.duplicate_aspect",
                    key=key,
                    first=out[definition.id].key,
                    id=definition.id,
                )
                continue
            raw = self.typed(value, _ASPECT_KEYS, where, f"aspects.{key}")
            status = raw.get("status")
            if status is not None and status not in STATUSES:
                self.problem(
                    "KG101",
                    (*where, "status"),
                    "manifest.bad_choice",
                    aspect=definition.id,
                    key=f"aspects.{key}.status",
                    value=status,
                    allowed=", ".join(STATUSES),
                )
                status = None
            out[definition.id] = AspectEntry(
                id=definition.id,
                key=key,
                line=self.line(where),
                status=status,
                statement=raw.get("statement"),
                measures=tuple(raw.get("measures", ())),
                evidence=tuple(raw.get("evidence", ())),
                owner=raw.get("owner"),
                justification=raw.get("justification"),
                field_lines=self.field_lines(where, value),
            )
        return tuple(out.values())
