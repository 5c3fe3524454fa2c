"""Gradle version catalogs: ``gradle/libs.versions.toml`` names libraries (``module =`` or
``group``/``name``, or a "group:name:version" string) and bundles; build files use them as
``libs.x.y`` / ``libs.bundles.z``. A catalogued AI library is reported with the catalog line
and every build-file line that uses it, scoped by the configuration that uses it.

References and catalogs meet only after all files were seen: a Finisher (never cached), run
on the few catalog and build files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kigate import i18n
from kigate._toml import loads, tomllib
from kigate.detect import usage
from kigate.detect.base import Context, Interest, capped, decode, dependency
from kigate.detect.jvm_deps import gradle_scope, gradle_usage
from kigate.detect.literals import Lazy
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 2 << 20
STATE = "gradle-catalog"
_BUILD = frozenset({"build.gradle", "build.gradle.kts"})
_REFERENCE = Lazy(
    r"^\s*(\w+)\s*\(?\s*(?:(?:platform|enforcedPlatform|testFixtures)\s*\(\s*)?"
    r"(\w+)\.((?:bundles\.)?[\w.]+?)(?:\.get\(\))?\s*[),]?\s*(?:\{|$|\))"
)


@dataclass
class _Collected:
    # catalog accessor name -> alias accessor -> (coordinates, path, line)
    libraries: dict[str, dict[str, tuple[str, str, int | None]]] = field(default_factory=dict)
    bundles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # (path, line, configuration, catalog, accessor)
    references: list[tuple[str, int, str, str, str]] = field(default_factory=list)


def accessor(alias: str) -> str:
    """``langchain4j-open_ai`` -> ``langchain4j.open.ai``, as Gradle generates accessors."""
    return re.sub(r"[-_.]+", ".", alias).lower()


def _collected(ctx: Context) -> _Collected:
    found = ctx.state.get(STATE)
    if not isinstance(found, _Collected):
        found = ctx.state[STATE] = _Collected()
    return found


class GradleCatalog:
    name = "gradle-catalog"

    def interest(self, ctx: Context) -> Interest:
        return Interest(extensions=frozenset({".toml"}), names=_BUILD)

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base.endswith(".versions.toml") or base in _BUILD else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        base = path.rsplit("/", 1)[-1]
        if base in _BUILD:
            text = data.decode("utf-8", "replace") if len(data) <= MAX_BYTES else ""
            self._references(ctx, path, text)  # problems are the JVM detector's to report
            return []
        decoded = decode(ctx, path, data, MAX_BYTES)
        if decoded is not None:
            self._catalog(ctx, path, base[: -len(".versions.toml")], decoded)
        return []

    def _references(self, ctx: Context, path: str, text: str) -> None:
        refs = _collected(ctx).references
        for number, line in enumerate(text.splitlines(), start=1):
            if "." not in line:
                continue
            item = _REFERENCE.match(line.split("//", 1)[0])
            if item is not None:
                configuration, catalog, name = item.groups()
                refs.append((path, number, configuration, catalog, name.lower()))
            if len(refs) > 100_000:
                return

    def _catalog(self, ctx: Context, path: str, name: str, text: str) -> None:
        try:
            doc = loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            at = re.search(r"\(at line (\d+)", str(exc))
            line = int(at.group(1)) if at else None
            ctx.problem(path, i18n.t("detection.bad_version_catalog", detail=str(exc)), line)
            return
        got = _collected(ctx)
        libraries = got.libraries.setdefault(name, {})
        table = doc.get("libraries")
        for alias, spec in table.items() if isinstance(table, dict) else ():
            coordinates = _coordinates(spec)
            if coordinates is not None:
                libraries[accessor(alias)] = (coordinates, path, _line(text, alias))
        bundles = got.bundles.setdefault(name, {})
        table = doc.get("bundles")
        for alias, members in table.items() if isinstance(table, dict) else ():
            if isinstance(members, list):
                bundles[accessor(alias)] = [accessor(m) for m in members if isinstance(m, str)]

    def finish(self, ctx: Context) -> Iterable[Component]:
        got = _collected(ctx)
        used: dict[tuple[str, str], list[tuple[str, int, str, str]]] = {}
        for path, line, configuration, catalog, name in got.references:
            if catalog not in got.libraries:
                continue
            members = [name]
            if name.startswith("bundles."):
                members = got.bundles.get(catalog, {}).get(name[len("bundles.") :], [])
            for member in members:
                written = f"{catalog}.{name}"
                used.setdefault((catalog, member), []).append((path, line, configuration, written))
        return list(_components(ctx, got, used))


def _components(
    ctx: Context, got: _Collected, used: dict[tuple[str, str], list[tuple[str, int, str, str]]]
) -> Iterator[Component]:
    for catalog, libraries in got.libraries.items():
        for alias, (coordinates, path, line) in libraries.items():
            refs = used.get((catalog, alias), [])
            scopes = [gradle_scope(c) for _, _, c, _ in refs] or [Scope.PRODUCT]
            scope = Scope.PRODUCT if Scope.PRODUCT in scopes else Scope.DEVELOPMENT
            usages = {gradle_usage(c) for _, _, c, _ in refs}
            declared = usages.pop() if len(usages) == 1 else None
            comp = dependency(ctx, "maven", coordinates, path, line, scope, usage=declared)
            if comp is None:
                continue
            yield comp
            for ref_path, ref_line, configuration, written in capped(refs):
                evidence = Evidence(
                    ref_path, ref_line, written, "dependency",
                    usage.TEST if gradle_usage(configuration) else None,
                )  # fmt: skip
                yield Component(
                    comp.id, comp.name, comp.ecosystem, comp.category,
                    gradle_scope(configuration), (evidence,),
                )  # fmt: skip


def _coordinates(spec: object) -> str | None:
    if isinstance(spec, str):
        parts = spec.split(":")
        return f"{parts[0]}:{parts[1]}" if len(parts) >= 2 else None
    if not isinstance(spec, dict):
        return None
    module = spec.get("module")
    if isinstance(module, str) and ":" in module:
        return module
    group, name = spec.get("group"), spec.get("name")
    if isinstance(group, str) and isinstance(name, str):
        return f"{group}:{name}"
    return None


def _line(text: str, alias: str) -> int | None:
    found = re.search(rf"(?m)^\s*[\"']?{re.escape(alias)}[\"']?\s*=", text)
    return text.count("\n", 0, found.start()) + 1 if found else None


DETECTOR = GradleCatalog()
