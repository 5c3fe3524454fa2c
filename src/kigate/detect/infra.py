"""Cloud AI resources declared as code: Terraform, CloudFormation, Bicep and ARM templates
(SageMaker, Bedrock, Azure OpenAI / Cognitive Services, Vertex AI, ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kigate.detect.base import LOCK_FILES, Context, Interest, capped, component, extension, line_at
from kigate.detect.literals import Lazy
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 4 << 20
_TERRAFORM = Lazy(rb"""^\s*(?:resource|data)\s+"([\w-]+)\"""", re.MULTILINE)
_CLOUDFORMATION = Lazy(rb"""\bType["']?\s*:\s*["']?(AWS::[\w:]+)""")
_AZURE = Lazy(rb"""["']?(Microsoft\.[\w.]+/[\w/]+?)(?:@[\w-]+)?["']""")
_TEMPLATE_EXTENSIONS = frozenset({".json", ".yaml", ".yml", ".template"})


# A resource's declared kind: Terraform ``kind = "OpenAI"``, Bicep ``kind: 'OpenAI'``, ARM
# ``"kind": "OpenAI"``; a value that is a variable or expression is no kind.
_KIND = Lazy(rb"""(?m)^[ \t]*["']?kind["']?[ \t]*[:=][ \t]*["']([\w.]+)["']""")
_ARM_KIND = Lazy(rb'"kind"\s*:\s*"([\w.]+)"')
_BLOCK_END = Lazy(rb"(?m)^(?:\}|resource\b|data\b)")
_WINDOW = 4096


def declared_kind(data: bytes, offset: int, ext: str) -> str | None:
    """The ``kind`` given in the resource block that starts at ``offset``."""
    if ext == ".json":
        # ARM: "kind" is a sibling of "type" in the same object, before or after it.
        opening = data.rfind(b"{", max(0, offset - _WINDOW), offset)
        closing = data.find(b"}", offset, offset + _WINDOW)
        start = opening + 1 if opening >= 0 else offset
        found = _ARM_KIND.search(data[start : closing if closing >= 0 else offset + _WINDOW])
        return found.group(1).decode("ascii") if found else None
    end = _BLOCK_END.search(data, offset + 1, offset + _WINDOW)
    found = _KIND.search(data, offset, end.start() if end else offset + _WINDOW)
    return found.group(1).decode("ascii") if found else None


class Infrastructure:
    name = "infrastructure"

    def interest(self, ctx: Context) -> Interest:
        return Interest(extensions=frozenset({".tf", ".bicep"}) | _TEMPLATE_EXTENSIONS)

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        ext = extension(base)
        if base in LOCK_FILES:
            return None
        if ext in (".tf", ".bicep") or ext in _TEMPLATE_EXTENSIONS:
            return MAX_BYTES
        return None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        if len(data) > MAX_BYTES:
            return []  # reported by the detectors that read these files too
        ext = extension(path.rsplit("/", 1)[-1])
        patterns: list[Lazy[bytes]] = []
        if ext == ".tf":
            patterns.append(_TERRAFORM)
        if b"AWS::" in data:
            patterns.append(_CLOUDFORMATION)
        if b"Microsoft." in data and ext in (".bicep", ".json"):
            patterns.append(_AZURE)
        found = []
        for pattern in patterns:
            for hit in capped(pattern.finditer(data)):
                start = data.rfind(b"\n", 0, hit.start()) + 1
                if data[start : hit.start()].lstrip().startswith((b"#", b"//")):
                    continue
                kind = hit.group(1).decode("ascii", "replace")
                declared = declared_kind(data, hit.end(), ext) if b"kind" in data else None
                rule = ctx.catalogue.match("cloud", kind.lower(), declared)
                if rule is None:
                    continue
                what = f"{kind} (kind {declared})" if declared and rule.kinds else kind
                evidence = Evidence(path, line_at(data, hit.start(1)), what, "infrastructure")
                found.append(component("cloud", kind.lower(), rule, Scope.PRODUCT, evidence))
        return found


DETECTOR = Infrastructure()
