"""kigate's full scan next to ``git grep -E`` for the same signatures, on the same tree.

For each size, a synthetic repository (``synth.generate``) is built and committed once;
then, with a warm page cache, each tool runs in a fresh process so its peak RSS is its own:

    python benchmarks/scan.py --sizes 1000 10000 100000 [--workdir /tmp/kigate-bench]

Printed per size: files, median wall time of kigate and of git grep -E, their ratio, git grep
-F with the bare names as a floor, kigate's peak RSS, how many files kigate read (and the most
reads of any one file), bytes read, how many times a detector was asked whether it wants a
file (the dispatch table keeps this near two per file, not one per detector), components
found, and the 1-minute load average (other work on the machine slows both tools).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import commit, generate

from kigate import engine, policy

# The child process: a full inventory (file listing via git, every detector) on a tree that
# counts reads. Prints one JSON line.
CHILD = r"""
import json, resource, sys, time
from collections import Counter
from pathlib import Path
from kigate import engine, policy
from kigate.worktree import WorkTree

class CountingTree(WorkTree):
    def read(self, path, limit):
        data = super().read(path, limit)
        READS[path] += 1
        BYTES[0] += len(data or b"")
        return data

import kigate.detect as detect

ASKED = [0]
_wanted_by = detect.wanted_by

def wanted_by(detectors, path, base, ctx):
    ASKED[0] += len(detectors)
    return _wanted_by(detectors, path, base, ctx)

detect.wanted_by = wanted_by
READS, BYTES = Counter(), [0]
root = Path(sys.argv[1])
start = time.perf_counter()
request = engine.InventoryRequest(root, policy.load(), tree=CountingTree(root))
report = engine.inventory(request).report
elapsed = time.perf_counter() - start
print(json.dumps({
    "seconds": elapsed,
    "components": len(report.components),
    "files_read": len(READS),
    "max_reads": max(READS.values(), default=0),
    "bytes_read": BYTES[0],
    "asked": ASKED[0],
    "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def signatures() -> str:
    """One ERE with the import and host signatures kigate's source detectors look for."""
    catalogue = engine.load_catalogue(policy.load())
    py_modules = set()
    for rule in catalogue.rules("pypi"):
        py_modules.update(n.replace("-", "_") for n in rule.names)
        py_modules.update(p.replace("-", "_") + "[a-z_]*" for p in rule.prefixes)
    py_modules.update(m.split(".")[0] for m in catalogue.imports("pypi"))
    npm = {re.escape(n) for r in catalogue.rules("npm") for n in r.names}
    npm.update(re.escape(p) + "[^'\"]*" for r in catalogue.rules("npm") for p in r.prefixes)
    go = {re.escape(n) for r in catalogue.rules("golang") for n in r.names}
    jvm = {re.escape(k) for k in catalogue.imports("maven")}
    hosts = {re.escape(h.lstrip("*.")) for r in catalogue.rules("service") for h in r.hosts}
    # Rust, C#, F#, Ruby, PHP, Swift, R and Julia: their import keyword and a known module.
    other = {re.escape(m) for m in catalogue.imports("nuget")}
    for eco in ("cargo", "gem", "swift", "cran", "julia"):
        other.update(re.escape(n.replace("-", "_")) for r in catalogue.rules(eco) for n in r.names)
    keywords = "use|extern crate|using|open|require|import|library"
    alternatives = [
        r"^[[:space:]]*(import|from)[[:space:]]+(" + "|".join(sorted(py_modules)) + r")\b",
        r"(from|require\(|import\()[[:space:]]*['\"](" + "|".join(sorted(npm)) + r")['\"/]",
        r"\"(" + "|".join(sorted(go)) + r")[\"/]",
        r"^import[[:space:]]+(" + "|".join(sorted(jvm)) + r")\.",
        "(" + "|".join(sorted(hosts)) + ")",
        r"^[[:space:]]*(" + keywords + r")[[:space:](\"']+(" + "|".join(sorted(other)) + r")\b",
        r"//(cdn\.jsdelivr\.net/npm|unpkg\.com|esm\.sh|esm\.run|cdn\.skypack\.dev)/("
        + "|".join(sorted(npm))
        + ")",
    ]
    return "|".join(f"({a})" for a in alternatives)


def literals() -> list[str]:
    """The names and hosts alone, for ``git grep -F``: a floor no regex search can beat."""
    catalogue = engine.load_catalogue(policy.load())
    words = {n.replace("-", "_") for r in catalogue.rules("pypi") for n in r.names}
    words.update(n for r in catalogue.rules("npm") for n in r.names if len(n) > 3)
    words.update(n for r in catalogue.rules("golang") for n in r.names)
    words.update(catalogue.imports("maven"))
    words.update(h.lstrip("*.") for r in catalogue.rules("service") for h in r.hosts)
    return sorted(words)


def run_kigate(root: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def run_git_grep(root: Path, pattern: str | list[str]) -> float:
    """Seconds for ``git grep -E`` with one pattern, or ``git grep -F`` with a word list."""
    if isinstance(pattern, str):
        args = ["-E", "-e", pattern]
    else:
        args = ["-F", *(a for word in pattern for a in ("-e", word))]
    start = time.perf_counter()
    done = subprocess.run(
        ["git", "grep", "-n", "-I", *args],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"git grep failed: {done.stderr.decode()[:300]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kigate-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    pattern = signatures()
    words = literals()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, git grep -E with a "
        f"{len(pattern)}-character pattern, git grep -F with {len(words)} words; "
        f"median of {args.repeat} runs, warm cache"
    )
    print(
        f"{'files':>8} {'kigate s':>9} {'grep -E s':>10} {'ratio':>6} {'grep -F s':>9} "
        f"{'RSS MiB':>8} "
        f"{'read':>7} {'max reads':>9} {'MiB read':>9} {'asked':>7} {'found':>5} {'load':>5}"
    )
    for size in args.sizes:
        root = args.workdir / f"synth-{size}-seed{args.seed}"
        if not (root / ".git").is_dir():
            generate(root, size, args.seed)
            commit(root)
        run_git_grep(root, pattern)  # warm the page cache for both tools
        run_kigate(root)
        kigate = [run_kigate(root) for _ in range(args.repeat)]
        grep = [run_git_grep(root, pattern) for _ in range(args.repeat)]
        fixed = statistics.median(run_git_grep(root, words) for _ in range(args.repeat))
        k = statistics.median(r["seconds"] for r in kigate)
        g = statistics.median(grep)
        last = kigate[-1]
        print(
            f"{size:>8} {k:>9.2f} {g:>10.2f} {k / g:>6.2f} {fixed:>9.2f} "
            f"{last['rss_kib'] / 1024:>8.1f} "
            f"{last['files_read']:>7} {last['max_reads']:>9} "
            f"{last['bytes_read'] / 2**20:>9.1f} {last['asked']:>7} {last['components']:>5} "
            f"{os.getloadavg()[0]:>5.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
