"""Well-known AI API hosts (``api.openai.com``, ``*.openai.azure.com``, ``localhost:11434``)
in source and configuration files. Prose (Markdown, text) and comments do not count."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kigate import i18n
from kigate.detect.base import LOCK_FILES, Context, Interest, capped, component, extension, line_at
from kigate.detect.catalogue import Catalogue, Rule
from kigate.detect.literals import Lazy, by_first_byte
from kigate.detect.source_imports import in_block_comment, in_python_string, source_scope
from kigate.model import Component, Evidence

MAX_BYTES = 4 << 20
EXTENSIONS = frozenset(
    {
        ".py", ".pyw", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue",
        ".svelte", ".go", ".java", ".kt", ".kts", ".scala", ".groovy", ".rb", ".php", ".cs",
        ".fs", ".rs", ".swift", ".c", ".cc", ".cpp", ".h", ".hpp", ".m", ".dart", ".lua",
        ".r", ".jl", ".sh", ".bash", ".zsh", ".ps1", ".yaml", ".yml", ".json", ".toml",
        ".ini", ".cfg", ".conf", ".properties", ".env", ".tf", ".tfvars", ".hcl", ".xml",
        ".gradle", ".sql",
    }
)  # fmt: skip
# Languages with /* block comments */.
_BLOCK_COMMENTS = frozenset(
    {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".go", ".java", ".kt", ".kts",
     ".scala", ".groovy", ".cs", ".fs", ".rs", ".swift", ".c", ".cc", ".cpp", ".h", ".hpp", ".m",
     ".dart", ".php", ".gradle"}
)  # fmt: skip
_SIGNALS = Lazy(rb"^kigate-signals\s*=", re.MULTILINE)
_NAMES = frozenset({"Dockerfile", "Containerfile", "Makefile", "Procfile"})
# A comment marker before the host on its line: ``#``, ``//`` (not the one in ``https://``),
# ``--``, ``;``, a block-comment line or an XML comment.
_COMMENTED = Lazy(rb"(?:^|[\s;])(?:#|//|--)|^\s*(?:\*|/\*|;|<!--)")


def wanted_name(base: str) -> bool:
    if base in LOCK_FILES:
        return False
    return (
        extension(base) in EXTENSIONS
        or base in _NAMES
        or base.startswith(".env")
        or base.startswith("Dockerfile")
    )


@dataclass(frozen=True)
class HostPattern:
    # First test, one pass: the last label of a host (``.com``, ``:11434``) that ends a
    # word. Every host found ends that way, so a file without one is done.
    endings: tuple[re.Pattern[bytes], ...]
    # Then a file without any anchor (``openai.com``, ``:11434``, ...) is done.
    anchors: tuple[bytes, ...]
    # Then literal alternatives only (a character class before a literal would make the
    # engine backtrack at every position); sub-domains and boundaries are checked in Python.
    regex: re.Pattern[bytes]
    exact: dict[bytes, Rule]
    suffixes: tuple[tuple[bytes, Rule], ...]


def _anchor(host: str) -> str:
    if ":" in host:
        return ":" + host.rsplit(":", 1)[1]
    return ".".join(host.split(".")[-2:])


def _ending(literal: bytes) -> bytes:
    """The literal from its last dot or colon: a suffix of it, short and shared by many."""
    cut = max(literal.rfind(b"."), literal.rfind(b":"))
    return literal[cut:] if cut >= 0 else literal


def build(catalogue: Catalogue) -> HostPattern | None:
    exact: dict[bytes, Rule] = {}
    suffixes: list[tuple[bytes, Rule]] = []
    for rule in catalogue.rules("service"):
        for host in rule.hosts:
            if host.startswith("*."):
                suffixes.append((host[1:].encode(), rule))
            else:
                exact[host.encode()] = rule
    literals = sorted({*exact, *(s for s, _ in suffixes)}, key=lambda b: (-len(b), b))
    if not literals:
        return None
    anchors = {_anchor(h.decode()).encode() for h in literals}
    regex = re.compile(b"|".join(re.escape(b) for b in literals))
    # A host counts only where no word character follows it (see find_hosts).
    endings = by_first_byte({_ending(b) for b in literals}, rb"(?![\w-])")
    return HostPattern(endings, tuple(sorted(anchors)), regex, exact, tuple(suffixes))


_LABEL = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789-.")
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def find_hosts(pattern: HostPattern, data: bytes) -> Iterator[tuple[int, bytes, Rule]]:
    """(offset, host, rule) of every whole host name in ``data`` (lower case)."""
    for ending in pattern.endings:
        if ending.search(data) is not None:
            break
    else:
        return
    if not any(anchor in data for anchor in pattern.anchors):
        return
    for hit in capped(pattern.regex.finditer(data)):
        end = hit.end()
        after = data[end : end + 2]
        if after[:1] and (
            after[0] in _WORD or (after[:1] == b"." and after[1:] and after[1] in _WORD)
        ):
            continue
        literal = hit.group(0)
        start = hit.start()
        if literal.startswith(b"."):
            while start > 0 and data[start - 1] in _LABEL:
                start -= 1
            host = data[start:end]
            if host.startswith(b".") or host == literal:
                continue
            rule = next((r for suffix, r in pattern.suffixes if host.endswith(suffix)), None)
        else:
            if start > 0 and (data[start - 1] in _WORD or data[start - 1] == 0x2E):
                continue
            host = literal
            rule = pattern.exact.get(literal)
        if rule is not None:
            yield start, host, rule


class ApiHosts:
    name = "api-hosts"

    def interest(self, ctx: Context) -> Interest:
        return Interest(EXTENSIONS, _NAMES, (".env", "dockerfile"))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if wanted_name(base) else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if len(data) > MAX_BYTES:
            ctx.problem(path, i18n.t("detect.too_large", limit=MAX_BYTES // 1024))
            return []
        if data.find(b"\0", 0, 8192) >= 0:
            ctx.problem(path, i18n.t("detect.binary"))
            return []
        if path.endswith(".toml") and _SIGNALS.search(data, 0, 4096):
            return []  # a kigate signal catalogue describes hosts; it does not call them
        pattern = ctx.state.get("api-hosts.pattern", False)
        if pattern is False:
            pattern = ctx.state["api-hosts.pattern"] = build(ctx.catalogue)
        if pattern is None:
            return []
        hits = find_hosts(pattern, data)
        first = next(hits, None)
        if first is None:
            return []  # the common case: what a hit needs is worked out only on one
        python = extension(path) in (".py", ".pyw")
        c_like = extension(path) in _BLOCK_COMMENTS
        scope = source_scope(path)
        found = []
        for offset, raw, rule in itertools.chain((first,), hits):
            start = data.rfind(b"\n", 0, offset) + 1
            if _COMMENTED.search(data[start:offset]):
                continue
            if python and in_python_string(data, offset):
                continue
            if c_like and in_block_comment(data, offset):
                continue
            host = raw.decode("ascii", "replace")
            evidence = Evidence(path, line_at(data, offset), host, "api-host")
            found.append(component("service", host, rule, scope, evidence))
        return found


DETECTOR = ApiHosts()
