"""How the benchmarks time a command: a fresh process per run, wall time and its own peak
RSS (``wait4``), and two commands taking turns so their ratio survives a drifting machine."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


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


@dataclass(frozen=True)
class Spread:
    """Wall seconds of several runs (min, median, max) and the largest peak RSS."""

    low: float
    mid: float
    high: float
    rss_mib: float

    @classmethod
    def of(cls, runs: Sequence[Run]) -> Spread:
        seconds = sorted(r.seconds for r in runs)
        return cls(
            seconds[0], statistics.median(seconds), seconds[-1], max(r.rss_mib for r in runs)
        )

    def ms(self) -> str:
        return f"{self.low * 1000:.0f} / {self.mid * 1000:.0f} / {self.high * 1000:.0f} ms"

    def s(self) -> str:
        return f"{self.low:.2f} / {self.mid:.2f} / {self.high:.2f} s"


@dataclass(frozen=True)
class Figure:
    """One target: kigate (A) and its baseline (B) from the same runs, paired."""

    name: str
    kigate: Spread
    baseline: Spread | None
    ratio: float | None  # median of the pairwise ratios A/B
    baseline_name: str = ""


def median(runs: Sequence[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.rss_mib for r in runs),
        runs[-1].code,
    )


def paired(
    name: str,
    a: Sequence[str],
    b: Sequence[str] | None,
    root: Path,
    repeat: int,
    env: dict[str, str],
    before: Callable[[int], None] = lambda _i: None,
    baseline_name: str = "",
) -> Figure:
    """A and B in turn, ``before(i)`` ahead of each A (not timed)."""
    runs_a: list[Run] = []
    runs_b: list[Run] = []
    for index in range(repeat):
        before(index)
        runs_a.append(measure(a, root, env))
        if b is not None:
            runs_b.append(measure(b, root, env))
    if b is None:
        return Figure(name, Spread.of(runs_a), None, None)
    ratio = statistics.median(x.seconds / y.seconds for x, y in zip(runs_a, runs_b, strict=True))
    return Figure(name, Spread.of(runs_a), Spread.of(runs_b), ratio, baseline_name)


def kigate(*args: str) -> list[str]:
    script = BIN / "kigate"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "kigate", *args]
