"""Containers and services: Dockerfile ``FROM`` and compose/Kubernetes ``image:`` of AI
runtimes, AI keys named in ``.env`` files, compose and workflows (the name, never the
value), and GitHub Actions steps that use AI actions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kigate import i18n
from kigate.detect.base import (
    LOCK_FILES,
    Context,
    Interest,
    capped,
    component,
    decode,
    dependency,
    extension,
    line_at,
)
from kigate.detect.catalogue import Rule
from kigate.detect.literals import Lazy, trie
from kigate.detect.pyspec import Spec, match
from kigate.detect.source_imports import source_scope
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 2 << 20
_FROM = Lazy(r"^\s*FROM\s+(?:--\S+\s+)*([^\s$]+)", re.IGNORECASE | re.MULTILINE)
_IMAGE = Lazy(r"""^\s*-?\s*image\s*:\s*["']?([^\s"'#$]+)""", re.MULTILINE)
# ``pip install a b`` up to the end of the shell command (continued lines included).
_PIP_INSTALL = Lazy(r"\bpip3?\s+install\s+((?:[^&|;\n\\]|\\\n)+)")
_USES = Lazy(r"""^\s*-?\s*uses\s*:\s*["']?([\w.-]+/[\w.-]+)[^@\s"']*@""", re.MULTILINE)
_ENV_LINE = Lazy(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)
# ``KEY: value`` (compose, workflows), ``- KEY=value`` (compose), ``- name: KEY`` (Kubernetes).
_YAML_KEY = Lazy(
    r"""^\s*-?\s*(?:name\s*:\s*)?["']?([A-Z][A-Z0-9_]*)["']?\s*(?:[:=]|$)""", re.MULTILINE
)
_SECRET = Lazy(r"\b(?:secrets|vars|env)\.([A-Z][A-Z0-9_]*)\b")


def image_name(ref: str) -> str:
    """``docker.io/library/x:1@sha256:..`` -> ``x``; registry hosts other than Docker Hub stay."""
    ref = ref.split("@", 1)[0].lower()
    last = ref.rsplit("/", 1)
    if ":" in last[-1]:
        ref = ref[: len(ref) - len(last[-1])] + last[-1].split(":", 1)[0]
    for hub in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        ref = ref.removeprefix(hub)
    return ref.removeprefix("library/")


def _is_dockerfile(base: str) -> bool:
    lowered = base.lower()
    return lowered.startswith(("dockerfile", "containerfile")) or lowered.endswith(".dockerfile")


def _is_env(base: str) -> bool:
    return base.startswith(".env") or base.endswith(".env")


def _is_workflow(path: str) -> bool:
    return path.startswith(".github/workflows/") or "/.github/workflows/" in path


def _env_rules(ctx: Context) -> dict[str, Rule]:
    table = ctx.state.get("containers.env")
    if not isinstance(table, dict):
        table = {name: r for r in ctx.catalogue.rules("service") for name in r.env}
        ctx.state["containers.env"] = table
    return table


def _names_in(ctx: Context, data: bytes) -> bool:
    """Whether ``data`` holds an AI key's name at all: only then are its keys worth a walk
    over every line (one fast search for all the names, a trie)."""
    hint = ctx.state.get("containers.env-hint")
    if not isinstance(hint, re.Pattern):
        names = [name.encode() for name in _env_rules(ctx)]
        hint = ctx.state["containers.env-hint"] = re.compile(trie(names) if names else b"(?!)")
    return hint.search(data) is not None


class Containers:
    name = "containers-and-services"

    def interest(self, ctx: Context) -> Interest:
        return Interest(
            extensions=frozenset({".yml", ".yaml", ".dockerfile", ".env"}),
            prefixes=(".env", "dockerfile", "containerfile"),
        )

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        if base in LOCK_FILES:
            return None
        if _is_dockerfile(base) or _is_env(base) or extension(base) in (".yml", ".yaml"):
            return MAX_BYTES
        return None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        base = path.rsplit("/", 1)[-1]
        if len(data) > MAX_BYTES:
            ctx.problem(path, i18n.t("detect.too_large", limit=MAX_BYTES // 1024))
            return []
        if not (b"FROM" in data or b"image" in data or b"uses" in data or b"_" in data):
            return []
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            return []
        scope = source_scope(path)
        found: list[Component | None] = []
        keys = _names_in(ctx, data)  # a key found is an AI key's name, so the text holds it
        if _is_dockerfile(base):
            found.extend(self._images(ctx, path, text, _FROM, scope))
            found.extend(self._pip_installs(ctx, path, text, scope))
        elif _is_env(base):
            if keys:
                found.extend(self._keys(ctx, path, text, _ENV_LINE, scope))
        else:
            if b"image" in data:  # the word _IMAGE starts with
                found.extend(self._images(ctx, path, text, _IMAGE, scope))
            if keys:
                found.extend(self._keys(ctx, path, text, _YAML_KEY, scope))
            if _is_workflow(path):
                if keys:
                    found.extend(self._keys(ctx, path, text, _SECRET, Scope.DEVELOPMENT))
                found.extend(self._actions(ctx, path, text))
        return [c for c in found if c is not None]

    def _images(
        self, ctx: Context, path: str, text: str, pattern: Lazy[str], scope: Scope
    ) -> Iterator[Component | None]:
        for hit in capped(pattern.finditer(text)):
            name = image_name(hit.group(1))
            yield dependency(
                ctx, "docker", name, path, line_at(text, hit.start(1)), scope, "container"
            )

    def _pip_installs(
        self, ctx: Context, path: str, text: str, scope: Scope
    ) -> Iterator[Component]:
        """``RUN pip install openai`` installs a dependency as surely as requirements.txt."""
        specs = []
        for hit in capped(_PIP_INSTALL.finditer(text)):
            if text[text.rfind("\n", 0, hit.start()) + 1 : hit.start()].lstrip().startswith("#"):
                continue
            line = line_at(text, hit.start())
            for word in hit.group(1).replace("\\\n", " ").split():
                if word.startswith("-") or "/" in word or word.endswith((".txt", ".whl")):
                    continue
                specs.append(Spec(word.strip("'\""), line, scope))
        for comp in match(ctx, path, iter(specs)):
            e = comp.evidence[0]
            evidence = (Evidence(e.path, e.line, e.match, "container"),)
            yield Component(comp.id, comp.name, comp.ecosystem, comp.category, comp.scope, evidence)

    def _keys(
        self, ctx: Context, path: str, text: str, pattern: Lazy[str], scope: Scope
    ) -> Iterator[Component]:
        rules = _env_rules(ctx)
        if not rules:
            return
        for hit in capped(pattern.finditer(text)):
            rule = rules.get(hit.group(1))
            if rule is not None:
                line = line_at(text, hit.start(1))
                evidence = Evidence(path, line, hit.group(1), "environment")
                yield component("service", hit.group(1).lower(), rule, scope, evidence)

    def _actions(self, ctx: Context, path: str, text: str) -> Iterator[Component | None]:
        for hit in capped(_USES.finditer(text)):
            line = line_at(text, hit.start(1))
            yield dependency(
                ctx, "github-action", hit.group(1), path, line, Scope.DEVELOPMENT, "workflow"
            )


DETECTOR = Containers()
