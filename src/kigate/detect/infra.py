"""Cloud AI resources declared as code: Terraform, CloudFormation, Bicep and ARM templates
(SageMaker, Bedrock, Azure OpenAI / Cognitive Services, Vertex AI, ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kigate.detect.base import LOCK_FILES, Context, capped, component, extension, line_at
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 4 << 20
_TERRAFORM = re.compile(rb"""^\s*(?:resource|data)\s+"([\w-]+)\"""", re.MULTILINE)
_CLOUDFORMATION = re.compile(rb"""\bType["']?\s*:\s*["']?(AWS::[\w:]+)""")
_AZURE = re.compile(rb"""["']?(Microsoft\.[\w.]+/[\w/]+?)(?:@[\w-]+)?["']""")
_TEMPLATE_EXTENSIONS = frozenset({".json", ".yaml", ".yml", ".template"})


class Infrastructure:
    name = "infrastructure"

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
        patterns: list[re.Pattern[bytes]] = []
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
                rule = ctx.catalogue.match("cloud", kind.lower())
                if rule is None:
                    continue
                evidence = Evidence(path, line_at(data, hit.start(1)), kind, "infrastructure")
                found.append(component("cloud", kind.lower(), rule, Scope.PRODUCT, evidence))
        return found


DETECTOR = Infrastructure()
