"""Frozen data passed between the stages: detect -> check -> report -> format."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Text:
    """A user-visible text in both languages; identifiers are never translated."""

    en: str
    de: str

    def __call__(self, lang: str) -> str:
        return self.de if lang == "de" else self.en

    @classmethod
    def same(cls, text: str) -> Text:
        return cls(en=text, de=text)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 1, "warning": 2, "error": 3}[self.value]


class Scope(str, enum.Enum):
    PRODUCT = "product"
    DEVELOPMENT = "development"


@dataclass(frozen=True)
class Evidence:
    """Where and why a component was detected."""

    path: str  # repository-relative, POSIX separators
    line: int | None
    match: str  # the name, import or signature that matched
    family: str  # signal family: dependency, import, notebook, model-artefact, ...
    # Finer than the scope, where a dependency group says it (a "test" extra, a Maven test
    # scope); otherwise detection derives it from the path: test, example, docs, benchmark.
    # Data beside the identity: two evidences of the same place are one.
    usage: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Component:
    """One AI component of a repository, with a stable id such as ``pypi:openai``."""

    id: str
    name: str
    ecosystem: str
    category: str
    scope: Scope
    evidence: tuple[Evidence, ...]
    # "test", "example", "docs" or "benchmark" when every use is of that kind; None when the
    # component is used by the software itself. Data beside the product/development split,
    # derived from the evidence, so not part of a component's identity.
    usage: str | None = field(default=None, compare=False)

    @property
    def first(self) -> Evidence | None:
        return self.evidence[0] if self.evidence else None


@dataclass(frozen=True)
class Finding:
    """One gap, with a stable rule id and the place a person has to look at."""

    rule: str
    severity: Severity
    message: Text
    path: str | None = None
    line: int | None = None
    column: int | None = None
    aspect: str | None = None
    component: str | None = None
    waived: bool = False
    # None when no base was compared; True if the change under review introduced it.
    introduced: bool | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across line shifts: rule, place and message without any numbers."""
        import hashlib

        message = "".join(ch for ch in self.message.en if not ch.isdigit())
        key = "\x1f".join(
            (self.rule, self.path or "", self.aspect or "", self.component or "", message)
        )
        # surrogatepass: a file name that is not UTF-8 (surrogate-escaped) hashes too.
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path or "", self.line or 0, self.column or 0, self.rule, self.message.en)


class AspectStatus(str, enum.Enum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class AspectResult:
    id: str
    title: Text
    status: AspectStatus


@dataclass(frozen=True)
class ManifestSummary:
    path: str
    system_name: str | None
    owner: str | None
    last_reviewed: date | None
    aspects: tuple[AspectResult, ...]
    risk_class: str | None = None  # EU AI Act class from [system], when the manifest states it


@dataclass(frozen=True)
class Unchecked:
    """A rule that could not be evaluated (e.g. history missing): never a silent pass."""

    rule: str
    reason: Text


@dataclass(frozen=True)
class RepoInfo:
    root_name: str
    path: str  # what the user named, as given
    git: bool
    remote_url: str | None = None  # credentials stripped
    commit: str | None = None
    branch: str | None = None
    dirty: bool | None = None
    # The checked directory relative to the repository root ("" at the root, None without git):
    # SARIF and annotations name files from the root, so a monorepo package still links right.
    subdir: str | None = None


@dataclass(frozen=True)
class Report:
    """The finished result of one check. Formatters only read this."""

    tool_version: str
    repo: RepoInfo
    policy_id: str
    policy_version: str
    generated_at: str  # UTC, ISO 8601
    components: tuple[Component, ...]
    manifests: tuple[ManifestSummary, ...]
    aspects: tuple[AspectResult, ...]
    findings: tuple[Finding, ...]
    unchecked: tuple[Unchecked, ...] = ()
    base: str | None = None
    mode: str = "worktree"  # worktree | staged

    @property
    def active_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.waived)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.active_findings if f.severity is severity)

    @property
    def aspects_covered(self) -> int:
        """Answered aspects: implemented, partial (in progress, planned) or justified n/a."""
        return sum(1 for a in self.aspects if a.status is not AspectStatus.MISSING)

    @property
    def score(self) -> int:
        """The one place the 0-100 score is computed; every format and ``aggregate`` read it.

        score = round(100 * sum(weight) / aspects), weight 1 for an aspect covered and
        implemented without open findings or justified not applicable, 0.5 for one answered
        but partial (in progress, planned, or with an open warning), 0 for one not answered.
        Any open error-level finding (KG101 included) caps the score at 99: a report that
        fails the gate never shows 100. A repository without AI and without a manifest has
        nothing to answer for: 100 (unless an error caps it).
        """
        weights = {
            AspectStatus.COVERED: 1.0,
            AspectStatus.NOT_APPLICABLE: 1.0,
            AspectStatus.PARTIAL: 0.5,
            AspectStatus.MISSING: 0.0,
        }
        total = sum(weights[a.status] for a in self.aspects)
        score = round(100 * total / len(self.aspects)) if self.aspects else 100
        return min(score, 99) if self.count(Severity.ERROR) else score

    def fails(self, fail_on: str, new_only: bool = False) -> bool:
        """``new_only``: only findings the change under review introduced count."""
        if fail_on == "never":
            return False
        threshold = Severity(fail_on).rank
        return any(
            f.severity.rank >= threshold
            for f in self.active_findings
            if not new_only or f.introduced is True
        )
