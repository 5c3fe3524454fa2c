"""JavaScript and TypeScript dependencies: every dependency kind of package.json."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kigate import _json, i18n
from kigate.detect.base import Context, Interest, decode, dependency, known
from kigate.model import Component, Scope

MAX_BYTES = 2 << 20
_KINDS = (
    ("dependencies", Scope.PRODUCT),
    ("peerDependencies", Scope.PRODUCT),
    ("optionalDependencies", Scope.PRODUCT),
    ("bundleDependencies", Scope.PRODUCT),
    ("bundledDependencies", Scope.PRODUCT),
    ("devDependencies", Scope.DEVELOPMENT),
)


class JavaScriptDependencies:
    name = "js-dependencies"

    def interest(self, ctx: Context) -> Interest:
        return Interest(names=frozenset({"package.json"}))

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        return MAX_BYTES if base == "package.json" else None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            return []
        try:
            doc = _json.loads(text)
        except (ValueError, RecursionError) as exc:
            ctx.problem(path, i18n.t("detect.bad_json", detail=str(exc)[:200]))
            return []
        if not isinstance(doc, dict):
            return []
        found = []
        for kind, scope in _KINDS:
            names = doc.get(kind)
            if isinstance(names, dict):
                names = list(names)
            for name in names if isinstance(names, list) else ():
                if not isinstance(name, str) or not known(ctx, "npm", name):
                    continue
                comp = dependency(ctx, "npm", name, path, _line(text, kind, name), scope)
                if comp is not None:
                    found.append(comp)
        return found


def _line(text: str, kind: str, name: str) -> int | None:
    """Line of ``"name"`` after the ``"kind"`` key (keys repeat across kinds)."""
    start = text.find(f'"{kind}"')
    at = text.find(f'"{name}"', max(start, 0))
    if at < 0:
        at = text.find(json.dumps(name))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


DETECTOR = JavaScriptDependencies()
