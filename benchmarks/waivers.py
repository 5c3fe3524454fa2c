"""Matching findings against many waivers must grow with findings plus waivers, not with
their product (a manifest may hold ten thousand waivers; issue 15 found 15 s for 14,000).

    .venv/bin/python benchmarks/waivers.py [--waivers 1000 4000 8000] [--findings 2000]
                                           [--repeat 3]

For each count, a manifest of that many waivers of ONE rule (the case grouping by rule
alone cannot help) is parsed, and ``--findings`` findings of that rule are matched against
it, in-process: once with waivers naming exact paths, once with path globs that match
nothing. The table prints the median milliseconds. Both columns may grow with the waivers
(the buckets are built once), never with waivers x findings: matched one waiver after the
other, 4,000 glob waivers took 2.6 s against 2,000 findings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kigate import manifest, policy
from kigate.model import Finding, Severity, Text
from kigate.rules.waivers import apply_waivers

TODAY = dt.date(2026, 12, 1)


def waivers_text(count: int, glob: bool) -> str:
    path = "src/*/never{n}.py" if glob else "src/f{n}.py"
    return "kigate = 1\n" + "".join(
        f'[[waivers]]\nrule = "KG140"\npath = "{path.format(n=n)}"\n'
        f'reason = "vendored, reviewed"\nexpires = 2099-01-01\n'
        for n in range(count)
    )


def timed(parsed: manifest.Manifest, findings: list[Finding], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        apply_waivers(findings, [parsed], TODAY)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--waivers", type=int, nargs="+", default=[1_000, 4_000, 8_000])
    parser.add_argument("--findings", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules_policy = policy.load()
    findings = [
        Finding("KG140", Severity.WARNING, Text.same("x"), f"src/f{n * 2}.py", 1)
        for n in range(args.findings)
    ]
    print(f"{args.findings:,} findings of one rule against waivers of that rule (median ms)")
    print(f"{'waivers':>8}  {'exact paths':>12}  {'globs':>10}")
    for count in args.waivers:
        row = []
        for glob in (False, True):
            parsed = manifest.parse(
                "ai-values.toml", waivers_text(count, glob).encode(), rules_policy
            )
            if not parsed.valid or len(parsed.waivers) != count:
                sys.exit(f"{count} waivers do not fit in one manifest: {parsed.problems[:1]}")
            row.append(timed(parsed, findings, args.repeat))
        exact, globs = row
        print(f"{count:>8}  {exact:>12.1f}  {globs:>10.1f}")


if __name__ == "__main__":
    main()
