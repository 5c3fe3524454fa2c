"""The manifest's and the policy's fields, types and versions, written once.

``manifest.py`` reads ``ai-values.toml`` with these tables, ``policy.py`` checks that a
policy's ``required`` and ``required_system`` name real manifest fields with them, and both
report what is wrong as the one ``Problem`` defined here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kigate.model import Text
from kigate.rules.registry import PROBLEM_RULES

MANIFEST_VERSION = 1  # the manifest's ``kigate = 1``
POLICY_VERSION = 1  # a policy's ``kigate-policy = 1``
STATUSES = ("implemented", "in_progress", "planned", "not_applicable")
RISK_CLASSES = ("minimal", "limited", "high", "unacceptable")


@dataclass(frozen=True)
class FieldType:
    """A TOML value type as kigate checks it."""

    name: str  # as a message names it
    accepts: Callable[[Any], bool]


STR = FieldType("str", lambda v: isinstance(v, str))
INT = FieldType("int", lambda v: isinstance(v, int) and not isinstance(v, bool))
BOOL = FieldType("bool", lambda v: isinstance(v, bool))
DATE = FieldType("date", lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime))
FLOAT = FieldType("float", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
STRS = FieldType("list", lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v))
LIST = FieldType("list", lambda v: isinstance(v, list))
TABLE = FieldType("dict", lambda v: isinstance(v, dict))

Fields = dict[str, FieldType]

# --- the manifest (ai-values.toml) ----------------------------------------------------------
MANIFEST_TOP_KEYS = ("kigate", "system", "components", "aspects", "waivers")
SYSTEM_FIELDS: Fields = {
    "name": STR,
    "description": STR,
    "owner": STR,
    "last_reviewed": DATE,
    "risk_class": STR,
}
ASPECT_FIELDS: Fields = {
    "status": STR,
    "statement": STR,
    "measures": STRS,
    "evidence": STRS,
    "owner": STR,
    "justification": STR,
    "due": DATE,
}
COMPONENT_FIELDS: Fields = {"id": STR, "purpose": STR, "scope": STR}
WAIVER_FIELDS: Fields = {
    "rule": STR,
    "reason": STR,
    "expires": DATE,
    "approved_by": STR,
    "path": STR,
    "component": STR,
    "aspect": STR,
}

# --- the policy -----------------------------------------------------------------------------
POLICY_TOP_KEYS: Fields = {
    "kigate-policy": INT,
    "id": STR,
    "version": STR,
    "extends": STR,
    "manifest": STR,
    "review_max_days": INT,
    "min_words": INT,
    "placeholders": LIST,
    "placeholder_markers": LIST,
    "filler_words": LIST,
    "similarity_threshold": FLOAT,
    "signals": LIST,
    "required_system": LIST,
    "title": TABLE,
    "description": TABLE,
    "frameworks_note": TABLE,
    "severity": TABLE,
    "aspects": LIST,
    "allowed_signers": STR,  # sign-off: an allowed signers file outside the repository
    "allowed_signers_in_base": STR,  # ... or one read from the --base commit
    "require_signoff": BOOL,
    "owner_signers": TABLE,  # owner -> identities who may sign for that owner
}
POLICY_ASPECT_KEYS: Fields = {
    "id": STR,
    "aliases": LIST,
    "title": TABLE,
    "description": TABLE,
    "questions": TABLE,
    "required": LIST,
    "min_words": INT,
    "frameworks": TABLE,
    "enabled": BOOL,
    "terms": TABLE,
}
FRAMEWORKS = ("eu_ai_act", "iso_42001", "nist_ai_rmf")
SEVERITY_VALUES = ("error", "warning", "info", "off")


@dataclass(frozen=True)
class Problem:
    """Something wrong with a manifest or a policy document itself.

    ``kind`` is "invalid" (not a document of the format) or "unknown" (an unknown key);
    for a manifest the rules turn it into a KG101 or KG102 finding.
    """

    path: str
    line: int
    text: Text
    kind: str = "invalid"
    column: int | None = None
    aspect: str | None = None

    @property
    def rule(self) -> str:
        return PROBLEM_RULES[self.kind]


# --- a parsed manifest ----------------------------------------------------------------------


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
    due: dt.date | None = None
    # keys the manifest wrote, valid or not: a field given with a wrong value is reported
    # once (KG101), never again as missing (KG111)
    written: tuple[str, ...] = ()

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
    purpose_line: int | None = None


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


def directory_of(manifest_path: str) -> str:
    """The subtree a manifest covers: its directory ("" for the root)."""
    return manifest_path.rsplit("/", 1)[0] if "/" in manifest_path else ""
