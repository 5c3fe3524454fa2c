"""Imports in source code: Python, JavaScript/TypeScript, Go, Java/Kotlin.

The patterns are built from the catalogue, so the regular-expression engine (in C) looks
only for imports of known AI packages; Python code runs only on the rare hits. Imports are
reported under the package that provides them (``import sklearn`` -> ``pypi:scikit-learn``),
so a manifest declares a component once, whether seen in a manifest or in code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from kigate.detect import go_deps
from kigate.detect.base import Context, Interest, capped, component, dependency, extension, line_at
from kigate.detect.import_patterns import Patterns, build
from kigate.detect.literals import Lazy, on_lines_with
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 4 << 20
PYTHON = frozenset({".py", ".pyw", ".pyi"})
JAVASCRIPT = frozenset(
    {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte"}
)
GO = frozenset({".go"})
JVM = frozenset({".java", ".kt", ".kts", ".scala", ".groovy"})
# Folders and files that only test, build or automate the software.
_DEV_DIRS = frozenset(
    {"test", "tests", "testing", "__tests__", "spec", "specs", "e2e", ".github", ".devcontainer"}
)
_DEV_FILE = Lazy(
    r"^(?:test_.*\.py|.*_test\.(?:py|go)|.*\.(?:test|spec)\.[cm]?[jt]sx?|.*Tests?\.(?:java|kt)"
    r"|\.gitlab-ci\.ya?ml|Jenkinsfile|conftest\.py)$"
)
_JS_CONTEXT = Lazy(rb"(?:\bfrom|\brequire\s*\(|\bimport\s*\(|^\s*import|\bimport)\s*$")
_BLOCK_OPEN = Lazy(rb"(?:^|(?<=[\s;{}()]))/\*", re.MULTILINE)
_COMMENT_START = Lazy(rb"(?:^\s*(?:\*|/\*)|(?:^|[\s;])//)")


def source_scope(path: str) -> Scope:
    cut = path.rfind("/")
    if (cut > 0 and _dev_folder(path[:cut])) or _DEV_FILE.match(path[cut + 1 :]):
        return Scope.DEVELOPMENT
    return Scope.PRODUCT


@functools.lru_cache(maxsize=4096)
def _dev_folder(folder: str) -> bool:
    # asked for every source file: a tree has far fewer folders than files
    return any(p.lower() in _DEV_DIRS for p in folder.split("/"))


def patterns(ctx: Context) -> Patterns:
    found = ctx.state.get("source-imports.patterns")
    if not isinstance(found, Patterns):
        found = build(ctx.catalogue)
        ctx.state["source-imports.patterns"] = found
    return found


def in_python_string(data: bytes, offset: int) -> bool:
    """True if ``offset`` lies inside a triple-quoted string (a docstring, usually)."""
    return (data.count(b'"""', 0, offset) + data.count(b"'''", 0, offset)) % 2 == 1


def in_block_comment(data: bytes, offset: int) -> bool:
    """True if a ``/*`` before ``offset`` has not been closed by a ``*/`` yet.

    Only a ``/*`` after a blank, a line start or ``;{}()`` opens a comment, so the glob in
    ``"src/**/*.js"`` does not hide what follows it. Runs on hits only, which are rare.
    """
    closed = data.rfind(b"*/", 0, offset)
    return _BLOCK_OPEN.search(data, closed + 2 if closed >= 0 else 0, offset) is not None


def _line_prefix(data: bytes, offset: int) -> bytes:
    return data[data.rfind(b"\n", 0, offset) + 1 : offset]


