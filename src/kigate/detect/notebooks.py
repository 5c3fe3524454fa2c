"""Jupyter notebooks: imports and ``%pip install`` lines in code cells (JSON, read safely)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from kigate import _json, i18n
from kigate.detect.base import MAX_HITS, Context, Interest, decode
from kigate.detect.lang_imports import imports_in
from kigate.detect.literals import Lazy
from kigate.detect.pyspec import Spec, match
from kigate.detect.source_imports import python_imports, source_scope
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 32 << 20  # outputs (images) make notebooks large; JSON must be read whole
_PIP = Lazy(r"^\s*[%!]\s*(?:pip|uv pip|conda|mamba)\s+install\s+(.+)$")


class Notebooks:
    name = "notebooks"

    def interest(self, ctx: Context) -> Interest:
        return Interest(extensions=frozenset({".ipynb"}))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base.lower().endswith(".ipynb") else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if not any(word in data for word in (b"import", b"install", b"library", b"using")):
            return []
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            return []
        try:
            doc = _json.loads(text)
        except (ValueError, RecursionError) as exc:
            ctx.problem(path, i18n.t("detect.bad_notebook", detail=str(exc)[:200]))
            return []
        cells = doc.get("cells") if isinstance(doc, dict) else None
        if not isinstance(cells, list):
            # nbformat 3 keeps cells in worksheets.
            sheets = doc.get("worksheets") if isinstance(doc, dict) else None
            cells = [c for s in sheets or [] if isinstance(s, dict) for c in s.get("cells", [])]
        scope = source_scope(path)
        language = _kernel_language(doc)
        found: list[Component] = []
        for cell in cells:
            source = _code(cell)
            if source and language in _OTHER_KERNELS:
                found.extend(self._other(ctx, path, text, source, language, scope))
            elif source:
                found.extend(self._cell(ctx, path, text, source, scope))
            if len(found) >= MAX_HITS:
                break  # each hit searches the file for its line: keep that bounded
        return found

    def _other(
        self, ctx: Context, path: str, text: str, source: str, language: str, scope: Scope
    ) -> Iterator[Component]:
        """A cell of an R or Julia kernel: that language's imports."""
        for comp in imports_in(ctx, path, source.encode("utf-8"), language, scope):
            evidence = comp.evidence[0]
            line = _line_in_file(text, evidence.match)
            yield _at(comp, Evidence(path, line, evidence.match, "notebook"))

    def _cell(
        self, ctx: Context, path: str, text: str, source: str, scope: Scope
    ) -> Iterator[Component]:
        for comp in python_imports(ctx, path, source.encode("utf-8"), scope, "notebook"):
            evidence = comp.evidence[0]
            line = _line_in_file(text, evidence.match)
            yield _at(comp, Evidence(path, line, evidence.match, "notebook"))
        specs = []
        for command in source.splitlines():
            pip = _PIP.match(command)
            if pip:
                line = _line_in_file(text, command)
                for word in pip.group(1).split():
                    if not word.startswith("-"):
                        specs.append(Spec(word.strip("'\""), line, scope))
        for comp in match(ctx, path, iter(specs)):
            evidence = comp.evidence[0]
            yield _at(comp, Evidence(path, evidence.line, evidence.match, "notebook"))


# Kernel languages whose cells are not Python, and the importer that reads them.
_OTHER_KERNELS = frozenset({"r", "julia"})


def _kernel_language(doc: object) -> str:
    """The notebook's kernel language, lower case ("python" when it does not say)."""
    metadata = doc.get("metadata") if isinstance(doc, dict) else None
    if not isinstance(metadata, dict):
        return "python"
    for table, key in (("kernelspec", "language"), ("language_info", "name")):
        found = metadata.get(table)
        value = found.get(key) if isinstance(found, dict) else None
        if isinstance(value, str) and value:
            return value.lower()
    return "python"


def _code(cell: object) -> str:
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return ""
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _line_in_file(text: str, snippet: str) -> int | None:
    """The notebook file's line holding ``snippet`` (as JSON encodes it), if found."""
    encoded = json.dumps(snippet.strip(), ensure_ascii=False)[1:-1]
    at = text.find(encoded)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _at(comp: Component, evidence: Evidence) -> Component:
    return Component(comp.id, comp.name, comp.ecosystem, comp.category, comp.scope, (evidence,))


DETECTOR = Notebooks()
