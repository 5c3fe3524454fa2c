"""Manifest and input problems: unreadable or malformed manifests (KG101, KG102) and files
detection could not examine (KG104).

KG104 is built here only, for ``check`` and ``scan`` alike, so the policy's severity (or
``off``) applies to both.
"""

from __future__ import annotations

from kigate.rules.base import Context
from kigate.rules.registry import PROBLEM_RULES, UNREADABLE


def manifest_problems(ctx: Context) -> None:
    """KG101 (not a manifest of the format) and KG102 (unknown key) from the parser."""
    for manifest in ctx.manifests:
        for p in manifest.problems:
            ctx.add(
                PROBLEM_RULES[p.kind],
                p.text,
                path=manifest.path,
                line=p.line,
                column=p.column,
                aspect=p.aspect,
                # a value the format does not allow (status = "done") answers nothing
                uncovers=p.kind == "invalid",
            )


def unreadable_files(ctx: Context) -> None:
    """KG104: a file that may reveal AI could not be examined (too large, not UTF-8, ...)."""
    for problem in ctx.detect_problems:
        ctx.add(UNREADABLE, problem.text, path=problem.path, line=problem.line)
