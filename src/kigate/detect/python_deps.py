"""Python dependencies: pyproject.toml (PEP 621) and requirements*.txt."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kigate import i18n
from kigate._toml import tomllib
from kigate.detect import Context
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 2 << 20
_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_DEV_GROUPS = frozenset(
    {
        "dev",
        "devel",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "docs",
        "doc",
        "typing",
        "type",
        "mypy",
        "qa",
        "ci",
        "check",
        "style",
    }
)


def normalize(name: str) -> str:
    """PEP 503: runs of -, _ and . become one -, lower case."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str | None:
    m = _NAME.match(spec)
    return normalize(m.group(1)) if m else None


def _is_requirements(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith("requirements") and name.endswith((".txt", ".in"))


def _dev_requirements(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    stem = name.rsplit(".", 1)[0]
    return any(part in _DEV_GROUPS for part in re.split(r"[-_.]", stem)[1:])


class PythonDependencies:
    name = "python-dependencies"

    def detect(self, ctx: Context) -> Iterable[Component]:
        for path in ctx.files:
            base = path.rsplit("/", 1)[-1]
            if base == "pyproject.toml":
                yield from self._pyproject(ctx, path)
            elif _is_requirements(path):
                yield from self._requirements(ctx, path)

    def _component(
        self, ctx: Context, spec: str, path: str, line: int | None, scope: Scope
    ) -> Component | None:
        name = requirement_name(spec)
        if name is None:
            return None
        rule = ctx.catalogue.match("pypi", name)
        if rule is None:
            return None
        return Component(
            id=f"pypi:{name}",
            name=name,
            ecosystem="pypi",
            category=rule.category,
            scope=Scope(rule.scope) if rule.scope else scope,
            evidence=(Evidence(path, line, name, "dependency"),),
        )

    def _text(self, ctx: Context, path: str) -> str | None:
        data = ctx.tree.read(path, MAX_BYTES + 1)
        if data is None:
            return None
        if len(data) > MAX_BYTES:
            ctx.problem(path, i18n.t("detect.too_large", limit=MAX_BYTES // 1024))
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            ctx.problem(path, i18n.t("detect.not_utf8"))
            return None

    def _requirements(self, ctx: Context, path: str) -> Iterator[Component]:
        text = self._text(ctx, path)
        if text is None:
            return
        scope = Scope.DEVELOPMENT if _dev_requirements(path) else Scope.PRODUCT
        for number, line in enumerate(text.splitlines(), start=1):
            spec = line.split(" #", 1)[0].strip()
            if not spec or spec.startswith(("#", "-")):
                continue
            comp = self._component(ctx, spec, path, number, scope)
            if comp:
                yield comp

    def _pyproject(self, ctx: Context, path: str) -> Iterator[Component]:
        text = self._text(ctx, path)
        if text is None:
            return
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            ctx.problem(path, i18n.t("detect.bad_toml", detail=str(exc)))
            return
        project = doc.get("project")
        if not isinstance(project, dict):
            return
        lines = text.splitlines()
        groups: list[tuple[list[object], Scope]] = []
        deps = project.get("dependencies")
        if isinstance(deps, list):
            groups.append((deps, Scope.PRODUCT))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for group, specs in optional.items():
                if isinstance(specs, list):
                    scope = Scope.DEVELOPMENT if group.lower() in _DEV_GROUPS else Scope.PRODUCT
                    groups.append((specs, scope))
        for specs, scope in groups:
            for spec in specs:
                if isinstance(spec, str):
                    comp = self._component(ctx, spec, path, _find_line(lines, spec), scope)
                    if comp:
                        yield comp


def _find_line(lines: list[str], spec: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if f'"{spec}"' in line or f"'{spec}'" in line:
            return number
    return None


DETECTOR = PythonDependencies()
