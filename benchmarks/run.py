"""Every benchmark of the project, and one table of the figures that have targets.

    .venv/bin/python benchmarks/run.py [--sizes 1000 10000 100000] [--repeat 3]
                                       [--workdir /tmp/kigate-bench] [--table-only]

The table: for each synthetic repository (``synth.generate``, deterministic, committed),
``kigate check`` cold (empty cache), warm (cache filled, one file changed before each run),
``git grep`` over the same tree, their ratio and kigate's peak RSS; the idle commit hook next
to ``python -c "import click"``; ``kigate aggregate`` of 1,000 reports. Each figure is the
median of ``--repeat`` runs, each run a fresh process (its own peak RSS via wait4), with the
page cache warm. Then every other script in ``benchmarks/`` runs and prints its own figures.
Trees are built once in ``--workdir`` and reused (``scan.py`` shares them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

TARGETS = {"ratio": 1.5, "warm_ms": 150.0, "hook_ms": 80.0, "rss_mib": 150.0}
# Other scripts: arguments that keep the whole run within 10 minutes on 2 cores.
QUICK_ARGS: dict[str, list[str]] = {
    "scan.py": ["--repeat", "1"],
    "hook.py": ["--runs", "5"],
}
SKIP = {"run.py", "synth.py", "__init__.py"}


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mib: float
    code: int


def measure(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS of one fresh process (stdout and stderr discarded)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {err.read().decode()[-500:]}")
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode)


def median(runs: Sequence[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.rss_mib for r in runs),
        runs[-1].code,
    )


def kigate(*args: str) -> list[str]:
    script = BIN / "kigate"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "kigate", *args]


def build(workdir: Path, size: int, seed: int) -> Path:
    from synth import commit, generate

    root = workdir / f"synth-{size}-seed{seed}"
    if not (root / ".git").is_dir():
        started = time.perf_counter()
        generate(root, size, seed)
        commit(root)
        print(f"  built {root} ({time.perf_counter() - started:.0f} s)", flush=True)
    return root


def grep_command() -> list[str]:
    """``git grep`` for the detection signatures (the detection benchmark's pattern)."""
    from scan import signatures

    return ["git", "grep", "-n", "-I", "-E", "-e", signatures()]


@contextlib.contextmanager
def changed_file(root: Path) -> Iterator[Path]:
    """One tracked source file, appended to; restored afterwards."""
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    target = root / sorted(listed)[len(listed) // 2]
    original = target.read_bytes()
    try:
        yield target
    finally:
        target.write_bytes(original)


def tree_row(root: Path, repeat: int, cache_home: Path) -> dict[str, Any]:
    files = len(
        subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, check=True)
        .stdout.decode("utf-8", "replace")
        .splitlines()
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    grep = grep_command()
    measure(grep, root)  # warm the page cache for both tools
    cold_runs = []
    for _ in range(repeat):
        shutil.rmtree(cache_home, ignore_errors=True)
        cold_runs.append(measure(kigate("check", "."), root, env))
    cold = median(cold_runs)
    warm_runs = []
    with changed_file(root) as target:
        for index in range(repeat):
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"# edit {index}\n")
            warm_runs.append(measure(kigate("check", "."), root, env))
    warm = median(warm_runs)
    no_cache = median([measure(kigate("check", "--no-cache", "."), root, env)])
    git_grep = median([measure(grep, root) for _ in range(repeat)])
    return {
        "files": files,
        "cold": cold,
        "warm": warm,
        "no_cache": no_cache,
        "grep": git_grep,
    }


def hook_row(root: Path, repeat: int) -> tuple[Run, Run] | str:
    hook = BIN / "kigate-hook"
    if not hook.exists():
        return "no kigate-hook entry point in this installation"
    baseline = median([measure([sys.executable, "-c", "import click"], root) for _ in range(7)])
    guide = root / "docs" / "kigate-bench-guide.md"
    guide.parent.mkdir(exist_ok=True)
    guide.write_text("A guide, nothing for kigate to look at.\n", encoding="utf-8")
    subprocess.run(["git", "add", str(guide)], cwd=root, check=True)
    try:
        idle = median([measure([str(hook), "--gate"], root) for _ in range(max(repeat, 7))])
    finally:
        subprocess.run(["git", "rm", "-q", "--cached", str(guide)], cwd=root, check=True)
        guide.unlink()
    return baseline, idle


def aggregate_row(workdir: Path) -> Run | str:
    try:
        import aggregate as helper
    except ImportError as exc:
        return f"benchmarks/aggregate.py not importable ({exc})"
    folder = workdir / "reports-1000"
    if not folder.is_dir():
        base = helper.template()
        rng = random.Random(7)
        folder.mkdir(parents=True)
        for index in range(1000):
            doc = helper.report(base, index, rng, rng.randint(0, 12))
            (folder / f"r{index:04d}.json").write_text(json.dumps(doc), encoding="utf-8")
    listing = workdir / "reports-1000.txt"
    listing.write_text("\n".join(str(p) for p in sorted(folder.iterdir())) + "\n", "utf-8")
    out = workdir / "aggregate-out.json"
    command = kigate("aggregate", f"@{listing}", "--format", "json", "--output", str(out))
    return median([measure(command, workdir) for _ in range(3)])


def peak(row: dict[str, Any]) -> float:
    return max(row[name].rss_mib for name in ("cold", "warm", "no_cache"))


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(rows: list[dict[str, Any]], hook: tuple[Run, Run] | str, agg: Run | str) -> None:
    print()
    print(
        f"{'files':>8} {'cold s':>8} {'warm ms':>8} {'no-cache s':>10} {'git grep s':>10} "
        f"{'ratio':>6} {'RSS MiB':>8}"
    )
    for row in rows:
        cold, warm, grep = row["cold"], row["warm"], row["grep"]
        ratio = cold.seconds / grep.seconds
        rss = peak(row)
        print(
            f"{row['files']:>8} {cold.seconds:>8.2f} {warm.seconds * 1000:>8.0f} "
            f"{row['no_cache'].seconds:>10.2f} {grep.seconds:>10.2f} {ratio:>6.2f} {rss:>8.1f}"
        )
    if rows:
        big = rows[-1]
        ratio = big["cold"].seconds / big["grep"].seconds
        rss = max(peak(r) for r in rows)
        print(
            f"targets at {big['files']} files: cold <= {TARGETS['ratio']}x git grep "
            f"({ratio:.2f}x, {mark(ratio <= TARGETS['ratio'])}); warm <= "
            f"{TARGETS['warm_ms']:.0f} ms ({big['warm'].seconds * 1000:.0f} ms, "
            f"{mark(big['warm'].seconds * 1000 <= TARGETS['warm_ms'])}); peak RSS <= "
            f"{TARGETS['rss_mib']:.0f} MiB ({rss:.0f} MiB, {mark(rss <= TARGETS['rss_mib'])})"
        )
    if isinstance(hook, str):
        print(f"idle hook: not measured ({hook})")
    else:
        baseline, idle = hook
        print(
            f"idle hook {idle.seconds * 1000:.0f} ms vs python -c 'import click' "
            f"{baseline.seconds * 1000:.0f} ms (target <= {TARGETS['hook_ms']:.0f} ms, "
            f"{mark(idle.seconds * 1000 <= TARGETS['hook_ms'])})"
        )
    if isinstance(agg, str):
        print(f"aggregate 1,000 reports: not measured ({agg})")
    else:
        print(
            f"aggregate 1,000 reports -> JSON: {agg.seconds:.2f} s, peak RSS {agg.rss_mib:.0f} MiB"
        )


def run_others(workdir: Path, sizes: Sequence[int]) -> None:
    for script in sorted(HERE.glob("*.py")):
        if script.name in SKIP:
            continue
        args = list(QUICK_ARGS.get(script.name, []))
        if script.name == "scan.py":
            args += ["--workdir", str(workdir), "--sizes", *map(str, sizes)]
        print(f"\n== benchmarks/{script.name} {' '.join(args)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(script), *args],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        print((done.stdout + done.stderr).rstrip())
        print(f"(exit {done.returncode}, {time.perf_counter() - started:.0f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kigate-bench"))
    parser.add_argument("--table-only", action="store_true", help="skip the other scripts")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load = os.getloadavg()
    print(
        f"kigate benchmarks: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        flush=True,
    )
    args.workdir.mkdir(parents=True, exist_ok=True)
    cache_home = args.workdir / "xdg-cache"
    rows = []
    for size in args.sizes:
        root = build(args.workdir, size, args.seed)
        rows.append(tree_row(root, args.repeat, cache_home))
        print(f"  measured {size} files", flush=True)
    hook = hook_row(build(args.workdir, max(args.sizes), args.seed), args.repeat)
    agg = aggregate_row(args.workdir)
    print_table(rows, hook, agg)
    if not args.table_only:
        run_others(args.workdir, args.sizes)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
