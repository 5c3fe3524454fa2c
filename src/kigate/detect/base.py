"""What every detector shares: the Detector protocol, the run context and small helpers.

A detector first says, from the path alone, whether a file can tell it anything and how
many bytes it needs (``wants``); the dispatcher then reads each file once, at most as many
bytes as the most demanding detector asked for, and hands the same bytes to every detector
that wanted the file (``scan``). So a 2 GB model file costs a header read, and detection per
file stays a function of (path, bytes, catalogue) that a content cache can memoise. The
exceptions need other files and are never cached (``Finisher``): a requirements file's ``-r``
include, Gradle version catalogs and their ``libs.x`` references, the workspace's own package
names, Git LFS rules and TensorFlow.js weight shards. A detector may also answer for a file
that could not be read, by its name alone (``unexamined``, e.g. a link named ``x.gguf``).
A detector that names the files it may want (``interest``) is asked about those only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from kigate import i18n
from kigate._toml import loads, tomllib
from kigate.detect.catalogue import CASE_KEPT, Catalogue, Rule, normalize
from kigate.model import Component, Evidence, Scope, Text
from kigate.tree import Tree

PATH_ONLY = 0  # ``wants`` result: the path alone decides, no bytes are read


@dataclass(frozen=True)
class DetectProblem:
    """A file that might reveal AI but could not be read or parsed: a warning, never a crash."""

    path: str
    line: int | None
    text: Text


@dataclass
class Context:
    """One detection run: the files, the catalogue, and the problems found on the way."""

    tree: Tree
    files: Sequence[str]
    catalogue: Catalogue
    problems: list[DetectProblem] = field(default_factory=list)
    # Per-run scratch space of a detector (keyed by its name), e.g. includes still to follow.
    state: dict[str, Any] = field(default_factory=dict)
    _file_set: frozenset[str] | None = None

    def problem(self, path: str, text: Text, line: int | None = None) -> None:
        self.problems.append(DetectProblem(path, line, text))

    def has_file(self, path: str) -> bool:
        if self._file_set is None:
            self._file_set = frozenset(self.files)
        return path in self._file_set


class Detector(Protocol):
    name: str

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        """None: the file is of no interest; PATH_ONLY; or how many bytes to read."""

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        """Components found in one file (``data`` is empty for PATH_ONLY)."""


@dataclass(frozen=True)
class Interest:
    """The files a detector may want, by name. Names, prefixes and extensions are compared
    with the lower-cased file name; an extension here is the name from its last dot, so
    ``.txt`` covers ``a.txt`` and ``.txt`` alike. ``folders`` end with ``/``: every file
    below a folder of that path (at any depth of the tree) may be wanted."""

    extensions: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


@runtime_checkable
class Finisher(Protocol):
    """A detector that has work left after every file was seen (e.g. followed includes)."""

    def finish(self, ctx: Context) -> Iterable[Component]: ...


def component(
    ecosystem: str,
    name: str,
    rule: Rule,
    scope: Scope,
    evidence: Evidence,
) -> Component:
    """A component of ``ecosystem``; the rule may fix its name and force its scope."""
    shown = rule.component or name
    return Component(
        id=f"{ecosystem}:{shown}",
        name=shown,
        ecosystem=ecosystem,
        category=rule.category,
        scope=Scope(rule.scope) if rule.scope else scope,
        evidence=(evidence,),
    )


def known(ctx: Context, ecosystem: str, raw: str) -> bool:
    """Whether the catalogue knows package ``raw``: only then is its line worth a search."""
    return ctx.catalogue.match(ecosystem, normalize(ecosystem, raw)) is not None


def dependency(
    ctx: Context,
    ecosystem: str,
    raw: str,
    path: str,
    line: int | None,
    scope: Scope,
    family: str = "dependency",
    usage: str | None = None,
) -> Component | None:
    """The component for package ``raw`` of ``ecosystem`` if the catalogue knows it."""
    name = normalize(ecosystem, raw)
    rule = ctx.catalogue.match(ecosystem, name)
    if rule is None:
        return None
    if ecosystem in CASE_KEPT:
        name = ctx.catalogue.spelling(ecosystem, name) or raw.strip()
    return component(ecosystem, name, rule, scope, Evidence(path, line, name, family, usage))


def decode(ctx: Context, path: str, data: bytes, limit: int) -> str | None:
    """``data`` as text, or None with a warning when it is too large or not UTF-8."""
    if len(data) > limit:
        ctx.problem(path, i18n.t("detect.too_large", limit=limit // 1024))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        ctx.problem(path, i18n.t("detect.not_utf8"))
        return None


# Matches examined per file and pattern. A real file imports a package a few times; a
# generated or hostile one may repeat it a million times, and each match costs a look back.
MAX_HITS = 500

_M = TypeVar("_M")


def toml_document(ctx: Context, path: str, text: str) -> dict[str, Any] | None:
    """``text`` parsed as TOML (within the shape budgets); None, with the problem noted for
    ``path``, when it is not TOML a detector can read."""
    try:
        return loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        ctx.problem(path, i18n.t("detect.bad_toml", detail=str(exc)))
        return None


def capped(matches: Iterable[_M]) -> Iterator[_M]:
    return itertools.islice(matches, MAX_HITS)


def line_at(data: bytes | str, offset: int) -> int:
    """1-based line number of ``offset``."""
    if isinstance(data, bytes):
        return data.count(b"\n", 0, offset) + 1
    return data.count("\n", 0, offset) + 1


# Generated lock files: they pin what the manifests declare and are often megabytes large.
LOCK_FILES = frozenset(
    {"package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock"}
)


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def extension(base: str) -> str:
    """Lower-case extension with its dot ('' when there is none)."""
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def is_link(ctx: Context, path: str) -> bool:
    """Whether ``path`` is a symbolic link in the tree (never followed to say so); a tree
    that cannot tell has none."""
    probe = getattr(ctx.tree, "is_link", None)
    return bool(probe(path)) if callable(probe) else False
