"""Precision and recall of detection over the fixture repositories in tests/fixtures/repos.

    python benchmarks/accuracy.py [--verbose]

A true positive is an expected component id that was reported; a false positive a reported
id that was not expected (every id in a near-miss repository is one); a false negative an
expected id that was missed. Scopes are compared too and reported separately, and where a case
names its evidence lines (tests/fixtures/repos/breadth.py), the share of them found.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kigate import engine, policy
from kigate.detect import detect
from kigate.model import Component
from kigate.worktree import WorkTree

Ev = tuple[str, int | None]
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "repos"
# The original fixture repositories and those of detection breadth (issue 12).
CASES_FILES = (FIXTURES / "cases.py", FIXTURES / "breadth.py")


def _cases() -> list[object]:
    cases: list[object] = []
    for index, file in enumerate(CASES_FILES):
        spec = importlib.util.spec_from_file_location(f"kigate_fixture_cases{index}", file)
        if spec is None or spec.loader is None:
            raise SystemExit(f"{file}: cannot load the fixture cases")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while being created
        spec.loader.exec_module(module)
        cases.extend(module.CASES)
    return cases


def _materialise(root: Path, files: dict[str, str | bytes], links: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for name, target in links.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)
    catalogue = engine.load_catalogue(policy.load())
    tp = fp = fn = scope_wrong = 0
    cited = cited_found = 0  # evidence (path, line) a reviewer would cite, where a case names it
    cases = _cases()
    with tempfile.TemporaryDirectory(prefix="kigate-accuracy-") as tmp:
        for index, case in enumerate(cases):
            root = Path(tmp) / f"case{index}"
            root.mkdir()
            links = getattr(case, "links", {})
            _materialise(root, case.files, links)  # type: ignore[attr-defined]
            components, _ = detect(WorkTree(root, use_git=False), catalogue)
            found = {c.id: c.scope.value for c in components}
            expected: dict[str, str] = case.expected  # type: ignore[attr-defined]
            hits = found.keys() & expected.keys()
            tp += len(hits)
            fp += len(found.keys() - expected.keys())
            fn += len(expected.keys() - found.keys())
            scope_wrong += sum(1 for i in hits if found[i] != expected[i])
            wanted, seen = _evidence(case, components)
            cited += len(wanted)
            cited_found += len(wanted & seen)
            if args.verbose:
                for path, line in sorted(wanted - seen, key=str):
                    print(f"evidence missed  {case.name}: {path}:{line}")  # type: ignore[attr-defined]
                for i in sorted(found.keys() - expected.keys()):
                    print(f"false alarm  {case.name}: {i}")  # type: ignore[attr-defined]
                for i in sorted(expected.keys() - found.keys()):
                    print(f"missed       {case.name}: {i}")  # type: ignore[attr-defined]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    ai = sum(1 for c in cases if c.expected)  # type: ignore[attr-defined]
    print(f"{len(cases)} repositories ({ai} with AI, {len(cases) - ai} without)")
    print(f"components expected {tp + fn}, found {tp + fp}, correct {tp}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  wrong scope {scope_wrong}")
    share = cited_found / cited if cited else 1.0
    print(f"evidence lines named {cited}, found {cited_found} ({share:.3f})")
    return 0


def _evidence(case: object, components: Sequence[Component]) -> tuple[set[Ev], set[Ev]]:
    """(path, line) pairs the case names as evidence, and those detection reported."""
    named = getattr(case, "components", {})
    wanted = {(p, line) for e in named.values() for p, line, _ in e.evidence}
    seen = {(e.path, e.line) for c in components for e in c.evidence}
    return wanted, seen


if __name__ == "__main__":
    raise SystemExit(main())
