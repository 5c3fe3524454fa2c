"""``kigate-hook``: the pre-commit entry point, free when nothing relevant is staged.

It asks git once for the staged changes (``git.delta.staged_now``: one process, standard
library only) and exits at once when none of them can change the result. Only then does it
import the CLI (click, the detectors) and run ``kigate check --staged``, which reuses git's
answer instead of asking again. Deletions and renames
always count: pre-commit does not pass deleted files to hooks, and a deleted file may be
the manifest or its evidence.

Both print nothing when the check finds nothing, and the whole report when it finds anything
at any severity. ``kigate-hook`` warns and always exits 0; ``kigate-hook --gate`` fails like
``kigate check``; ``kigate-hook --push`` (pre-push) fails on gaps the pushed commits
introduce. Any other argument is passed on to ``kigate check``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kigate.git.info import Change, staged_changes

# Files detection reads or that decide the result: manifests, settings and policies, dependency
# manifests and lock files, notebooks, model files and cards, assistant configs, source and
# configuration files (imports, API hosts, container images). A superset on purpose: a test
# proves that every file a detector reads or finds AI in is relevant here.
RELEVANT_NAMES = frozenset(
    {
        "readme.md", "modelfile", "makefile", "procfile", "pipfile", "pipfile.lock", "poetry.lock",
        "uv.lock", "pdm.lock", "setup.py", "setup.cfg", "package.json", "package-lock.json",
        "yarn.lock", "pnpm-lock.yaml", "go.mod", "go.sum", "pom.xml", "gemfile", "gemfile.lock",
        "packages.config", "directory.packages.props", "agents.md", "agent.md", "claude.md",
        "claude.local.md", "gemini.md", "copilot-instructions.md", ".cursorrules", ".windsurfrules",
        ".clinerules", ".roorules", ".goosehints", ".gitattributes", "description",
    }
)  # fmt: skip
RELEVANT_PREFIXES = ("dockerfile", "containerfile", ".env")
REQUIREMENTS_PREFIXES = ("requirements", "constraints")
RELEVANT_SUFFIXES = (
    # manifests, settings, policies, dependency and configuration files
    ".toml", ".json", ".yaml", ".yml", ".xml", ".ini", ".cfg", ".conf", ".properties", ".env",
    ".lock", ".gradle", ".csproj", ".fsproj", ".vbproj", ".props", ".gemspec", ".tf", ".tfvars",
    ".hcl", ".bicep", ".template", ".dockerfile", ".modelfile", ".sql", ".ipynb",
    # model files
    ".gguf", ".ggml", ".safetensors", ".onnx", ".pt", ".pth", ".ckpt", ".bin", ".h5", ".hdf5",
    ".keras", ".tflite", ".pb", ".mlmodel", ".joblib", ".pkl", ".pickle", ".llamafile",
    ".caffemodel", ".nemo",
    # source files: imports and API hosts
    ".py", ".pyw", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue",
    ".svelte", ".go", ".java", ".kt", ".kts", ".scala", ".groovy", ".rb", ".php", ".cs", ".fs",
    ".rs", ".swift", ".c", ".cc", ".cpp", ".h", ".hpp", ".m", ".dart", ".lua", ".r", ".jl",
    ".sh", ".bash", ".zsh", ".ps1", ".fsx", ".rake", ".rmd",
    # web pages and templates: scripts loaded from CDNs
    ".html", ".htm", ".xhtml", ".erb", ".ejs", ".hbs", ".njk", ".jinja", ".j2", ".twig",
    ".liquid", ".astro", ".cshtml", ".razor", ".jsp",
)  # fmt: skip
# Folders of assistant and agent configuration: any file below them counts.
RELEVANT_DIRS = frozenset(
    {
        ".github", ".cursor", ".continue", ".claude", ".windsurf", ".clinerules", ".roo",
        ".amazonq", ".junie", ".kiro", ".gemini", ".codex", ".vscode", ".aider",
    }
)  # fmt: skip


def relevant_path(path: str) -> bool:
    # Excluded folders count too: a project's settings may take a default exclude back.
    name = path.rsplit("/", 1)[-1].lower()
    if name in RELEVANT_NAMES or name.endswith(RELEVANT_SUFFIXES):
        return True
    if name.startswith(RELEVANT_PREFIXES):
        return True
    if name.startswith(REQUIREMENTS_PREFIXES) and name.endswith((".txt", ".in")):
        return True
    return not RELEVANT_DIRS.isdisjoint(path.split("/")[:-1])


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


def _staged(root: Path) -> tuple[Change, ...] | None:
    """What the next commit changes, from one git process whose answer the check that may
    follow reuses (``git.delta.staged_now``); ``staged_changes`` before the first commit or
    in a conflict."""
    from kigate.git.delta import ABSENT, staged_now

    found = staged_now(root)
    if found is None:
        return staged_changes(root)
    # --no-renames: a rename is a deletion (always relevant) and an addition
    return tuple(Change("D" if key == ABSENT else "M", path) for path, key in found[1].keys.items())


def push_check(passed: list[str]) -> int:
    """pre-push: the change against what the remote has (pre-commit names it in
    ``PRE_COMMIT_FROM_REF``); a first push of a whole history is checked as a whole."""
    from kigate.cli import main as cli_main

    base = os.environ.get("PRE_COMMIT_FROM_REF", "")
    command = ["check", "--base", base, "--new-only"] if base.strip("0") else ["check"]
    return cli_main([*command, *passed])


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    passed = [a for a in args if a not in ("--gate", "--push")]
    if "--push" in args:
        return push_check(passed)
    if not needs_check(_staged(Path.cwd())):
        return 0
    from kigate.cli import main as cli_main

    # --quiet: silent when clean, the whole report whenever there is a finding at any
    # severity (both hooks are ``verbose`` in .pre-commit-hooks.yaml, so a passing hook's
    # warnings are shown too).
    code = cli_main(["check", "--staged", "--quiet", *passed])
    return code if "--gate" in args else 0


def entry() -> None:
    """The ``kigate-hook`` console command: ``main``, then the quick exit ``kigate`` uses."""
    from kigate.cli import _environment

    _environment.leave(main())


if __name__ == "__main__":
    entry()
