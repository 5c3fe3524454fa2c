"""What the engine asks git besides the rules: the ``--base`` comparison and AI assistants
named in commit trailers. (The rule that needs history, KG131, is ``rules/history.py``.)

Every answer git cannot give becomes a ``RepoError`` with the reason and the fix, never a
silent pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kigate import (
    i18n,
    repo,  # the git layer: base refs, trailers
)
from kigate.errors import RepoError
from kigate.model import Component, Evidence, Finding, Scope

# Trailer values that name an AI assistant (lower-case substrings of name or e-mail),
# mapped to a component id and a display name.
ASSISTANTS: tuple[tuple[str, str, str], ...] = (
    ("copilot", "assistant:github-copilot", "GitHub Copilot"),
    ("anthropic", "assistant:claude", "Claude"),
    ("claude", "assistant:claude", "Claude"),
    ("chatgpt", "assistant:chatgpt", "ChatGPT"),
    ("openai", "assistant:openai-codex", "OpenAI Codex"),
    ("codex", "assistant:openai-codex", "OpenAI Codex"),
    ("gemini", "assistant:gemini", "Gemini"),
    ("cursor", "assistant:cursor", "Cursor"),
    ("codeium", "assistant:codeium", "Codeium/Windsurf"),
    ("windsurf", "assistant:codeium", "Codeium/Windsurf"),
    ("tabnine", "assistant:tabnine", "Tabnine"),
    ("aider", "assistant:aider", "Aider"),
    ("devin", "assistant:devin", "Devin"),
    ("amazon q", "assistant:amazon-q", "Amazon Q"),
    ("codewhisperer", "assistant:amazon-q", "Amazon Q"),
)


def base_error(reason: str, **params: str) -> RepoError:
    return RepoError(i18n.t(f"gates.base.{reason}", **params))


# --- --base ----------------------------------------------------------------------------------


def resolve_base(root: Path, ref: str) -> repo.BaseRef:
    """REF resolved for ``--base``; one sentence with the fix (exit 2) when it cannot be."""
    try:
        return repo.resolve_base(root, ref)
    except repo.GitUnavailable as exc:
        raise base_error(exc.reason, ref=ref) from None


def mark_introduced(findings: Sequence[Finding], on_base: Sequence[Finding]) -> list[Finding]:
    """Every finding says whether the change introduced it (absent on the base) or not."""
    known = {f.fingerprint for f in on_base}
    return [
        f if f.introduced is not None else replace(f, introduced=f.fingerprint not in known)
        for f in findings
    ]


# --- commit trailers -------------------------------------------------------------------------


def assistant_of(value: str) -> tuple[str, str] | None:
    lowered = value.lower()
    for needle, component, name in ASSISTANTS:
        if needle in lowered:
            return component, name
    return None


def trailer_components(root: Path, revisions: str = "HEAD") -> tuple[Component, ...]:
    """AI assistants named in ``Co-authored-by``/``Assisted-by`` trailers: development scope."""
    found: dict[str, tuple[str, list[Evidence]]] = {}
    try:
        trailers = repo.ai_trailers(root, revisions)
    except repo.GitUnavailable:
        return ()
    for trailer in trailers:
        hit = assistant_of(trailer.value)
        if hit is None:
            continue
        component, name = hit
        evidence = Evidence(
            ".", None, f"{trailer.key}: {trailer.value} ({trailer.commit})", "commit-trailer"
        )
        found.setdefault(component, (name, []))[1].append(evidence)
    return tuple(
        Component(cid, name, "assistant", "coding-assistant", Scope.DEVELOPMENT, tuple(ev[:3]))
        for cid, (name, ev) in sorted(found.items())
    )
