"""Go dependencies: ``require`` lines and blocks of go.mod."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kigate.detect.base import Context, Interest, component, decode
from kigate.detect.catalogue import Catalogue, Rule
from kigate.detect.literals import Lazy
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 2 << 20
_REQUIRE_ONE = Lazy(r"^\s*require\s+(\S+)\s+\S+")
_BLOCK_ITEM = Lazy(r"^\s*([^\s/()]\S*)\s+v\S+")


def module_match(catalogue: Catalogue, import_path: str) -> tuple[str, Rule] | None:
    """The catalogue's module for an import or module path: the path itself or the longest
    catalogue name it lies under (``github.com/x/y/v2/sub`` belongs to ``github.com/x/y``)."""
    parts = import_path.split("/")
    for end in range(len(parts), 0, -1):
        candidate = "/".join(parts[:end])
        rule = catalogue.match("golang", candidate)
        if rule is not None:
            return candidate, rule
    return None


class GoDependencies:
    name = "go-dependencies"

    def interest(self, ctx: Context) -> Interest:
        return Interest(names=frozenset({"go.mod"}))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base == "go.mod" else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            return []
        found = []
        in_block = False
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.split("//", 1)[0]
            if re.match(r"^\s*require\s*\(", code):
                in_block = True
                continue
            if in_block and code.strip() == ")":
                in_block = False
                continue
            item = _BLOCK_ITEM.match(code) if in_block else _REQUIRE_ONE.match(code)
            if item is None:
                continue
            hit = module_match(ctx.catalogue, item.group(1))
            if hit is not None:
                name, rule = hit
                evidence = Evidence(path, number, item.group(1), "dependency")
                found.append(component("golang", name, rule, Scope.PRODUCT, evidence))
        return found


DETECTOR = GoDependencies()
