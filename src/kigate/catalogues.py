"""The signal catalogues a policy names, and a policy validated together with them."""

from __future__ import annotations

from pathlib import Path

from kigate import policy as policy_mod
from kigate.detect import catalogue
from kigate.errors import PolicyError
from kigate.policy import Policy


def load_catalogue(policy: Policy) -> catalogue.Catalogue:
    """The policy's catalogues; a path in ``signals`` is relative to the policy file."""
    source = Path(policy.source)
    here = source.parent if source.is_file() else None
    return catalogue.load(policy.signals, here)


def validate_policy(ref: str) -> list[policy_mod.Problem]:
    """Every problem of a policy file, and of the signal catalogues it names."""
    problems = policy_mod.validate(ref)
    if problems:
        return problems
    try:
        load_catalogue(policy_mod.load(ref))
    except PolicyError as exc:
        return [policy_mod.Problem(exc.path or ref, exc.line or 1, exc.text)]
    return []
