"""How long the commit-time hook takes: idle, and with one relevant file staged.

    python benchmarks/hook.py [--files 100000] [--small 10000] [--runs 7] [--keep DIR]

Builds deterministic repositories (its own small generator), then prints median wall times:
``python -c "import click"`` as the baseline, ``kigate-hook`` with only a Markdown guide staged
(idle path; must stay at or below 80 ms and import neither click nor the engine), ``kigate-hook``
with one relevant file staged in the large repository, and ``kigate check`` (full scan of the
working tree) of the small one. Targets: idle <= 80 ms; staged <= 2x the small full scan.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}
MANIFEST = Path(__file__).resolve().parent.parent / "examples" / "complete"
WORDS = ("alpha", "beta", "gamma", "delta", "parse", "render", "store", "fetch", "plan")


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    command = ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args]
    subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)


def generate(root: Path, count: int, seed: int = 4) -> None:
    """``count`` files in 100-file folders: Python modules (a few import AI libraries),
    Markdown, JSON and one complete manifest with its evidence at the top."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    for item in MANIFEST.rglob("*"):
        if item.is_file():
            target = root / item.relative_to(MANIFEST)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, target)
    manifest = root / "ai-values.toml"
    today = time.strftime("%Y-%m-%d")
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("2026-09-15", today), encoding="utf-8"
    )
    made = sum(1 for p in root.rglob("*") if p.is_file())
    folder = 0
    while made < count:
        directory = root / "pkg" / f"m{folder:04d}"
        directory.mkdir(parents=True)
        for i in range(min(100, count - made)):
            kind = rng.random()
            word = rng.choice(WORDS)
            if kind < 0.7:
                imports = "import openai\n" if rng.random() < 0.001 else "import json\n"
                body = f'{imports}\n\ndef {word}_{i}(x):\n    return json.dumps({{"{word}": x}})\n'
                (directory / f"{word}_{i}.py").write_text(body, encoding="utf-8")
            elif kind < 0.9:
                (directory / f"{word}_{i}.md").write_text(f"# {word} {i}\n", encoding="utf-8")
            else:
                (directory / f"{word}_{i}.json").write_text(f'{{"n": {i}}}\n', encoding="utf-8")
            made += 1
        folder += 1
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated")
    # Objects packed as in any clone; 100k loose objects would measure the disk, not kigate.
    git(root, "gc", "-q")


def wall(command: list[str], cwd: Path, runs: int) -> tuple[float, str]:
    """Median wall time in ms over ``runs`` runs (after one warm-up), and the last output."""
    times = []
    output = ""
    env = {**os.environ, "NO_COLOR": "1", "LANG": "C"}
    for index in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        elapsed = (time.perf_counter() - start) * 1000
        output = done.stdout + done.stderr
        if index:
            times.append(elapsed)
    return statistics.median(times), output


def idle_imports(cwd: Path) -> str:
    code = (
        "import sys; from kigate.hook import main; main([]); "
        "print(','.join(m for m in ('git', 'click', 'kigate.cli') if m in sys.modules) or 'none')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="build the repositories here")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="kigate-hook-bench-"))
    big, small = workdir / f"big-{args.files}", workdir / f"small-{args.small}"
    for repo, count in ((big, args.files), (small, args.small)):
        if not repo.exists():
            started = time.perf_counter()
            generate(repo, count)
            print(f"generated {count} files in {repo} ({time.perf_counter() - started:.1f} s)")
    hook = [str(BIN / "kigate-hook"), "--gate"]
    try:
        baseline, _ = wall([sys.executable, "-c", "import click"], big, args.runs)
        (big / "docs").mkdir(exist_ok=True)
        (big / "docs" / "guide.md").write_text("edited\n", encoding="utf-8")
        git(big, "add", "docs/guide.md")
        idle, idle_out = wall(hook, big, args.runs)
        imported = idle_imports(big)
        requirements = big / "requirements.txt"
        requirements.write_text(requirements.read_text() + "torch\n", encoding="utf-8")
        git(big, "add", "requirements.txt")
        staged, staged_out = wall(hook, big, max(3, args.runs // 2))
        full, _ = wall(
            [str(BIN / "kigate"), "check", "--no-cache", "."], small, max(3, args.runs // 2)
        )
    finally:
        git(big, "reset", "-q", "--hard")
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f'python -c "import click"                    {baseline:8.1f} ms  (baseline)')
    print(
        f"kigate-hook, nothing relevant staged        {idle:8.1f} ms  (target <= 80 ms; "
        f"heavy modules imported: {imported}; output: {idle_out.strip() or 'none'})"
    )
    print(f"kigate-hook, 1 relevant file, {args.files:>6} files {staged:8.1f} ms")
    print(f"kigate check (full scan), {args.small:>6} files     {full:8.1f} ms")
    print(f"ratio staged/full scan                      {staged / full:8.2f}    (target <= 2)")
    last = [line for line in staged_out.splitlines() if line.strip()]
    print(f"staged hook said: {last[-1] if last else '(nothing)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
