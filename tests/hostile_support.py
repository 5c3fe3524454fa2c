"""The acceptance every hostile case proves (issue 15), in one place.

``run_hostile`` runs kigate in a fresh interpreter under the audit hook of
``test_hostile.PROBE`` with a wall-time bound (the test fails, it does not hang) and checks:
an exit code in the documented set, never 3, no traceback, no "Exception ignored", no network,
no command but git, nothing written inside the watched tree, and the whole tree including
``.git`` byte-identical afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import git
from tests.test_hostile import GIT_ID, PROBE, assert_harmless, digest

TIMEOUT = 90  # seconds; every case is expected to finish in a few


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seen: dict[str, Any]


def base_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "KIGATE_"))}
    env.update(LANG="C", LC_ALL="", NO_COLOR="1", XDG_CACHE_HOME=str(tmp / "xdg-cache"))
    env.pop("FORCE_COLOR", None)
    return env


def run_hostile(
    watched: Path,
    tmp: Path,
    *args: str,
    allowed: tuple[int, ...] = (0, 1, 2),
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdout: Any = subprocess.PIPE,
    stdin: Any = subprocess.DEVNULL,
) -> Run:
    """kigate ``args`` under the audit hook; asserts the acceptance for ``watched``."""
    before = digest(watched)
    seen_file = tmp / f"probe-{os.urandom(4).hex()}.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(watched), str(seen_file), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=stdin,
        text=True,
        timeout=TIMEOUT,
        env=env if env is not None else base_env(tmp),
        cwd=cwd,
        check=False,
    )
    out = done.stdout if isinstance(done.stdout, str) else ""
    assert done.returncode in allowed, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
    seen = json.loads(seen_file.read_text(encoding="utf-8"))
    assert_harmless(seen)
    assert digest(watched) == before
    return Run(done.returncode, out, done.stderr, seen)


def one_sentence(stderr: str) -> str:
    """The single ``kigate: ...`` line of an exit-2 run."""
    lines = [line for line in stderr.splitlines() if line.startswith("kigate: ")]
    assert len(lines) == 1, stderr
    return lines[0]


def ai_repo(tmp: Path, name: str = "repo", files: dict[str, str] | None = None) -> Path:
    """A committed repository that uses AI (``openai`` in requirements.txt)."""
    root = tmp / name
    root.mkdir()
    for path, text in {"requirements.txt": "openai\n", **(files or {})}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, *GIT_ID, "commit", "-q", "-m", "hostile")
    return root
