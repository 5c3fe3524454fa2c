"""What every rule function receives, and the helpers several families share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kigate.detect import DetectProblem
from kigate.manifest import Manifest
from kigate.model import Component, Finding, Scope, Text
from kigate.policy import Policy
from kigate.tree import Tree

_WORD = re.compile(r"\w+", re.UNICODE)
_TRIM = " \t\r\n.,;:!?\"'`()[]{}<>*_~"


@dataclass
class Context:
    """One project as the rules see it; rule functions add findings, nothing else.

    ``add`` applies the policy's severity for the rule (and scope) in this one place, so a
    rule the policy turns ``off`` produces nothing, in ``check`` and ``scan`` alike.
    """

    policy: Policy
    today: dt.date
    tree: Tree | None = None
    components: Sequence[Component] = ()
    manifests: Sequence[Manifest] = ()
    detect_problems: Sequence[DetectProblem] = ()
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid_manifests(self) -> tuple[Manifest, ...]:
        return tuple(m for m in self.manifests if m.valid)

    def add(
        self,
        rule: str,
        message: Text,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        aspect: str | None = None,
        component: str | None = None,
        scope: Scope = Scope.PRODUCT,
    ) -> None:
        severity = self.policy.severity(rule, scope)
        if severity is None:
            return
        self.findings.append(
            Finding(rule, severity, message, path, line, column, aspect, component)
        )


def is_placeholder(text: str, policy: Policy) -> bool:
    """True when ``text`` says nothing: empty, a placeholder word or a placeholder marker."""
    normal = " ".join(text.lower().split()).strip(_TRIM)
    if normal in policy.placeholders or not normal:
        return True
    words = set(_WORD.findall(normal))
    for marker in policy.placeholder_markers:
        if (" " in marker and marker in normal) or marker in words:
            return True
    return False


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def covering(manifests: Sequence[Manifest], path: str) -> Manifest | None:
    """The nearest manifest at or above ``path``'s directory."""
    best: Manifest | None = None
    for manifest in manifests:
        d = manifest.directory
        if (d in ("", path) or path.startswith(d + "/") or _above(d)) and (
            best is None or _depth(d) > _depth(best.directory)
        ):
            best = manifest
    return best


def _above(directory: str) -> bool:
    """A manifest above the checked directory (``../..``) covers all of it."""
    return directory == ".." or directory.startswith("../")


def _depth(directory: str) -> int:
    """Nearness: deeper inside wins; any manifest above is farther than every one inside."""
    return -1 if _above(directory) else len(directory)