class SourceImports:
    name = "source-imports"

    def interest(self, ctx: Context) -> Interest:
        return Interest(extensions=PYTHON | JAVASCRIPT | GO | JVM)

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        ext = extension(base)
        if ext in PYTHON or ext in JAVASCRIPT or ext in GO or ext in JVM:
            return MAX_BYTES
        return None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if len(data) > MAX_BYTES or data.find(b"\0", 0, 8192) >= 0:
            return []  # the host detector reports size and binary problems for these files
        ext = extension(path.rsplit("/", 1)[-1])
        scope = source_scope(path)
        if ext in PYTHON:
            return list(python_imports(ctx, path, data, scope, "import"))
        if ext in JAVASCRIPT:
            return list(self._javascript(ctx, path, data, scope))
        if ext in GO:
            return list(self._go(ctx, path, data, scope))
        return list(self._jvm(ctx, path, data, scope))

    def _javascript(
        self, ctx: Context, path: str, data: bytes, scope: Scope
    ) -> Iterator[Component]:
        pattern = patterns(ctx).javascript
        if pattern is None:
            return
        for hit in capped(pattern.finditer(data)):
            before = data[max(0, hit.start() - 300) : hit.start()]
            if not _JS_CONTEXT.search(before) or _COMMENT_START.search(
                _line_prefix(data, hit.start())
            ):
                continue
            if in_block_comment(data, hit.start()):
                continue
            spec = hit.group(2).decode("utf-8", "replace")
            parts = spec.split("/")
            name = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
            comp = dependency(ctx, "npm", name, path, line_at(data, hit.start()), scope, "import")
            if comp is not None:
                yield comp

    def _go(self, ctx: Context, path: str, data: bytes, scope: Scope) -> Iterator[Component]:
        pattern = patterns(ctx).go
        if pattern is None:
            return
        for hit in capped(pattern.finditer(data)):
            prefix = _line_prefix(data, hit.start()).strip()
            # Inside ``import ( ... )`` a line holds only an optional alias before the path.
            if not re.fullmatch(rb"(?:import\s*\(?)?\s*[\w.]*", prefix):
                continue
            if in_block_comment(data, hit.start()):
                continue
            opening = data.rfind(b"import", 0, hit.start())
            if opening < 0 or b")" in data[opening : hit.start()]:
                continue
            import_path = hit.group(1).decode("utf-8", "replace")
            found = go_deps.module_match(ctx.catalogue, import_path)
            if found is not None:
                name, rule = found
                evidence = Evidence(path, line_at(data, hit.start()), import_path, "import")
                yield component("golang", name, rule, scope, evidence)

    def _jvm(self, ctx: Context, path: str, data: bytes, scope: Scope) -> Iterator[Component]:
        pats = patterns(ctx)
        if pats.jvm is None:
            return
        for hit in capped(on_lines_with(b"import", pats.jvm, data)):
            if in_block_comment(data, hit.start()):
                continue
            imported = hit.group(1).decode("ascii", "replace")
            package = _longest(pats.jvm_packages, imported)
            if package is None:
                continue
            comp = dependency(
                ctx, "maven", package, path, line_at(data, hit.start()), scope, "import"
            )
            if comp is not None:
                yield component_with_match(comp, imported)


def component_with_match(comp: Component, match: str) -> Component:
    e = comp.evidence[0]
    return Component(
        comp.id,
        comp.name,
        comp.ecosystem,
        comp.category,
        comp.scope,
        (Evidence(e.path, e.line, match, e.family),),
    )


def _longest(table: dict[str, str], dotted: str) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        found = table.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


def python_imports(
    ctx: Context, path: str, data: bytes, scope: Scope, family: str, line_offset: int = 0
) -> Iterator[Component]:
    """Imports of known AI packages in Python source (also used for notebook cells)."""
    pats = patterns(ctx)
    if pats.python is None or b"import" not in data:
        return
    for hit in capped(on_lines_with(b"import", pats.python, data)):
        if in_python_string(data, hit.start()):
            continue
        module_from, names, module_import = hit.groups()
        candidates: list[str] = []
        if module_from is not None:
            base = module_from.decode("ascii", "replace")
            for name in (names or b"").decode("ascii", "replace").replace("(", "").split(","):
                word = name.strip().split(" ")[0]
                if word:
                    candidates.append(f"{base}.{word}")
            candidates.append(base)
        else:
            candidates.append(module_import.decode("ascii", "replace"))
        package = _python_package(ctx, pats, candidates)
        if package is None:
            continue
        rule = ctx.catalogue.match("pypi", package)
        if rule is None:
            continue
        line = line_at(data, hit.start()) + line_offset
        text = hit.group(0).decode("utf-8", "replace").strip()
        yield component("pypi", package, rule, scope, Evidence(path, line, text, family))


def _python_package(ctx: Context, pats: Patterns, candidates: list[str]) -> str | None:
    for dotted in candidates:
        found = _longest(pats.python_modules, dotted)
        if found is not None:
            return found
    for dotted in candidates:
        top = dotted.split(".")[0].replace("_", "-").lower()
        if ctx.catalogue.match("pypi", top) is not None:
            return top
    return None


DETECTOR = SourceImports()
