"""Dependencies of Rust (Cargo.toml), .NET (*.csproj, packages.config,
Directory.Packages.props), Ruby (Gemfile) and PHP (composer.json)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kigate import _json, i18n
from kigate.detect import usage
from kigate.detect.base import (
    Context,
    Interest,
    capped,
    decode,
    dependency,
    extension,
    known,
    line_at,
    toml_document,
)
from kigate.detect.literals import Lazy
from kigate.model import Component, Scope

MAX_BYTES = 2 << 20
_NUGET = Lazy(
    r"""<(?:PackageReference|PackageVersion|package)\b[^>]*?\b(?:Include|Update|id)\s*=\s*["']([^"']+)["']""",
    re.IGNORECASE,
)
_GEM = Lazy(r"""^\s*gem\s*\(?\s*["']([^"']+)["']""")
_GEMSPEC = Lazy(r"""^\s*\w+\.add_(runtime_|development_)?dependency\s*\(?\s*["']([^"']+)["']""")
_GEM_GROUP = Lazy(r"^\s*group\s*\(?\s*(.+?)\s*\)?\s*do\b")
_CARGO_KINDS = (
    ("dependencies", Scope.PRODUCT),
    ("build-dependencies", Scope.DEVELOPMENT),
    ("dev-dependencies", Scope.DEVELOPMENT),
)

Scanner = Callable[[Context, str, str], Iterator[Component | None]]


def _cargo(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    doc = toml_document(ctx, path, text)
    if doc is None:
        return
    tables: list[tuple[Any, Scope]] = [(doc.get(k), s) for k, s in _CARGO_KINDS]
    workspace = doc.get("workspace")
    if isinstance(workspace, dict):
        tables.append((workspace.get("dependencies"), Scope.PRODUCT))
    targets = doc.get("target")
    for target in targets.values() if isinstance(targets, dict) else ():
        if isinstance(target, dict):
            tables.extend((target.get(k), s) for k, s in _CARGO_KINDS)
    for table, scope in tables:
        for key, spec in table.items() if isinstance(table, dict) else ():
            # ``alias = { package = "real-name" }`` depends on real-name.
            name = spec.get("package", key) if isinstance(spec, dict) else key
            if not known(ctx, "cargo", str(name)):
                continue
            line = _key_line(text, key)
            yield dependency(ctx, "cargo", str(name), path, line, scope)


def _key_line(text: str, key: str) -> int | None:
    found = re.search(rf"(?m)^\s*{re.escape(key)}\s*[=.]|\.{re.escape(key)}\]", text)
    return line_at(text, found.start()) if found else None


def _nuget(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    for item in capped(_NUGET.finditer(text)):
        line = line_at(text, item.start())
        yield dependency(ctx, "nuget", item.group(1), path, line, Scope.PRODUCT)


def _gemfile(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    dev_depth, depth = -1, 0
    used: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        group = _GEM_GROUP.match(code)
        if group:
            depth += 1
            if dev_depth < 0 and re.search(r":(development|test)\b", group.group(1)):
                dev_depth = depth
                used = usage.of_group(" ".join(re.findall(r":(\w+)", group.group(1))))
            continue
        if re.match(r"^\s*end\b", code) and depth:
            if dev_depth == depth:
                dev_depth, used = -1, None
            depth -= 1
            continue
        spec = _GEMSPEC.match(code)
        if spec:
            scope = Scope.DEVELOPMENT if spec.group(1) == "development_" else Scope.PRODUCT
            yield dependency(ctx, "gem", spec.group(2), path, number, scope)
            continue
        gem = _GEM.match(code)
        if gem:
            scope = Scope.DEVELOPMENT if dev_depth > 0 else Scope.PRODUCT
            yield dependency(ctx, "gem", gem.group(1), path, number, scope, usage=used)


def _composer(ctx: Context, path: str, text: str) -> Iterator[Component | None]:
    try:
        doc = _json.loads(text)
    except (ValueError, RecursionError) as exc:
        ctx.problem(path, i18n.t("detect.bad_json", detail=str(exc)[:200]))
        return
    if not isinstance(doc, dict):
        return
    for kind, scope in (("require", Scope.PRODUCT), ("require-dev", Scope.DEVELOPMENT)):
        table = doc.get(kind)
        for name in table if isinstance(table, dict) else ():
            if not known(ctx, "composer", str(name)):
                continue
            at = text.find(json.dumps(name), max(text.find(f'"{kind}"'), 0))
            line = line_at(text, at) if at >= 0 else None
            yield dependency(ctx, "composer", str(name), path, line, scope)


def _scanner(base: str) -> Scanner | None:
    if base == "Cargo.toml":
        return _cargo
    if base in ("packages.config", "Directory.Packages.props") or extension(base) in (
        ".csproj",
        ".fsproj",
        ".vbproj",
    ):
        return _nuget
    if base == "Gemfile" or extension(base) == ".gemspec":
        return _gemfile
    if base == "composer.json":
        return _composer
    return None


class OtherDependencies:
    name = "other-dependencies"

    def interest(self, ctx: Context) -> Interest:
        return Interest(
            extensions=frozenset({".csproj", ".fsproj", ".vbproj", ".gemspec"}),
            names=frozenset(
                {
                    "Cargo.toml",
                    "packages.config",
                    "Directory.Packages.props",
                    "Gemfile",
                    "composer.json",
                }
            ),
        )

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if _scanner(base) is not None else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        scanner = _scanner(path.rsplit("/", 1)[-1])
        text = decode(ctx, path, data, MAX_BYTES)
        if scanner is None or text is None:
            return []
        return [c for c in scanner(ctx, path, text) if c is not None]


DETECTOR = OtherDependencies()
