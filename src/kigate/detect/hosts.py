"""Well-known AI API hosts (``api.openai.com``, ``*.openai.azure.com``, ``localhost:11434``)
in source and configuration files. Prose (Markdown, text) and comments do not count."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kigate import i18n
from kigate.detect.base import Context, component, extension, line_at
from kigate.detect.catalogue import Catalogue, Rule
from kigate.detect.source_imports import in_python_string, source_scope
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
_NAMES = frozenset({"Dockerfile", "Containerfile", "Makefile", "Procfile"})
# A comment marker before the host on its line: ``#``, ``//`` (not the one in ``https://``),
# ``--``, ``;``, a block-comment line or an XML comment.
_COMMENTED = re.compile(rb"(?:^|[\s;])(?:#|//|--)|^\s*(?:\*|/\*|;|<!--)")


def wanted_name(base: str) -> bool:
    return (
        extension(base) in EXTENSIONS
        or base in _NAMES
        or base.startswith(".env")
        or base.startswith("Dockerfile")
    )


@dataclass(frozen=True)
class HostPattern:
    regex: re.Pattern[bytes]
    exact: dict[bytes, Rule]
    suffixes: tuple[tuple[bytes, Rule], ...]


def _host_regex(host: str) -> bytes:
    if host.startswith("*."):
        return rb"[a-z0-9-]+(?:\.[a-z0-9-]+)*" + re.escape(host[1:]).encode()
    return re.escape(host).encode()


def build(catalogue: Catalogue) -> HostPattern | None:
    exact: dict[bytes, Rule] = {}
    suffixes: list[tuple[bytes, Rule]] = []
    parts: list[bytes] = []
    for rule in catalogue.rules("service"):
        for host in rule.hosts:
            parts.append(_host_regex(host))
            if host.startswith("*."):
                suffixes.append((host[1:].encode(), rule))
            else:
                exact[host.encode()] = rule
    if not parts:
        return None
    parts.sort(key=lambda p: -len(p))
    regex = re.compile(
        rb"(?<![\w.-])(?:" + b"|".join(parts) + rb")(?![\w-]|\.[\w-])", re.IGNORECASE
    )
    return HostPattern(regex, exact, tuple(suffixes))


def _rule(pattern: HostPattern, host: bytes) -> Rule | None:
    host = host.lower()
    if host in pattern.exact:
        return pattern.exact[host]
    for suffix, rule in pattern.suffixes:
        if host.endswith(suffix):
            return rule
    return None


class ApiHosts:
    name = "api-hosts"

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if wanted_name(base) else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if len(data) > MAX_BYTES:
            ctx.problem(path, i18n.t("detect.too_large", limit=MAX_BYTES // 1024))
            return []
        if b"\0" in data[:8192]:
            ctx.problem(path, i18n.t("detect.binary"))
            return []
        pattern = ctx.state.get("api-hosts.pattern", False)
        if pattern is False:
            pattern = ctx.state["api-hosts.pattern"] = build(ctx.catalogue)
        if pattern is None:
            return []
        python = extension(path) in (".py", ".pyw")
        scope = source_scope(path)
        found = []
        for hit in pattern.regex.finditer(data):
            start = data.rfind(b"\n", 0, hit.start()) + 1
            if _COMMENTED.search(data[start : hit.start()]):
                continue
            if python and in_python_string(data, hit.start()):
                continue
            rule = _rule(pattern, hit.group(0))
            if rule is None:
                continue
            host = hit.group(0).decode("ascii", "replace").lower()
            evidence = Evidence(path, line_at(data, hit.start()), host, "api-host")
            found.append(component("service", host, rule, scope, evidence))
        return found


DETECTOR = ApiHosts()
