"""Apply the registry's rules: each rule's ``check`` function, found by name, runs once.

No rule is wired here by hand: a new registry entry whose ``check`` names a function in its
family's module runs in every ``check`` (and, when asked for, ``scan``).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable, Iterable, Sequence

from kigate.detect import DetectProblem
from kigate.manifest import Manifest
from kigate.model import AspectResult, Component, Finding, ManifestSummary
from kigate.policy import Policy
from kigate.rules.base import Context
from kigate.rules.registry import RULES, UNREADABLE
from kigate.rules.status import aspect_results, overall
from kigate.rules.waivers import apply_waivers
from kigate.tree import Tree

RuleCheck = Callable[[Context], None]


@functools.cache
def check_function(spec: str) -> RuleCheck:
    """The function a registry ``check`` ("module:function") names."""
    module_name, function_name = spec.split(":", 1)
    module = importlib.import_module(f"kigate.rules.{module_name}")
    function: RuleCheck = getattr(module, function_name)
    return function


def load_checks() -> None:
    """Import every rule's module now (``check`` calls this while git still works on its
    answer, so the imports overlap with git instead of following it)."""
    for spec in dict.fromkeys(r.check for r in RULES.values()):
        check_function(spec)


def apply(ctx: Context, rule_ids: Iterable[str] | None = None) -> list[Finding]:
    """Run the tree-stage rules (all, or ``rule_ids``) on ``ctx``; each function once."""
    wanted = set(RULES) if rule_ids is None else set(rule_ids)
    specs = dict.fromkeys(r.check for r in RULES.values() if r.id in wanted and r.stage == "tree")
    for spec in specs:
        check_function(spec)(ctx)
    return ctx.findings


def inventory_findings(
    policy: Policy, detect_problems: Sequence[DetectProblem], today: dt.date
) -> list[Finding]:
    """What ``scan`` reports besides components: files that could not be examined."""
    ctx = Context(policy, today, detect_problems=detect_problems)
    return sorted(apply(ctx, (UNREADABLE,)), key=lambda f: f.sort_key)


def run_checks(
    policy: Policy,
    components: Sequence[Component],
    manifests: Sequence[Manifest],
    tree: Tree,
    today: dt.date,
    detect_problems: Sequence[DetectProblem] = (),
) -> tuple[list[Finding], list[ManifestSummary], tuple[AspectResult, ...]]:
    """Findings (waivers applied, sorted), one summary per manifest, the overall aspects."""
    ctx = Context(policy, today, tree, components, manifests, detect_problems)
    findings = sorted(apply_waivers(apply(ctx), manifests, today), key=lambda f: f.sort_key)
    summaries = []
    per_manifest = []
    for manifest in manifests:
        results = aspect_results(policy, manifest, findings, ctx.unanswered)
        per_manifest.append(results)
        system = manifest.system
        summaries.append(
            ManifestSummary(
                manifest.path,
                system.name,
                system.owner,
                system.last_reviewed,
                results,
                risk_class=system.risk_class,
            )
        )
    return findings, summaries, overall(policy, per_manifest, bool(components))
