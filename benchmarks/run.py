"""Every benchmark of the project, and one table of the figures that have targets.

    .venv/bin/python benchmarks/run.py [--big 100000] [--small 10000] [--repeat 5]
                                       [--workdir /tmp/kigate-bench] [--table-only]
                                       [--markdown]

The four figures of issue 16, each next to its baseline measured in the same run, A and B
taking turns (A B A B ...) so a drifting machine moves both; min / median / max of
``--repeat`` runs (at least 5), each run a fresh process (its own peak RSS via wait4),
page cache warm, Python byte code compiled (as an installed package has it):

1. ``kigate check --staged``, one relevant file changed and staged before each run, caches
   warm, against ``git status --porcelain`` (targets: <= 150 ms and no slower);
2. ``kigate check``, one file changed before each run, against ``git status --porcelain``
   (target: <= 1.5x);
3. ``kigate check`` cold (empty cache) against ``git grep -E`` of the AI import patterns
   (targets: <= 1.0x, peak RSS <= 150 MiB);
4. ``kigate scan`` cold of the small tree (target: <= 0.45 s).

Then the idle commit hook next to ``python -c "import click"``, ``kigate aggregate`` of
1,000 reports, and every other script in ``benchmarks/`` with its own figures.
``--markdown`` prints the table as the README shows it. Trees are built once in
``--workdir`` (``synth.generate``, deterministic, committed) and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from measure import Figure, Run, kigate, measure, median, paired  # noqa: E402

TARGETS = {"staged_ms": 150.0, "staged_ratio": 1.0, "warm_ratio": 1.5, "cold_ratio": 1.0}
TARGETS.update(rss_mib=150.0, scan_s=0.45, hook_ms=80.0)
# Other scripts: arguments that keep the whole run within 10 minutes on 2 cores.
QUICK_ARGS: dict[str, list[str]] = {
    "scan.py": ["--repeat", "1"],
    "hook.py": ["--runs", "5"],
}
SKIP = {"run.py", "synth.py", "measure.py", "__init__.py"}


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


def bench_env(cache_home: Path) -> dict[str, str]:
    """The user's environment with kigate's cache in ``cache_home`` and byte code written
    (``PYTHONDONTWRITEBYTECODE`` would make every run compile kigate afresh)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    return env


def big_figures(root: Path, repeat: int, cache_home: Path) -> list[Figure]:
    env = bench_env(cache_home)
    status = ["git", "status", "--porcelain"]
    grep = grep_command()
    measure(grep, root)  # warm the page cache for both tools
    shutil.rmtree(cache_home, ignore_errors=True)
    cold = paired(
        "cold check",
        kigate("check", "."),
        grep,
        root,
        repeat,
        env,
        lambda _i: shutil.rmtree(cache_home, ignore_errors=True),
        "git grep -E",
    )
    measure(kigate("check", "."), root, env)  # fill the caches
    measure(kigate("check", "--staged", "."), root, env)
    with changed_file(root) as target:

        def edit(index: int) -> None:
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"# edit {index}\n")

        warm = paired(
            "check, 1 file changed",
            kigate("check", "."),
            status,
            root,
            repeat,
            env,
            edit,
            "git status --porcelain",
        )

        def stage(index: int) -> None:
            edit(index + repeat)
            subprocess.run(["git", "add", "--", str(target)], cwd=root, check=True)

        try:
            staged = paired(
                "check --staged, 1 file staged",
                kigate("check", "--staged", "."),
                status,
                root,
                repeat,
                env,
                stage,
                "git status --porcelain",
            )
        finally:
            subprocess.run(["git", "reset", "-q", "--", str(target)], cwd=root, check=True)
    return [staged, warm, cold]


def scan_figure(root: Path, repeat: int, cache_home: Path) -> Figure:
    env = bench_env(cache_home)
    measure(kigate("scan", "."), root, env)  # page cache and byte code
    return paired(
        "cold scan",
        kigate("scan", "."),
        None,
        root,
        repeat,
        env,
        lambda _i: shutil.rmtree(cache_home, ignore_errors=True),
    )


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


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def verdicts(figures: list[Figure], scan: Figure) -> list[str]:
    staged, warm, cold = figures
    return [
        mark(
            staged.kigate.mid * 1000 <= TARGETS["staged_ms"]
            and (staged.ratio or 0) <= TARGETS["staged_ratio"]
        ),
        mark((warm.ratio or 0) <= TARGETS["warm_ratio"]),
        mark(
            (cold.ratio or 0) <= TARGETS["cold_ratio"] and cold.kigate.rss_mib <= TARGETS["rss_mib"]
        ),
        mark(scan.kigate.mid <= TARGETS["scan_s"]),
    ]


GOALS = ("<= 150 ms, <= 1.0x", "<= 1.5x", "<= 1.0x, <= 150 MiB", "<= 0.45 s")


def print_table(big: int, small: int, figures: list[Figure], scan: Figure, markdown: bool) -> None:
    rows = []
    for figure, goal, verdict in zip([*figures, scan], GOALS, verdicts(figures, scan), strict=True):
        files = small if figure is scan else big
        fast = figure.name != "cold check" and figure is not scan
        base = figure.baseline
        rows.append(
            (
                f"{figure.name} ({files:,} files)",
                figure.kigate.ms() if fast else figure.kigate.s(),
                ""
                if base is None
                else f"{figure.baseline_name}: " + (base.ms() if fast else base.s()),
                "" if figure.ratio is None else f"{figure.ratio:.2f}",
                f"{figure.kigate.rss_mib:.0f} MiB",
                f"{goal}: {verdict}",
            )
        )
    head = (
        "figure",
        "kigate min / median / max",
        "baseline, same run",
        "ratio",
        "peak RSS",
        "target",
    )
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|---:|---:|---:|---:|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    print()
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def print_extras(hook: tuple[Run, Run] | str, agg: Run | str) -> None:
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
    parser.add_argument("--big", type=int, default=100_000, help="files of the large tree")
    parser.add_argument("--small", type=int, default=10_000, help="files of the scanned tree")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kigate-bench"))
    parser.add_argument("--table-only", action="store_true", help="skip the other scripts")
    parser.add_argument("--markdown", action="store_true", help="the table as in the README")
    args = parser.parse_args(argv)
    if args.repeat < 5:
        parser.error("--repeat: at least 5 runs, or min / median / max say little")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # every child: byte code as installed
    started = time.perf_counter()
    load = os.getloadavg()
    print(
        f"kigate benchmarks: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.repeat} runs each",
        flush=True,
    )
    args.workdir.mkdir(parents=True, exist_ok=True)
    cache_home = args.workdir / "xdg-cache"
    big = build(args.workdir, args.big, args.seed)
    figures = big_figures(big, args.repeat, cache_home)
    print(f"  measured {args.big} files", flush=True)
    scan = scan_figure(build(args.workdir, args.small, args.seed), args.repeat, cache_home)
    hook = hook_row(big, args.repeat)
    agg = aggregate_row(args.workdir)
    load = os.getloadavg()
    print_table(args.big, args.small, figures, scan, args.markdown)
    print(f"(load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    print_extras(hook, agg)
    if not args.table_only:
        run_others(args.workdir, [args.small, args.big])
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
