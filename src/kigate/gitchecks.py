"""What the engine asks git besides the rules: the ``--base`` comparison and AI assistants
named in commit trailers. (The rule that needs history, KG131, is ``rules/history.py``.)

Every answer git cannot give becomes a ``RepoError`` with the reason and the fix, never a
silent pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kigate import git, i18n
from kigate.detect.base import component
from kigate.detect.catalogue import Catalogue, Rule
from kigate.errors import RepoError
from kigate.model import Component, Evidence, Finding, Scope


def base_error(reason: str, **params: str) -> RepoError:
    return RepoError(i18n.t(f"gates.base.{reason}", **params))


# --- --base ----------------------------------------------------------------------------------


def resolve_base(root: Path, ref: str) -> git.BaseRef:
    """REF resolved for ``--base``; one sentence with the fix (exit 2) when it cannot be."""
    try:
        return git.resolve_base(root, ref)
    except git.GitUnavailable as exc:
        raise base_error(exc.reason, ref=ref, fetch=fetch_command(root, ref)) from None


def remotes(root: Path) -> list[str]:
    """The remotes the repository's configuration names (read, never run through git)."""
    from kigate.git.shadow import locate, read_config

    where = locate(root)
    if where is None:
        return []
    config = read_config(where)
    return sorted({sub for (section, sub, key) in config if section == "remote" and sub})


def fetch_command(root: Path, ref: str) -> str:
    """The ``git fetch`` that brings ``ref`` into the clone: ``origin/main`` is branch
    ``main`` of remote ``origin`` (git rejects ``git fetch origin origin/main``)."""
    name = ref.removeprefix("refs/remotes/")
    known = remotes(root) or ["origin"]
    # The longest matching remote name: remotes may contain "/" as branches may.
    for remote in sorted(known, key=len, reverse=True):
        if name.startswith(remote + "/") and len(name) > len(remote) + 1:
            return f"git fetch {remote} {name[len(remote) + 1 :]}"
    branch = ref.removeprefix("refs/heads/")
    return f"git fetch {known[0] if 'origin' not in known else 'origin'} {branch}"


def mark_introduced(findings: Sequence[Finding], on_base: Sequence[Finding]) -> list[Finding]:
    """Every finding says whether the change introduced it (absent on the base) or not."""
    known = {f.fingerprint for f in on_base}
    return [
        f if f.introduced is not None else replace(f, introduced=f.fingerprint not in known)
        for f in findings
    ]


# --- commit trailers -------------------------------------------------------------------------


def assistant_of(value: str, found: Catalogue) -> Rule | None:
    """The assistant catalogue's first entry whose ``trailers`` occur in ``value``."""
    lowered = value.lower()
    for rule in found.rules("assistant"):
        if any(needle in lowered for needle in rule.trailers):
            return rule
    return None


def trailer_components(
    root: Path, found: Catalogue, revisions: str = "HEAD"
) -> tuple[Component, ...]:
    """AI assistants named in ``Co-authored-by``/``Assisted-by`` trailers: development scope."""
    by_id: dict[str, Component] = {}
    try:
        trailers = git.ai_trailers(root, revisions)
    except git.GitUnavailable:
        return ()
    for trailer in trailers:
        rule = assistant_of(trailer.value, found)
        if rule is None or rule.component is None:
            continue
        match = f"{trailer.key}: {trailer.value} ({trailer.commit})"
        evidence = Evidence(".", None, match, "commit-trailer")
        hit = component("assistant", rule.component, rule, Scope.DEVELOPMENT, evidence)
        seen = by_id.setdefault(hit.id, hit)
        if seen is not hit and len(seen.evidence) < 3:
            by_id[hit.id] = replace(seen, evidence=(*seen.evidence, evidence))
    return tuple(by_id[cid] for cid in sorted(by_id))
