"""Read a parsed TOML document as a manifest, reporting every key that is wrong or unknown.

Every key is checked against ``schema.py``; what is wrong becomes a ``Problem`` with its line
(at most ``MAX_PROBLEMS`` listed, the rest summed up in one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kigate import i18n, suggest
from kigate.model import Text
from kigate.policy import Policy
from kigate.schema import (
    ASPECT_FIELDS,
    COMPONENT_FIELDS,
    DATE,
    MANIFEST_TOP_KEYS,
    MANIFEST_VERSION,
    RISK_CLASSES,
    STATUSES,
    STR,
    STRS,
    SYSTEM_FIELDS,
    WAIVER_FIELDS,
    AspectEntry,
    DeclaredComponent,
    Fields,
    Manifest,
    Problem,
    SystemInfo,
    Waiver,
    directory_of,
)
from kigate.tomlpos import Path as KeyPath
from kigate.tomlpos import line_of

_UNMADE = ("todo", "tbd", "?", "", "-", "...", "…", "fixme", "xxx")


def is_placeholder_word(value: str) -> bool:
    """A value that marks a choice not yet made (``risk_class = "TODO"``)."""
    return value.strip().strip("<>[]{}").lower() in _UNMADE


# What people write for a status, mapped to the allowed value they mean.
_STATUS_WORDS = {
    **dict.fromkeys(("done", "complete", "completed", "finished", "yes", "ok"), "implemented"),
    **dict.fromkeys(("erledigt", "umgesetzt", "fertig", "implementiert"), "implemented"),
    **dict.fromkeys(("wip", "ongoing", "in progress", "started", "in arbeit"), "in_progress"),
    **dict.fromkeys(("todo", "open", "offen", "geplant", "later", "next"), "planned"),
    **dict.fromkeys(("n/a", "na", "none", "not applicable", "irrelevant"), "not_applicable"),
    **dict.fromkeys(("entfällt", "nicht zutreffend", "nicht anwendbar"), "not_applicable"),
}

MAX_PROBLEMS = 100  # listed per manifest; 100,000 unknown keys become one line, not 100,000
# What the manifest asks for when a value has the wrong type.
_WANT = {STRS: "manifest.want_list", DATE: "manifest.want_date", STR: "manifest.want_string"}


class Reader:
    def __init__(
        self, path: str, doc: dict[str, Any], lines: dict[KeyPath, int], policy: Policy
    ) -> None:
        self.path = path
        self.doc = doc
        self.lines = lines
        self.policy = policy
        self.problems: list[Problem] = []
        self.unlisted: list[tuple[str, int]] = []  # (kind, line) beyond MAX_PROBLEMS

    def line(self, key: KeyPath) -> int:
        return line_of(self.lines, key)

    def problem(
        self,
        kind: str,
        where: KeyPath,
        message: str,
        /,
        aspect: str | None = None,
        **params: object,
    ) -> None:
        self.add(kind, where, i18n.t(message, **params), aspect)

    def add(self, kind: str, where: KeyPath, text: Text, aspect: str | None = None) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.unlisted.append((kind, self.line(where)))
            return
        self.problems.append(Problem(self.path, self.line(where), text, kind, aspect=aspect))

    def unknown(self, where: KeyPath, message: str, name: str, known: Sequence[str]) -> None:
        """An unknown key or aspect, with the closest known name when one is close."""
        text = i18n.t(message, key=name, known=", ".join(known))
        self.add("unknown", where, suggest.with_hint(text, str(where[-1]), known))

    def listed_problems(self) -> tuple[Problem, ...]:
        """The problems, the unlisted ones as one summary at the gravest of their kinds."""
        if not self.unlisted:
            return tuple(self.problems)
        kinds = {kind for kind, _ in self.unlisted}
        summary = Problem(
            self.path,
            self.unlisted[0][1],
            i18n.plural(len(self.unlisted), "ux.problems_not_listed"),
            "invalid" if "invalid" in kinds else "unknown",
        )
        return (*self.problems, summary)

    def typed(
        self, table: dict[str, Any], spec: Fields, where: KeyPath, label: str
    ) -> dict[str, Any]:
        """Keep keys of the right type; report wrong types (invalid) and unknown keys."""
        kept: dict[str, Any] = {}
        for key, value in table.items():
            expected = spec.get(key)
            name = f"{label}.{key}" if label else key
            if expected is None:
                self.unknown((*where, key), "manifest.unknown_key", name, tuple(spec))
            elif not expected.accepts(value):
                self.problem("invalid", (*where, key), _WANT[expected], key=name)
            else:
                kept[key] = value
        return kept

    def read(self) -> Manifest:
        doc = self.doc
        version = doc.get("kigate")
        if version is None:
            self.problem("invalid", (), "manifest.no_version", version=MANIFEST_VERSION)
        elif version != MANIFEST_VERSION or isinstance(version, bool):
            self.problem(
                "invalid",
                ("kigate",),
                "manifest.bad_version",
                found=version,
                version=MANIFEST_VERSION,
            )
        for key in doc:
            if key not in MANIFEST_TOP_KEYS:
                self.unknown((key,), "manifest.unknown_key", key, MANIFEST_TOP_KEYS)
        return Manifest(
            path=self.path,
            directory=directory_of(self.path),
            valid=True,
            system=self.system(),
            components=self.components(),
            aspects=self.aspects(),
            waivers=self.waivers(),
            problems=self.listed_problems(),
            aspects_line=self.line(("aspects",)) if "aspects" in doc else 1,
        )

    def table(self, key: str) -> dict[str, Any]:
        value = self.doc.get(key, {})
        if not isinstance(value, dict):
            self.problem("invalid", (key,), "manifest.want_table", key=key)
            return {}
        return value

    def array(self, key: str) -> list[tuple[int, dict[str, Any]]]:
        value = self.doc.get(key, [])
        if not isinstance(value, list):
            self.problem("invalid", (key,), "manifest.want_array", key=key)
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append((index, item))
            else:
                self.problem("invalid", (key, index), "manifest.want_array", key=key)
        return out

    def system(self) -> SystemInfo:
        table = self.table("system")
        raw = self.typed(table, SYSTEM_FIELDS, ("system",), "system")
        risk = raw.get("risk_class")
        # An unmade choice ("TODO") is kept: the rules report it as a placeholder (KG112).
        if risk is not None and risk not in RISK_CLASSES and not is_placeholder_word(risk):
            self.problem(
                "invalid",
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
            raw = self.typed(item, COMPONENT_FIELDS, where, "components")
            if "id" not in raw:
                self.problem("invalid", where, "manifest.component_without_id")
                continue
            purpose_line = self.lines.get((*where, "purpose"))
            out.append(
                DeclaredComponent(raw["id"], raw.get("purpose"), self.line(where), purpose_line)
            )
        return tuple(out)

    def waivers(self) -> tuple[Waiver, ...]:
        out = []
        for index, item in self.array("waivers"):
            where = ("waivers", index)
            raw = self.typed(item, WAIVER_FIELDS, where, "waivers")
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
                names = [a.id for a in self.policy.aspects]
                self.unknown(where, "manifest.unknown_aspect", key, names)
                continue
            if not isinstance(value, dict):
                self.problem("invalid", where, "manifest.want_table", key=f"aspects.{key}")
                continue
            if definition.id in out:
                self.problem(
                    "invalid",
                    where,
                    "manifest.duplicate_aspect",
                    key=key,
                    first=out[definition.id].key,
                    id=definition.id,
                )
                continue
            raw = self.typed(value, ASPECT_FIELDS, where, f"aspects.{key}")
            status = raw.get("status")
            if status is not None and status not in STATUSES:
                text = i18n.t(
                    "manifest.bad_choice",
                    key=f"aspects.{key}.status",
                    value=status,
                    allowed=", ".join(STATUSES),
                )
                near = _STATUS_WORDS.get(status.strip().lower().replace("-", " "))
                text = suggest.with_hint(text, near or status, STATUSES)
                self.add("invalid", (*where, "status"), text, definition.id)
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
                due=raw.get("due"),
                written=tuple(value),
            )
        return tuple(out.values())
