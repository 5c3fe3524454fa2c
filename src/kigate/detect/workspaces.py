"""Packages the repository defines itself: workspace and path members are never the registry
package of the same name (a local crate called ``llm`` is not the ``llm`` crate).

Collected from every manifest (Cargo ``[package]`` names and ``path =`` dependencies, npm
package names and ``workspace:``/``file:``/``link:`` dependencies, Maven module coordinates,
Go module paths and ``replace`` directives to a local folder); components of those names are
dropped after all files were seen (``detect.resolve``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from kigate import _json
from kigate._toml import loads, tomllib
from kigate.detect.base import Context, Interest
from kigate.detect.catalogue import normalize
from kigate.detect.literals import Lazy
from kigate.model import Component

MAX_BYTES = 2 << 20
STATE = "workspaces.local"
_NAMES = frozenset({"Cargo.toml", "package.json", "pom.xml", "go.mod"})
_LOCAL_NPM = ("workspace:", "file:", "link:", "portal:")
_NPM_KINDS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
_GO_MODULE = Lazy(r"^\s*module\s+(\S+)", re.MULTILINE)
_GO_REPLACE = Lazy(r"^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s+(\.{1,2}/\S*|/\S*)\s*$")
_POM_COMMENT = Lazy(r"<!--.*?-->", re.DOTALL)
_POM_BLOCKS = Lazy(
    r"<(parent|dependencies|build|profiles|dependencyManagement)>.*?</\1>", re.DOTALL
)
_POM_TAG = {k: Lazy(rf"<{k}>\s*([^<\s]+)\s*</{k}>") for k in ("groupId", "artifactId")}
_POM_PARENT = Lazy(r"<parent>(.*?)</parent>", re.DOTALL)


def local_names(ctx: Context) -> set[tuple[str, str]]:
    """(ecosystem, normalised name) of every package the repository defines."""
    found = ctx.state.setdefault(STATE, set())
    assert isinstance(found, set)
    return found


class Workspaces:
    name = "workspaces"

    def interest(self, ctx: Context) -> Interest:
        return Interest(names=_NAMES)

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base in _NAMES else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        # Malformed files are reported by the dependency detectors that read them too.
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return []
        if len(data) > MAX_BYTES:
            return []
        base = path.rsplit("/", 1)[-1]
        reader = {
            "Cargo.toml": _cargo,
            "package.json": _npm,
            "pom.xml": _maven,
            "go.mod": _go,
        }[base]
        local_names(ctx).update(reader(text))
        return []

    def finish(self, ctx: Context) -> Iterable[Component]:
        return []


def _cargo(text: str) -> Iterator[tuple[str, str]]:
    try:
        doc = loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return
    package = doc.get("package")
    if isinstance(package, dict) and isinstance(package.get("name"), str):
        yield "cargo", normalize("cargo", package["name"])
    tables: list[Any] = [
        doc.get(k) for k in ("dependencies", "dev-dependencies", "build-dependencies")
    ]
    workspace = doc.get("workspace")
    if isinstance(workspace, dict):
        tables.append(workspace.get("dependencies"))
    targets = doc.get("target")
    for target in targets.values() if isinstance(targets, dict) else ():
        if isinstance(target, dict):
            tables.extend(target.get(k) for k in ("dependencies", "dev-dependencies"))
    for table in tables:
        for key, spec in table.items() if isinstance(table, dict) else ():
            if isinstance(spec, dict) and "path" in spec:
                yield "cargo", normalize("cargo", str(spec.get("package", key)))


def _npm(text: str) -> Iterator[tuple[str, str]]:
    try:
        doc = _json.loads(text)
    except (ValueError, RecursionError):
        return
    if not isinstance(doc, dict):
        return
    if isinstance(doc.get("name"), str):
        yield "npm", normalize("npm", doc["name"])
    for kind in _NPM_KINDS:
        table = doc.get(kind)
        for name, spec in table.items() if isinstance(table, dict) else ():
            if isinstance(spec, str) and spec.startswith(_LOCAL_NPM):
                yield "npm", normalize("npm", name)


def _maven(text: str) -> Iterator[tuple[str, str]]:
    code = _POM_COMMENT.sub("", text)
    parent = _POM_PARENT.search(code)
    own = _POM_BLOCKS.sub("", code)  # the project's own coordinates, not its dependencies'
    artifact = _POM_TAG["artifactId"].search(own)
    group = _POM_TAG["groupId"].search(own)
    if group is None and parent is not None:
        group = _POM_TAG["groupId"].search(parent.group(1))
    if group is not None and artifact is not None:
        yield "maven", f"{group.group(1)}:{artifact.group(1)}"


def _go(text: str) -> Iterator[tuple[str, str]]:
    module = _GO_MODULE.search(text)
    if module is not None:
        yield "golang", module.group(1)
    in_block = False
    for line in text.splitlines():
        code = line.split("//", 1)[0]
        if re.match(r"^\s*replace\s*\(", code):
            in_block = True
            continue
        if in_block and code.strip() == ")":
            in_block = False
            continue
        if not in_block and not code.lstrip().startswith("replace"):
            continue
        found = _GO_REPLACE.match(code)
        if found is not None:
            yield "golang", found.group(1)


DETECTOR = Workspaces()
