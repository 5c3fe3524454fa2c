"""The substance rules (KG112 echo/questions, KG114 copies, KG118/KG119 topics) on huge answers.

    .venv/bin/python benchmarks/verdict.py [--sizes 10000 100000 1000000] [--repeat 3]

For each size, a manifest with one statement of that many bytes of varied prose (the others
a paragraph each)
(German and English words, deterministic) is parsed and checked in-process with the default
policy; the table prints the median time of the rules alone. Similarity and term matching look
at a bounded window of each text and cap shingles, so the time must stay flat once the window
is full: a 1 MB answer must not take seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kigate import manifest, policy
from kigate.rules.base import Context
from kigate.rules.run import apply
from kigate.rules.wording import content_words, words

_WORD_TEXT = (
    "energie strom modell daten nutzer schulung team review risiko fairness transparenz "
    "the model is small and we measure energy per request with care for every group of people "
    "Beschäftigte Rückmeldung Kanal Betriebsrat Modellgröße Rechenzeit Überprüfung quartalsweise"
)
WORDS = _WORD_TEXT.split(" ")


def statement(size: int, seed: int) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        out.append(word)
        length += len(word) + 1
    return " ".join(out)[:size].replace('"', "")


def manifest_text(size: int, rules_policy: policy.Policy) -> str:
    parts = ['kigate = 1\n[system]\nname = "x"\nowner = "o"\nlast_reviewed = 2026-11-01\n']
    for index, aspect in enumerate(rules_policy.aspects):
        # one huge answer, the others a paragraph: the manifest stays below its 1 MiB limit
        length = size if index == 0 else 600
        parts.append(
            f'[aspects.{aspect.id}]\nstatus = "implemented"\nmeasures = ["m"]\n'
            f'owner = "o"\nstatement = "{statement(length, index)}"\n'
        )
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules_policy = policy.load()
    print(f"{'answer bytes':>12}  {'rules ms (median)':>17}")
    for size in args.sizes:
        data = manifest_text(size, rules_policy).encode("utf-8")
        parsed = manifest.parse("ai-values.toml", data, rules_policy)
        assert parsed.valid, parsed.problems
        times = []
        for _ in range(args.repeat):
            words.cache_clear()
            content_words.cache_clear()
            ctx = Context(rules_policy, dt.date(2026, 12, 1), manifests=(parsed,))
            start = time.perf_counter()
            apply(ctx)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{size:>12}  {statistics.median(times):>17.1f}")


if __name__ == "__main__":
    main()
