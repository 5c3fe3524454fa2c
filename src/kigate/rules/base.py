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
from kigate.rules.wording import WINDOW
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
    # (manifest path, aspect id) of every aspect present but not answered: the coverage
    # verdict, kept apart from severities so a softened policy cannot make it look better
    unanswered: set[tuple[str, str]] = field(default_factory=set)

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
        uncovers: bool = False,
    ) -> None:
        """Add a finding; ``uncovers``: the aspect it names does not count as answered."""
        if uncovers and path is not None and aspect is not None:
            self.unanswered.add((path, aspect))
        severity = self.policy.severity(rule, scope)
        if severity is None:
            return
        self.findings.append(
            Finding(rule, severity, message, path, line, column, aspect, component)
        )


def is_placeholder(text: str, policy: Policy) -> bool:
    """True when ``text`` says nothing: empty, a placeholder word, or a marker used as one.

    A marker word counts where it marks: in capitals ("TODO", "TBD"), at the very start
    ("todo: ..."), in brackets ("<placeholder>", "[Platzhalter]"), or when a phrase
    ("lorem ipsum"). Used as an ordinary word inside a sentence it is no placeholder.
    """
    head = text[:WINDOW]
    normal = " ".join(head.lower().split()).strip(_TRIM)
    if normal in policy.placeholders or not normal:
        return True
    capitals = set(_WORD.findall(head))
    first = _WORD.search(head.lower())
    for marker in policy.placeholder_markers:
        if " " in marker:
            if marker in normal:
                return True
            continue
        if first is not None and first.group() == marker:
            return True
        if marker.upper() in capitals and len(marker) > 1:
            return True
        if re.search(rf"[<\[{{(]\s*{re.escape(marker)}\s*[>\]}})]", head, re.IGNORECASE):
            return True
    return False


def word_count(text: str) -> int:
    """Words of ``text`` up to the analysis window (beyond it, every minimum is met)."""
    return len(_WORD.findall(text[:WINDOW]))


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
