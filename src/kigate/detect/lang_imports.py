"""Imports in the other languages whose packages kigate knows: Rust (``use``, ``extern
crate``), C# (``using``), F# (``open``), Ruby (``require``), PHP (``use Vendor\\Package``),
Swift (``import``), R (``library``, ``require``) and Julia (``using``, ``import``).

As for Python and JavaScript, each pattern is an alternation of the modules the catalogue
knows, so the regular-expression engine does the searching and Python runs on hits only. A
module maps to its package through the catalogue's ``[imports]`` table, else by the
ecosystem's naming convention (``async_openai`` is the crate ``async-openai``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kigate.detect.base import Context, Interest, capped, dependency, extension, line_at
from kigate.detect.catalogue import Catalogue
from kigate.detect.literals import Lazy
from kigate.detect.source_imports import in_block_comment, source_scope
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 4 << 20
# extension -> (ecosystem, language)
LANGUAGES = {
    ".rs": ("cargo", "rust"),
    ".cs": ("nuget", "csharp"),
    ".fs": ("nuget", "fsharp"),
    ".fsx": ("nuget", "fsharp"),
    ".rb": ("gem", "ruby"),
    ".rake": ("gem", "ruby"),
    ".php": ("composer", "php"),
    ".swift": ("swift", "swift"),
    ".r": ("cran", "r"),
    ".rmd": ("cran", "r"),
    ".jl": ("julia", "julia"),
}
_C_COMMENTS = frozenset({"rust", "csharp", "fsharp", "php", "swift"})
# ``use llm::x`` after ``mod llm;`` in the same file names the file's own module.
_RUST_MOD = Lazy(rb"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*[;{]", re.MULTILINE)
_TEMPLATES = {
    "rust": rb"^[ \t]*(?:pub(?:\([^)\n]*\))?[ \t]+)?(?:use[ \t]+(?:::)?|extern[ \t]+crate[ \t]+)"
    rb"(NAMES)(?![\w])",
    "csharp": rb"^[ \t]*(?:global[ \t]+)?using[ \t]+(?:static[ \t]+)?(?:\w+[ \t]*=[ \t]*)?"
    rb"((?:NAMES)(?:\.\w+)*)[ \t]*;",
    "fsharp": rb"^[ \t]*open[ \t]+(?:type[ \t]+)?((?:NAMES)(?:\.\w+)*)[ \t]*$",
    "ruby": rb"^[ \t]*require[ \t(]*['\"]((?:NAMES)(?:/[\w./-]*)?)['\"]",
    "php": rb"^[ \t]*use[ \t]+(?:function[ \t]+|const[ \t]+)?\\?((?:NAMES)(?:\\\w+)*)"
    rb"[ \t]*(?:[;,{]|\\\{|[ \t]as\b)",
    "swift": rb"^[ \t]*(?:@\w+[ \t]+)*import[ \t]+(?:(?:typealias|struct|class|enum|protocol"
    rb"|let|var|func)[ \t]+)?(NAMES)(?![\w])",
    "r": rb"^[ \t]*(?:suppress\w+\([ \t]*)?(?:library|require|requireNamespace)[ \t]*\("
    rb"[ \t]*['\"]?(NAMES)(?![\w.])['\"]?",
    "julia": rb"^[ \t]*(?:using|import)[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*(NAMES)(?![\w])",
}
# How a module is written in code, from the package name, when [imports] does not say.
_MODULE_OF: dict[str, Callable[[str], str]] = {
    "cargo": lambda name: name.replace("-", "_"),
    **dict.fromkeys(("nuget", "gem", "swift", "cran", "julia"), lambda name: name),
}
_SEPARATOR = {"csharp": ".", "fsharp": ".", "php": "\\", "ruby": "/"}


@dataclass(frozen=True)
class Language:
    ecosystem: str
    pattern: re.Pattern[bytes]
    modules: dict[str, str]  # module as written -> package (normalised)


def _modules(catalogue: Catalogue, ecosystem: str) -> dict[str, str]:
    table = dict(catalogue.imports(ecosystem))
    convert = _MODULE_OF.get(ecosystem)
    if convert is not None:
        for rule in catalogue.rules(ecosystem):
            # the package's own spelling where matching ignores case (NuGet)
            for normalized, shown in rule.spelling or ((n, n) for n in rule.names):
                table.setdefault(convert(shown), normalized)
    return table


def build_one(catalogue: Catalogue, language: str) -> Language | None:
    """The pattern of ``language`` ("rust", "csharp", ...); None if the catalogue knows no
    package of its ecosystem."""
    ecosystem = next(eco for eco, lang in LANGUAGES.values() if lang == language)
    modules = _modules(catalogue, ecosystem)
    if not modules:
        return None
    flags = re.MULTILINE
    words = set(modules)
    if ecosystem == "nuget":
        # Namespaces of a family (Azure.AI.Vision.*): NuGet ids ignore case, so may this.
        flags |= re.IGNORECASE
        words.update(
            p[:-1] for r in catalogue.rules(ecosystem) for p in r.prefixes if p.endswith(".")
        )
    names = b"|".join(re.escape(w).encode() for w in sorted(words, key=lambda w: (-len(w), w)))
    source = _TEMPLATES[language].replace(b"NAMES", names)
    return Language(ecosystem, re.compile(source, flags), modules)


def _language(ctx: Context, language: str) -> Language | None:
    known: dict[str, Language | None] = ctx.state.setdefault("lang-imports.patterns", {})
    if language not in known:
        known[language] = build_one(ctx.catalogue, language)
    return known[language]


def _package(language: str, table: dict[str, str], module: str) -> str | None:
    """The package of ``module``: the longest known module it lies in."""
    separator = _SEPARATOR.get(language)
    if separator is None:
        return table.get(module)
    parts = module.split(separator)
    for end in range(len(parts), 0, -1):
        found = table.get(separator.join(parts[:end]))
        if found is not None:
            return found
    return None


def _in_family(ctx: Context, lang: Language, module: str) -> str | None:
    """A .NET namespace under a catalogued family prefix (``Azure.AI.Vision.``) names its
    package: NuGet packages are named after the namespace they provide."""
    if lang.ecosystem != "nuget":
        return None
    lowered = module.lower() + "."
    for rule in ctx.catalogue.rules("nuget"):
        if any(lowered.startswith(p) and p.endswith(".") for p in rule.prefixes):
            return module
    return None


class LanguageImports:
    name = "language-imports"

    def interest(self, ctx: Context) -> Interest:
        return Interest(extensions=frozenset(LANGUAGES))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if extension(base) in LANGUAGES else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if len(data) > MAX_BYTES or b"\0" in data[:8192]:
            return []  # the host detector reports size and binary problems for these files
        language = LANGUAGES[extension(path.rsplit("/", 1)[-1])][1]
        found = _language(ctx, language)
        if found is None:
            return []
        return list(self._imports(ctx, path, data, language, found, source_scope(path)))

    def _imports(
        self, ctx: Context, path: str, data: bytes, language: str, lang: Language, scope: Scope
    ) -> Iterator[Component]:
        own: set[bytes] = set()
        if language == "rust":
            own = {m.group(1) for m in capped(_RUST_MOD.finditer(data))}
        for hit in capped(lang.pattern.finditer(data)):
            module_bytes = hit.group(1)
            if module_bytes in own:
                continue
            if language in _C_COMMENTS and in_block_comment(data, hit.start()):
                continue
            module = module_bytes.decode("utf-8", "replace")
            package = _package(language, lang.modules, module) or _in_family(ctx, lang, module)
            if package is None:
                continue
            line = line_at(data, hit.start())
            comp = dependency(ctx, lang.ecosystem, package, path, line, scope, "import")
            if comp is not None:
                end = data.find(b"\n", hit.end())
                text = data[hit.start() : end if end >= 0 else len(data)]
                yield _with_match(comp, text.decode("utf-8", "replace").strip()[:200])


def imports_in(
    ctx: Context, path: str, data: bytes, language: str, scope: Scope
) -> Iterator[Component]:
    """Imports of ``language`` ("r", "julia", ...) in ``data``: for notebooks of that kernel."""
    found = _language(ctx, language) if language in _TEMPLATES else None
    if found is not None:
        yield from LanguageImports()._imports(ctx, path, data, language, found, scope)


def _with_match(comp: Component, text: str) -> Component:
    e = comp.evidence[0]
    evidence = Evidence(e.path, e.line, text, e.family, e.usage)
    return Component(comp.id, comp.name, comp.ecosystem, comp.category, comp.scope, (evidence,))


DETECTOR = LanguageImports()
