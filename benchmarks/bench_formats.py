"""How long each output format takes for a large report, and how big the output is.

Run: .venv/bin/python benchmarks/bench_formats.py [FINDINGS ...]   (default: 100 1000 10000)

The report is synthetic (no git, no detection), so the figures are the renderers' own cost.
Each figure is the best of five runs.
"""

from __future__ import annotations

import sys
import time

from kigate.formats import FORMAT_NAMES, RenderOptions, renderer
from kigate.model import (
    AspectResult,
    AspectStatus,
    Component,
    Evidence,
    Finding,
    RepoInfo,
    Report,
    Scope,
    Severity,
    Text,
)

ASPECT_IDS = ("values", "risks", "non_discrimination", "competencies", "participation",
              "transparency", "sustainability", "commitment")  # fmt: skip
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def synthetic(findings: int) -> Report:
    aspects = tuple(
        AspectResult(a, Text(a.title(), a.title()), list(AspectStatus)[i % 4])
        for i, a in enumerate(ASPECT_IDS)
    )
    components = tuple(
        Component(
            f"pypi:package-{i}", f"package-{i}", "pypi", "llm-api", Scope.PRODUCT,
            (Evidence(f"services/svc{i % 50}/requirements.txt", i % 40 + 1, f"package-{i}",
                      "dependency"),),
        )
        for i in range(max(1, findings // 10))
    )  # fmt: skip
    items = tuple(
        Finding(
            "KG140", SEVERITIES[i % 3],
            Text(f"AI component pypi:package-{i} is not declared in ai-values.toml",
                 f"KI-Komponente pypi:package-{i} ist nicht in ai-values.toml deklariert"),
            path=f"services/svc{i % 50}/requirements.txt", line=i % 400 + 1,
            aspect=ASPECT_IDS[i % 8] if i % 3 else None, component=f"pypi:package-{i}",
        )
        for i in range(findings)
    )  # fmt: skip
    return Report(
        tool_version="bench",
        repo=RepoInfo("bench", ".", True, "https://github.com/example/bench.git", "0" * 40,
                      "main", False, ""),
        policy_id="demokratische-ki",
        policy_version="2026.1",
        generated_at="2026-11-30T05:00:00Z",
        components=components,
        manifests=(),
        aspects=aspects,
        findings=items,
    )  # fmt: skip


def best_of(runs: int, func, *args) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(runs):
        start = time.perf_counter()
        out = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, out


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [100, 1000, 10000]
    options = RenderOptions(lang="en")
    print(f"{'format':<10} {'findings':>8} {'ms':>9} {'output KiB':>11}")
    for size in sizes:
        report = synthetic(size)
        for name in FORMAT_NAMES:
            seconds, out = best_of(5, renderer(name), report, options)
            print(f"{name:<10} {size:>8} {seconds * 1000:>9.1f} {len(out.encode()) / 1024:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
