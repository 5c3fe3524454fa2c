"""Each aspect's status: the coverage verdict as every display shows it.

``missing``: absent, or present but not answered (a rule marked it ``uncovers``: a
placeholder, a copy, a misplaced answer, ``not_applicable`` without justification, ...).
Answered aspects are ``covered`` (implemented, no open finding on it), ``not_applicable``
(justified) or ``partial`` (in progress, planned, or with an open finding); all three count
as covered in "N/8" and in the gate.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from kigate.manifest import Manifest
from kigate.model import AspectResult, AspectStatus, Finding
from kigate.policy import Policy

_ORDER = {
    AspectStatus.MISSING: 0,
    AspectStatus.PARTIAL: 1,
    AspectStatus.NOT_APPLICABLE: 2,
    AspectStatus.COVERED: 3,
}


def aspect_results(
    policy: Policy,
    manifest: Manifest | None,
    findings: Sequence[Finding],
    unanswered: Collection[tuple[str, str]] = (),
) -> tuple[AspectResult, ...]:
    """One manifest's aspects: an unwaived finding on an answered aspect keeps it partial;
    an aspect in ``unanswered`` (manifest path, aspect id) counts as missing."""
    results = []
    for aspect in policy.aspects:
        entry = manifest.aspect(aspect.id) if manifest is not None and manifest.valid else None
        own = [
            f
            for f in findings
            if not f.waived
            and f.aspect == aspect.id
            and manifest is not None
            and f.path == manifest.path
        ]
        if entry is None or (manifest is not None and (manifest.path, aspect.id) in unanswered):
            status = AspectStatus.MISSING
        elif entry.status == "not_applicable" and not own:
            status = AspectStatus.NOT_APPLICABLE
        elif own or entry.status != "implemented":
            status = AspectStatus.PARTIAL
        else:
            status = AspectStatus.COVERED
        results.append(AspectResult(aspect.id, aspect.title, status))
    return tuple(results)


def overall(
    policy: Policy, per_manifest: Sequence[tuple[AspectResult, ...]], any_ai: bool
) -> tuple[AspectResult, ...]:
    """The weakest status of each aspect across all manifests."""
    if not per_manifest:
        if not any_ai:
            return ()
        return aspect_results(policy, None, ())
    combined = []
    for index, aspect in enumerate(policy.aspects):
        worst = min((results[index] for results in per_manifest), key=lambda r: _ORDER[r.status])
        combined.append(AspectResult(aspect.id, aspect.title, worst.status))
    return tuple(combined)
