"""The finer scope of a use: test, example, docs or benchmark, from folders, file names and
dependency group names. Data beside the product/development split, so a governance view can
tell a product's AI from a test fixture's."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kigate.detect.literals import Lazy
from kigate.model import Evidence

TEST, EXAMPLE, DOCS, BENCHMARK = "test", "example", "docs", "benchmark"
USAGES = (TEST, EXAMPLE, DOCS, BENCHMARK)

_FOLDERS = {
    **dict.fromkeys(
        ("test", "tests", "testing", "__tests__", "spec", "specs", "e2e", "testdata",
         "test-data", "test_data", "fixtures", "__fixtures__", "__mocks__", "integration-tests",
         "integration_tests", "unittests", "unit_tests"),
        TEST,
    ),
    **dict.fromkeys(
        ("example", "examples", "sample", "samples", "demo", "demos", "cookbook", "cookbooks",
         "tutorial", "tutorials", "playground", "playgrounds"),
        EXAMPLE,
    ),
    **dict.fromkeys(("doc", "docs", "documentation", "docs_src", "docs-src"), DOCS),
    **dict.fromkeys(("bench", "benches", "benchmark", "benchmarks"), BENCHMARK),
}  # fmt: skip
_TEST_FILE = Lazy(
    r"^(?:test_.*\.py|.*_test\.(?:py|go|rs|rb|exs?)|.*_spec\.rb|conftest\.py"
    r"|.*\.(?:test|spec)\.[cm]?[jt]sx?|.*Tests?\.(?:java|kt|cs|fs|swift|php))$"
)
# Dependency group names (extras, PEP 735 groups, Poetry groups, Gemfile groups).
_GROUP_WORDS = {
    **dict.fromkeys(("test", "tests", "testing", "pytest", "spec", "e2e"), TEST),
    **dict.fromkeys(("doc", "docs", "documentation", "sphinx", "mkdocs"), DOCS),
    **dict.fromkeys(("example", "examples", "demo", "demos", "sample", "samples"), EXAMPLE),
    **dict.fromkeys(("bench", "benchmark", "benchmarks", "perf"), BENCHMARK),
}


def of_path(path: str) -> str | None:
    """The usage a file's place implies; the folder nearest the root decides."""
    parts = path.split("/")
    for folder in parts[:-1]:
        found = _FOLDERS.get(folder.lower())
        if found is not None:
            return found
    return TEST if _TEST_FILE.match(parts[-1]) else None


def of_group(name: str) -> str | None:
    """The usage a dependency group's name implies (``test``, ``docs-build``, ``:test``)."""
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    found = {_GROUP_WORDS[w] for w in words if w in _GROUP_WORDS}
    return found.pop() if len(found) == 1 else None


def of_evidence(evidence: Evidence) -> str | None:
    return evidence.usage if evidence.usage is not None else of_path(evidence.path)


def combine(evidence: Iterable[Evidence]) -> str | None:
    """One usage for a component: None as soon as one use is the software's own; if the
    uses are of several kinds, the first in USAGES order (a test counts least)."""
    kinds = set()
    for item in evidence:
        kind = of_evidence(item)
        if kind is None:
            return None
        kinds.add(kind)
    if not kinds:
        return None
    for kind in (EXAMPLE, BENCHMARK, DOCS, TEST):
        if kind in kinds:
            return kind
    return None
