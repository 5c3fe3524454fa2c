"""Governance view performance: prints figures, asserts nothing.

1. 1,000 and 10,000 generated JSON reports into table + CSV + HTML (time, peak memory;
   targets: 2 s and 200 MB, 10 s and 300 MB), the dashboard's size and how long headless
   Chromium takes to load it and to apply a filter (when playwright and chromium are there).
2. PostgreSQL ingest: reports per second into a shared history, one transaction of 10,000,
   single-report runs, and 8 writers at once (a throwaway server as the tests start one, or
   KIGATE_TEST_POSTGRES).
3. 50 generated git repositories checked with --jobs 1 and --jobs 2 (speed-up).
4. One gigantic report (about 50 MB) read and aggregated (time, peak memory).

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
sys.path.insert(0, str(ROOT))  # the tests' throwaway PostgreSQL server
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
        remote_url=f"https://github.com/example-org/service-{index:04d}.git",
    )
    doc["manifests"][0].update(
        owner=f"team-{index % 40:02d}@example.org",
        risk_class=("minimal", "limited", "high", "limited")[index % 4],
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


def many_reports(work: Path, base: dict[str, Any], count: int, targets: str) -> Path:
    rng = random.Random(7)
    folder = work / f"reports{count}"
    folder.mkdir()
    names = []
    for index in range(count):
        path = folder / f"r{index:05d}.json"
        path.write_text(json.dumps(report(base, index, rng, rng.randint(0, 12))), "utf-8")
        names.append(str(path))
    (work / f"list{count}.txt").write_text("\n".join(names) + "\n", "utf-8")
    total = sum(p.stat().st_size for p in folder.iterdir())
    html = work / f"d{count}.html"
    args = [
        "aggregate", f"@list{count}.txt", "--format", "table", "--output", "t.txt", "--format",
        "csv", "--output", "c.csv", "--format", "html", "--output", html.name,
    ]  # fmt: skip
    best = min((measure(args, work) for _ in range(3)), key=lambda r: r["wall"])
    print(
        f"{count:,} reports ({total / 1e6:.1f} MB) -> table + CSV + HTML "
        f"({html.stat().st_size / 1e6:.1f} MB): "
        f"{best['seconds']:.2f} s in kigate, {best['wall']:.2f} s wall incl. interpreter start, "
        f"peak RSS {best['peak_mib']:.0f} MiB (targets: {targets}; exit {best['code']})"
    )
    return html


def browser_load(html: Path) -> None:
    """How long Chromium takes to show the dashboard and to filter its table."""
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("dashboard in Chromium: skipped (playwright is not installed)")
        return
    if not chromium.exists():
        print("dashboard in Chromium: skipped (no /usr/bin/chromium)")
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load")
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        page.select_option("#filter-risk", "high")
        shown = page.locator("#shown-count").inner_text()
        filtered = time.perf_counter() - start
        start = time.perf_counter()
        page.locator("#repositories th[data-key='score'] button").click()
        page.locator("#repositories tr.repo").first.inner_text()
        sorted_in = time.perf_counter() - start
        browser.close()
    print(
        f"dashboard of {html.stat().st_size / 1e6:.1f} MB in Chromium: loaded in {loaded:.2f} s, "
        f"risk filter ({shown} rows left) {filtered:.2f} s, sort by score {sorted_in:.2f} s"
    )


INGEST = """
import json, sys, time
from kigate.aggregate import reader, store
from kigate.aggregate.model import Aggregate
url, worker, count, template = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
base = json.load(open(template))
for index in range(count):
    base["repository"].update(root_name=f"w{worker}-{index}", commit=f"{worker:08x}{index:032x}")
    row = reader.row(base, "r.json", "report")
    store.save(url, Aggregate("0", "2026-05-01T10:00:00Z", (), (row,), ()))
"""


def postgres_ingest(work: Path, base: dict[str, Any]) -> None:
    try:
        from kigate.aggregate import reader, store
        from kigate.aggregate.model import Aggregate
        from tests.aggregate_support import fresh_database, postgres_server

        server = postgres_server()
    except Exception as exc:  # psycopg missing, no server could be started
        print(f"PostgreSQL ingest: skipped ({type(exc).__name__}: {exc})")
        return
    if server is None:
        print("PostgreSQL ingest: skipped (no server; set KIGATE_TEST_POSTGRES)")
        return
    rng = random.Random(5)
    rows = tuple(
        reader.row(report(base, index, rng, 2), f"r{index}.json", "report")
        for index in range(10_000)
    )
    url = fresh_database(server)
    start = time.perf_counter()
    store.save(url, Aggregate("0", "2026-05-01T10:00:00Z", (), rows, ()))
    batch = time.perf_counter() - start
    start = time.perf_counter()
    for row in rows[:300]:  # a pipeline re-reporting a known commit: idempotent upserts
        store.save(url, Aggregate("0", "2026-06-01T10:00:00Z", (), (row,), ()))
    single = time.perf_counter() - start
    template_file = work / "ingest-template.json"
    template_file.write_text(json.dumps(base), "utf-8")
    concurrent_url = fresh_database(server)
    start = time.perf_counter()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", INGEST, concurrent_url, str(w), "100", str(template_file)]
        )
        for w in range(8)
    ]
    codes = [w.wait() for w in writers]
    parallel = time.perf_counter() - start
    stored = len(store.points(concurrent_url))
    print(
        f"PostgreSQL ingest: 10,000 reports in one run {batch:.1f} s "
        f"({10_000 / batch:,.0f} reports/s); 300 single-report runs {single:.1f} s "
        f"({300 / single:,.0f} runs/s, a connection each); 8 writers x 100 runs at once "
        f"{parallel:.1f} s ({800 / parallel:,.0f} runs/s, {stored} points stored, exit codes "
        f"{sorted(set(codes))})"
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
        many_reports(work, base, 1000, "2 s, 200 MB")
        html = many_reports(work, base, 10_000, "10 s, 300 MB")
        browser_load(html)
        postgres_ingest(work, base)
        parallel(work)
        gigantic(work, base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
