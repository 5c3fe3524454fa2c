"""``kigate-hook``: the pre-commit entry point, free when nothing relevant is staged.

It asks git once for the staged changes (``repo.staged_changes``, a plain subprocess) and
exits at once when none of them can change the result. Only then does it import the CLI
(click, gitpython, the detectors) and run ``kigate check --staged``. Deletions and renames
always count: pre-commit does not pass deleted files to hooks, and a deleted file may be
the manifest or its evidence.

``kigate-hook`` warns and always exits 0; ``kigate-hook --gate`` fails like ``kigate check``.
Any other argument is passed on to ``kigate check``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kigate.repo import DEFAULT_EXCLUDES, Change, is_excluded, staged_changes

# Files detection reads or that decide the result: manifests, settings and policies (any
# TOML), dependency manifests and lock files, notebooks, model files, assistant configs.
RELEVANT_NAMES = frozenset(
    {
        "setup.py",
        "setup.cfg",
        "pipfile",
        "pipfile.lock",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "package.json",
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "environment.yml",
        "environment.yaml",
        "go.mod",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "gemfile",
        "composer.json",
        ".cursorrules",
        ".windsurfrules",
        ".clinerules",
        "claude.md",
        "agents.md",
        "gemini.md",
        "copilot-instructions.md",
        ".aider.conf.yml",
        ".kigate.toml",
    }
)
RELEVANT_PREFIXES = ("requirements", "constraints")
RELEVANT_SUFFIXES = (
    ".toml",
    ".ipynb",
    # model files
    ".onnx",
    ".pt",
    ".pth",
    ".safetensors",
    ".gguf",
    ".ggml",
    ".h5",
    ".keras",
    ".tflite",
    ".pb",
    ".pkl",
    ".joblib",
    ".mlmodel",
    # source files whose imports may bring in AI
    ".py",
    ".pyi",
    ".js",
    ".mjs",
    ".cjs",
    ".jsx",
    ".ts",
    ".tsx",
    ".java",
    ".kt",
    ".go",
    ".rs",
    ".rb",
    ".php",
    ".cs",
    ".swift",
    ".r",
    ".jl",
    ".scala",
)
RELEVANT_DIRS = (".cursor", ".continue", ".github", ".aider", ".claude")


def relevant_path(path: str) -> bool:
    if is_excluded(path, DEFAULT_EXCLUDES):
        return False
    name = path.rsplit("/", 1)[-1].lower()
    if name in RELEVANT_NAMES or name.endswith(RELEVANT_SUFFIXES):
        return True
    if name.startswith(RELEVANT_PREFIXES) and name.endswith((".txt", ".in")):
        return True
    return any(part in RELEVANT_DIRS for part in path.split("/")[:-1])


def relevant(change: Change) -> bool:
    """True when the change can alter what ``kigate check --staged`` reports."""
    if change.status in ("D", "R"):
        return True
    return any(relevant_path(p) for p in change.paths)


def needs_check(changes: tuple[Change, ...] | None) -> bool:
    """Idle only when something is staged and none of it matters. Nothing staged means a
    manual or ``--all-files`` run, and git that cannot answer must not pass silently."""
    if not changes:
        return True
    return any(relevant(c) for c in changes)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    gate = "--gate" in args
    passed = [a for a in args if a != "--gate"]
    if not needs_check(staged_changes(Path.cwd())):
        return 0
    from kigate.cli import main as cli_main

    code = cli_main(["check", "--staged", *passed])
    return code if gate else 0


if __name__ == "__main__":
    raise SystemExit(main())
