"""AI in the browser: libraries loaded from public CDNs (jsDelivr, unpkg, esm.sh, Skypack,
jspm, cdnjs) by ``<script src=…>``, an import map or an ES-module ``import … from "https://…"``,
reported as the npm package the URL serves (``npm:@tensorflow/tfjs``).

In HTML only script sources, import maps and module imports count (a link to a CDN's package
page does not); in JavaScript any string holding such a URL outside comments does (MediaPipe
and onnxruntime-web are pointed at their CDN files that way).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kigate import i18n
from kigate.detect.base import Context, Interest, capped, dependency, extension, line_at
from kigate.detect.literals import Lazy
from kigate.detect.source_imports import (
    JAVASCRIPT,
    in_block_comment,
    source_scope,
)
from kigate.model import Component, Evidence

MAX_BYTES = 4 << 20
PAGES = frozenset(
    {".html", ".htm", ".xhtml", ".php", ".erb", ".ejs", ".hbs", ".njk", ".jinja", ".j2",
     ".twig", ".liquid", ".astro", ".cshtml", ".razor", ".jsp"}
)  # fmt: skip
_ANCHOR = Lazy(rb"jsdelivr\.net|unpkg\.com|esm\.sh|esm\.run|skypack\.dev|jspm\.|cdnjs\.")
_URL = Lazy(
    rb"(?:https?:)?//(?:(?:cdn|fastly|gcore|testingcf)\.jsdelivr\.net/npm/|unpkg\.com/"
    rb"|esm\.sh/(?:v\d+/|stable/)?|esm\.run/|cdn\.skypack\.dev/|ga\.jspm\.io/npm:|jspm\.dev/"
    rb"|cdnjs\.cloudflare\.com/ajax/libs/)([^\s'\"`()<>]+)"
)
# Every _URL match holds one of these (its host's last label and the slash after it), and
# the engine finds them fast ("." is a literal first byte): a file without one has no URL.
_URL_HINT = Lazy(rb"\.(?:com|dev|io|net|run|sh)/")
_SCRIPT_SRC = Lazy(rb"<script\b[^>]*\bsrc\s*=\s*[\"']?$", re.IGNORECASE)
_MODULE_IMPORT = Lazy(rb"(?:\bfrom|\bimport\s*\(|\bimport)\s*[\"'`]$")
_LINE_COMMENT = Lazy(rb"(?:^|[\s;])//")


def package_of(url_rest: str, cdnjs: bool) -> str | None:
    """The npm package a CDN path serves: ``@scope/name@1.2/dist/x.js`` -> ``@scope/name``."""
    parts = url_rest.split("/")
    if cdnjs:
        return f"cdnjs/{parts[0]}" if parts[0] else None
    count = 2 if parts[0].startswith("@") else 1
    if len(parts) < count:
        return None
    name = "/".join(parts[:count])
    at = name.find("@", 1)
    return name[:at] if at > 0 else name


def _in_html_comment(data: bytes, offset: int) -> bool:
    return data.rfind(b"<!--", 0, offset) > data.rfind(b"-->", 0, offset)


def _in_import_map(data: bytes, offset: int) -> bool:
    opening = data.rfind(b"importmap", 0, offset)
    return opening >= 0 and data.rfind(b"</script", 0, offset) < opening


class BrowserLibraries:
    name = "browser-libraries"

    def interest(self, ctx: Context) -> Interest:
        return Interest(extensions=PAGES | JAVASCRIPT)

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        ext = extension(base)
        return MAX_BYTES if ext in PAGES or ext in JAVASCRIPT else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if len(data) <= MAX_BYTES and _URL_HINT.search(data) is None:
            return []
        page = extension(path.rsplit("/", 1)[-1]) in PAGES
        if _ANCHOR.search(data, 0, MAX_BYTES) is None:
            return []
        if len(data) > MAX_BYTES:
            if page:  # source files are the host detector's to report
                ctx.problem(path, i18n.t("detect.too_large", limit=MAX_BYTES // 1024))
            return []
        return list(self._urls(ctx, path, data, page))

    def _urls(self, ctx: Context, path: str, data: bytes, page: bool) -> Iterator[Component]:
        scope = source_scope(path)
        imports = ctx.catalogue.imports("npm")
        for hit in capped(_URL.finditer(data)):
            start = hit.start()
            line_start = data.rfind(b"\n", 0, start) + 1
            before = data[max(line_start, start - 300) : start]
            if not self._counts(data, start, before, page):
                continue
            url = hit.group(0).decode("utf-8", "replace")
            cdnjs = b"cdnjs." in hit.group(0)
            name = package_of(hit.group(1).decode("utf-8", "replace"), cdnjs)
            if name is None:
                continue
            name = imports.get(name, name)
            line = line_at(data, start)
            comp = dependency(ctx, "npm", name, path, line, scope, "import")
            if comp is not None:
                e = comp.evidence[0]
                yield Component(
                    comp.id, comp.name, comp.ecosystem, comp.category, comp.scope,
                    (Evidence(e.path, e.line, url[:200], "browser"),),
                )  # fmt: skip

    def _counts(self, data: bytes, start: int, before: bytes, page: bool) -> bool:
        if _LINE_COMMENT.search(before.replace(b"://", b"")) or in_block_comment(data, start):
            return False
        if not page:
            return True
        if _in_html_comment(data, start):
            return False
        return bool(
            _SCRIPT_SRC.search(before)
            or _MODULE_IMPORT.search(before)
            or _in_import_map(data, start)
        )


DETECTOR = BrowserLibraries()
