"""Assistant and agent configuration: AGENTS.md, CLAUDE.md, .cursor/rules/, MCP configs, ...

The path alone decides; nothing is read. A catalogue name without a slash matches that file
name in any directory, a name with a slash matches that path below any directory, and a
prefix (a folder ending in ``/``) makes the whole folder one component.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kigate.detect.base import PATH_ONLY, Context, Interest, component
from kigate.detect.catalogue import Rule
from kigate.model import Component, Evidence, Scope


@dataclass(frozen=True)
class Table:
    basenames: dict[str, Rule]
    paths: tuple[tuple[str, Rule], ...]
    folders: tuple[tuple[str, Rule], ...]
    # A substring every catalogue path and folder holds ("." for ".cursor/rules/" and the
    # like): a path without it is settled by its file name alone, which keeps this cheap.
    needle: str


def _table(ctx: Context) -> Table:
    table = ctx.state.get("assistants.table")
    if isinstance(table, Table):
        return table
    basenames: dict[str, Rule] = {}
    paths: list[tuple[str, Rule]] = []
    folders: list[tuple[str, Rule]] = []
    for rule in ctx.catalogue.rules("assistant"):
        for name in rule.names:
            if "/" in name:
                paths.append((name, rule))
            else:
                basenames.setdefault(name, rule)
        folders.extend((p if p.endswith("/") else p + "/", rule) for p in rule.prefixes)
    entries = [name for name, _ in (*paths, *folders)]
    needle = "." if all("." in e for e in entries) else ""
    table = Table(basenames, tuple(paths), tuple(folders), needle)
    ctx.state["assistants.table"] = table
    return table


def locate(path: str, table: Table) -> tuple[str, Rule] | None:
    """The component path (the file, or the configuration folder) and its rule."""
    lowered = path.lower()
    base = lowered.rsplit("/", 1)[-1]
    rule = table.basenames.get(base)
    if rule is not None:
        return path, rule
    if table.needle not in lowered:
        return None
    slashed = "/" + lowered
    for name, rule in table.paths:
        if slashed.endswith("/" + name):
            return path, rule
    for folder, rule in table.folders:
        at = slashed.find("/" + folder)
        if at >= 0:
            return path[: at + len(folder)], rule
    return None


class Assistants:
    name = "assistant-config"

    def interest(self, ctx: Context) -> Interest:
        table = _table(ctx)
        last = {name.rsplit("/", 1)[-1] for name, _ in table.paths}
        return Interest(
            names=frozenset(table.basenames) | last,
            folders=tuple(folder for folder, _ in table.folders),
        )

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return PATH_ONLY if locate(path, _table(ctx)) is not None else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        found = locate(path, _table(ctx))
        if found is None:
            return []
        where, rule = found
        evidence = Evidence(path, None, path.rsplit("/", 1)[-1], "assistant-config")
        return [component("assistant", where, rule, Scope.DEVELOPMENT, evidence)]


DETECTOR = Assistants()
