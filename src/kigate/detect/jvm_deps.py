"""JVM dependencies: Maven pom.xml and Gradle build files (Groovy and Kotlin DSL).

The XML is read with patterns, not an XML parser: no entity or DTD processing can be
triggered by a hostile pom, and every dependency keeps its line. A pom that is not
well-formed is still reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kigate import i18n
from kigate.detect import usage
from kigate.detect.base import Context, Interest, capped, decode, dependency
from kigate.detect.literals import Lazy
from kigate.model import Component, Scope

MAX_BYTES = 4 << 20
_GRADLE = frozenset({"build.gradle", "build.gradle.kts"})
_DEPENDENCY = Lazy(r"<dependency>(.*?)</dependency>", re.DOTALL)
_COMMENT = Lazy(r"<!--.*?-->", re.DOTALL)
_TAG = {
    k: Lazy(rf"<{k}>\s*([^<\s]+)\s*</{k}>") for k in ("groupId", "artifactId", "scope", "version")
}
_GRADLE_STRING = Lazy(
    r"""^\s*(\w+)\s*\(?\s*(?:platform\s*\(\s*)?["']([\w.\-]+):([\w.\-]+)(?::[^"']*)?["']"""
)
_GRADLE_MAP = Lazy(
    r"""^\s*(\w+)\s*\(?\s*group\s*[:=]\s*["']([\w.\-]+)["']\s*,\s*name\s*[:=]\s*["']([\w.\-]+)["']"""
)
_DEV_MAVEN_SCOPES = frozenset({"test"})
_PROPERTIES = Lazy(r"<properties>(.*?)</properties>", re.DOTALL)
_PROPERTY = Lazy(r"<([\w.\-]+)>\s*([^<\s]+)\s*</\1>")
_PARENT = Lazy(r"<parent>(.*?)</parent>", re.DOTALL)
_PLACEHOLDER = Lazy(r"\$\{([\w.\-]+)\}")
_OWN_BLOCKS = Lazy(
    r"<(parent|dependencies|dependencyManagement|build|profiles|properties)>.*?</\1>", re.DOTALL
)


def gradle_scope(configuration: str) -> Scope:
    lowered = configuration.lower()
    if lowered.startswith("test") or "test" in lowered or lowered in ("detekt", "ktlint"):
        return Scope.DEVELOPMENT
    return Scope.PRODUCT


def gradle_usage(configuration: str) -> str | None:
    return usage.TEST if "test" in configuration.lower() else None


def _properties(code: str) -> dict[str, str]:
    """``<properties>`` of a pom and the project's own coordinates, for ``${name}``."""
    found: dict[str, str] = {}
    block = _PROPERTIES.search(code)
    for item in capped(_PROPERTY.finditer(block.group(1) if block else "")):
        found[item.group(1)] = item.group(2)
    own = _OWN_BLOCKS.sub("", code)
    parent = _PARENT.search(code)
    for key in ("groupId", "artifactId", "version"):
        tag = _TAG[key].search(own)
        if tag is None and parent is not None and key != "artifactId":
            tag = _TAG[key].search(parent.group(1))  # inherited from the parent
        if tag is not None:
            found[f"project.{key}"] = tag.group(1)
    return found


def _resolve(value: str, props: dict[str, str]) -> str:
    """``${name}`` replaced from the pom's properties (one level: no recursion to abuse)."""
    return _PLACEHOLDER.sub(lambda m: props.get(m.group(1), m.group(0)), value)


class JvmDependencies:
    name = "jvm-dependencies"

    def interest(self, ctx: Context) -> Interest:
        return Interest(names=frozenset({"pom.xml", *_GRADLE}))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base == "pom.xml" or base in _GRADLE else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            return []
        found = (
            self._pom(ctx, path, text) if path.endswith(".xml") else self._gradle(ctx, path, text)
        )
        return [c for c in found if c is not None]

    def _pom(self, ctx: Context, path: str, text: str) -> Iterator[Component | None]:
        if "<!ENTITY" in text or "<!DOCTYPE" in text:
            ctx.problem(path, i18n.t("detect.xml_dtd"))
            return
        from xml.etree import ElementTree  # only where a pom is met: it costs at import

        try:
            ElementTree.fromstring(text)
        except ElementTree.ParseError as exc:
            ctx.problem(path, i18n.t("detect.bad_xml", detail=str(exc)))
            return
        # Blank out comments but keep their newlines, so line numbers stay right.
        code = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        props = _properties(code)
        for block in capped(_DEPENDENCY.finditer(code)):
            body = block.group(1)
            group, artifact = _TAG["groupId"].search(body), _TAG["artifactId"].search(body)
            if group is None or artifact is None:
                continue
            scope_tag = _TAG["scope"].search(body)
            scope = (
                Scope.DEVELOPMENT
                if scope_tag and scope_tag.group(1) in _DEV_MAVEN_SCOPES
                else Scope.PRODUCT
            )
            line = code.count("\n", 0, block.start(1) + artifact.start()) + 1
            name = f"{_resolve(group.group(1), props)}:{_resolve(artifact.group(1), props)}"
            used = usage.TEST if scope_tag and scope_tag.group(1) == "test" else None
            yield dependency(ctx, "maven", name, path, line, scope, usage=used)

    def _gradle(self, ctx: Context, path: str, text: str) -> Iterator[Component | None]:
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.split("//", 1)[0]
            item = _GRADLE_STRING.match(code) or _GRADLE_MAP.match(code)
            if item is None:
                continue
            configuration, group, artifact = item.groups()
            scope = gradle_scope(configuration)
            used = gradle_usage(configuration)
            yield dependency(ctx, "maven", f"{group}:{artifact}", path, number, scope, usage=used)


DETECTOR = JvmDependencies()
