"""Governance view performance: prints figures, asserts nothing.

1. 1,000 generated JSON reports into table + CSV + HTML (time, peak memory;
   targets: 2 s, 200 MB).
2. 50 generated git repositories checked with --jobs 1 and --jobs 2 (speed-up).
3. One gigantic report (about 50 MB) read and aggregated (time, peak memory).

Run: .venv/bin/python benchmarks/aggregate.py
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
STATUSES = ("covered", "partial", "missing", "not_applicable")
ASPECTS = (
    "values", "risks", "non_discrimination", "competencies", "participation", "transparency",
    "sustainability", "commitment",
)  # fmt: skip
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# Runs one kigate command in a fresh interpreter and reports its own time and peak RSS.
MEASURE = """
import json, resource, sys, time
from kigate.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"code": code, "seconds": seconds, "peak_mib": peak}), file=sys.stderr)
"""


def template() -> dict[str, Any]:
    from kigate import engine
    from kigate import policy as policy_mod
    from kigate.formats.json import to_dict

    request = engine.CheckRequest(EXAMPLES / "incomplete", policy_mod.load(None), shown=".")
    return to_dict(engine.check(request).report)


def report(base: dict[str, Any], index: int, rng: random.Random, findings: int) -> dict[str, Any]:
    doc = json.loads(json.dumps(base))
    statuses = [rng.choice(STATUSES) for _ in ASPECTS]
    doc["repository"].update(
        root_name=f"service-{index:04d}",
        commit=f"{rng.getrandbits(160):040x}",
        remote_url=f"https://git.example.org/org/service-{index:04d}.git",
    )
    doc["aspects"] = [
        {"id": a, "title": a, "status": s, "findings": []}
        for a, s in zip(ASPECTS, statuses, strict=True)
    ]
    doc["manifests"][0]["aspects"] = [
        {"id": a["id"], "status": a["status"]} for a in doc["aspects"]
    ]
    one = base["findings"]
    doc["findings"] = [dict(one[i % len(one)]) for i in range(findings)]
    covered = sum(1 for s in statuses if s in ("covered", "not_applicable"))
    partial = statuses.count("partial")
    doc["summary"].update(
        aspects_covered=covered,
        score=round(100 * (covered + 0.5 * partial) / len(ASPECTS)),
        errors=sum(1 for f in doc["findings"] if f["severity"] == "error"),
        warnings=sum(1 for f in doc["findings"] if f["severity"] == "warning"),
        notes=sum(1 for f in doc["findings"] if f["severity"] == "info"),
    )
    return doc


def measure(args: list[str], cwd: Path) -> dict[str, Any]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], cwd=cwd, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    result: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def many_reports(work: Path, base: dict[str, Any]) -> None:
    rng = random.Random(7)
    folder = work / "reports"
    folder.mkdir()
    names = []
    for index in range(1000):
        path = folder / f"r{index:04d}.json"
        path.write_text(json.dumps(report(base, index, rng, rng.randint(0, 12))), "utf-8")
        names.append(str(path))
    (work / "list.txt").write_text("\n".join(names) + "\n", "utf-8")
    total = sum(p.stat().st_size for p in folder.iterdir())
    args = ["aggregate", "@list.txt", "--format", "table", "--output", "t.txt", "--format",
            "csv", "--output", "c.csv", "--format", "html", "--output", "d.html"]  # fmt: skip
    best = min((measure(args, work) for _ in range(3)), key=lambda r: r["wall"])
    print(
        f"1,000 reports ({total / 1e6:.1f} MB) -> table + CSV + HTML "
        f"({(work / 'd.html').stat().st_size / 1e6:.1f} MB): "
        f"{best['seconds']:.2f} s in kigate, {best['wall']:.2f} s wall incl. interpreter start, "
        f"peak RSS {best['peak_mib']:.0f} MiB (targets: 2 s, 200 MB; exit {best['code']})"
    )


def make_repositories(work: Path, count: int) -> None:
    org = work / "org"
    for index in range(count):
        repo = org / f"repo{index:02d}"
        shutil.copytree(EXAMPLES / ("complete", "incomplete", "no-ai")[index % 3], repo)
        for extra in range(40):  # a little code, so there is something to list and scan
            (repo / f"module_{extra}.py").write_text(f"import os\nVALUE = {extra}\n", "utf-8")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
            subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo,
                           env=GIT_ENV, check=True)  # fmt: skip


def parallel(work: Path) -> None:
    make_repositories(work, 50)
    timings = {}
    for jobs in (1, 2):
        runs = [measure(["aggregate", "-r", "org", "--jobs", str(jobs), "--format", "csv",
                         "--output", f"j{jobs}.csv"], work) for _ in range(3)]  # fmt: skip
        timings[jobs] = min(r["seconds"] for r in runs)
    print(
        f"50 repositories: --jobs 1 {timings[1]:.2f} s, --jobs 2 {timings[2]:.2f} s, "
        f"speed-up {timings[1] / timings[2]:.2f}x on {os.cpu_count()} CPUs "
        f"(load average {os.getloadavg()[0]:.1f}: other work on the machine shrinks it)"
    )


def gigantic(work: Path, base: dict[str, Any]) -> None:
    rng = random.Random(11)
    doc = report(base, 0, rng, 0)
    one = json.dumps(base["findings"][1])
    count = 50_000_000 // (len(one) + 4)
    doc["findings"] = [base["findings"][1]] * count
    doc["summary"]["errors"] = count
    path = work / "huge.json"
    path.write_text(json.dumps(doc, indent=2), "utf-8")
    size = path.stat().st_size
    result = measure(["aggregate", "huge.json", "--format", "html", "--output", "h.html"], work)
    print(
        f"one {size / 1e6:.0f} MB report ({count:,} findings) -> HTML: {result['seconds']:.2f} s, "
        f"peak RSS {result['peak_mib']:.0f} MiB (exit {result['code']})"
    )


def main() -> int:
    base = template()
    with tempfile.TemporaryDirectory(prefix="kigate-bench-") as tmp:
        work = Path(tmp)
        many_reports(work, base)
        parallel(work)
        gigantic(work, base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
