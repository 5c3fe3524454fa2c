"""Dependencies of Swift (``Package.swift``), R (``DESCRIPTION``) and Julia
(``Project.toml``): read as text and TOML, never evaluated."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from kigate.detect.base import Context, Interest, capped, decode, dependency, line_at, toml_document
from kigate.detect.literals import Lazy
from kigate.model import Component, Scope

MAX_BYTES = 1 << 20
# .product(name: "MLX", package: "mlx-swift") and .package(url: ".../OpenAI.git", ...)
_SWIFT_PRODUCT = Lazy(r"""\.product\(\s*name:\s*"([\w.-]+)\"""")
_SWIFT_PACKAGE = Lazy(
    r"""\.package\(\s*(?:name:\s*"[^"]*",\s*)?url:\s*"[^"]*/([\w.-]+?)(?:\.git)?/?\""""
)
# DESCRIPTION fields, with continuation lines indented.
_R_FIELD = Lazy(r"^(Depends|Imports|LinkingTo|Suggests|Enhances):(.*(?:\n[ \t]+.*)*)", re.MULTILINE)
_R_PACKAGE = Lazy(r"([A-Za-z][A-Za-z0-9.]*)\s*(?:\([^)]*\))?\s*(?:,|$)")

Scanner = Callable[[Context, str, str], Iterator[Component | None]]


def _swift(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    for pattern in (_SWIFT_PRODUCT, _SWIFT_PACKAGE):
        for hit in capped(pattern.finditer(text)):
            line = text[text.rfind("\n", 0, hit.start()) + 1 : hit.start()]
            if "//" in line:
                continue
            yield dependency(
                ctx, "swift", hit.group(1), path, line_at(text, hit.start()), Scope.PRODUCT
            )


def _r_description(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    for field in capped(_R_FIELD.finditer(text)):
        scope = Scope.DEVELOPMENT if field.group(1) in ("Suggests", "Enhances") else Scope.PRODUCT
        for item in capped(_R_PACKAGE.finditer(field.group(2))):
            line = line_at(text, field.start(2) + item.start(1))
            yield dependency(ctx, "cran", item.group(1), path, line, scope)


def _julia(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    doc = toml_document(ctx, path, text)
    if doc is None:
        return
    for table, scope in (
        ("deps", Scope.PRODUCT),
        ("weakdeps", Scope.PRODUCT),
        ("extras", Scope.DEVELOPMENT),
    ):
        names = doc.get(table)
        for name in names if isinstance(names, dict) else ():
            found = re.search(rf"(?m)^\s*{re.escape(name)}\s*=", text)
            line = line_at(text, found.start()) if found else None
            yield dependency(ctx, "julia", name, path, line, scope)


_SCANNERS: dict[str, Scanner] = {
    "Package.swift": _swift,
    "DESCRIPTION": _r_description,
    "Project.toml": _julia,
}


class MoreDependencies:
    name = "more-dependencies"

    def interest(self, ctx: Context) -> Interest:
        return Interest(names=frozenset(_SCANNERS))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base in _SCANNERS else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            return []
        scanner = _SCANNERS[path.rsplit("/", 1)[-1]]
        return [c for c in scanner(ctx, path, text) if c is not None]


DETECTOR = MoreDependencies()
