"""Python requirement strings: names, PEP 503 normalisation, scope of a group, source lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kigate.detect.base import Context, capped, component
from kigate.detect.catalogue import normalize as catalogue_normalize
from kigate.detect.literals import Lazy
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 2 << 20
_NAME = Lazy(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_EGG = Lazy(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_WHEEL = Lazy(r"/([A-Za-z0-9][A-Za-z0-9._]*)-\d[^/]*\.(?:whl|tar\.gz|zip)$")
# Group, extra and file-name words that mean "only used to build, test or document it".
DEV_WORDS = frozenset(
    {
        "dev",
        "devel",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "linting",
        "docs",
        "doc",
        "typing",
        "type",
        "types",
        "mypy",
        "qa",
        "ci",
        "check",
        "checks",
        "style",
        "format",
        "pre-commit",
        "bench",
        "benchmark",
        "benchmarks",
    }
)


def normalize(name: str) -> str:
    """PEP 503: runs of -, _ and . become one -, lower case (the catalogue's one rule)."""
    return catalogue_normalize("pypi", name)


def requirement_name(spec: str) -> str | None:
    """The project name of a requirement line or string (PEP 508, URLs, ``#egg=``)."""
    spec = spec.strip()
    egg = _EGG.search(spec)
    if egg:
        return normalize(egg.group(1))
    if "://" in spec.split("@", 1)[0] or spec.startswith(("git+", "hg+", "svn+", "bzr+")):
        wheel = _WHEEL.search(spec.split("#", 1)[0])
        return normalize(wheel.group(1)) if wheel else None
    if spec.startswith((".", "/", "~")):
        return None
    m = _NAME.match(spec)
    return normalize(m.group(1)) if m else None


def group_scope(group: str) -> Scope:
    words = {normalize(w) for w in re.split(r"[-_.\s]+", group.lower()) if w}
    return (
        Scope.DEVELOPMENT if words & DEV_WORDS or normalize(group) in DEV_WORDS else Scope.PRODUCT
    )


@dataclass(frozen=True)
class Spec:
    """One requirement found in a file, before it is matched against the catalogue."""

    text: str
    line: int | None
    scope: Scope
    usage: str | None = None  # test, docs, ... when the group's name says so


def known(ctx: Context, spec: str) -> bool:
    """Whether ``spec`` names a catalogued package: worth looking up its line for."""
    name = requirement_name(spec)
    return name is not None and ctx.catalogue.match("pypi", name) is not None


def match(ctx: Context, path: str, specs: Iterator[Spec]) -> Iterator[Component]:
    for spec in capped(specs):
        name = requirement_name(spec.text)
        if name is None:
            continue
        rule = ctx.catalogue.match("pypi", name)
        if rule is not None:
            evidence = Evidence(path, spec.line, name, "dependency", spec.usage)
            yield component("pypi", name, rule, spec.scope, evidence)


class Lines:
    """Finds the source line of a name in a manifest without a position-aware parser."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, int | None] = {}

    def of(self, name: str) -> int | None:
        """Line of the first ``name`` that starts a line (a key) or a quoted string."""
        if name not in self.found:
            parts = [re.escape(p) for p in re.split(r"[-_.]+", name) if p]
            pattern = re.compile(
                r"(?:^[ \t]*|[\"'\-][ \t]*)" + "[-_.]+".join(parts) + r"(?![\w-])",
                re.IGNORECASE | re.MULTILINE,
            )
            hit = pattern.search(self.text) if parts else None
            self.found[name] = self.text.count("\n", 0, hit.start()) + 1 if hit else None
        return self.found[name]
