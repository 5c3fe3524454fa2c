"""Signal catalogues: the names that mean AI, as data in ``policies/signals/*.toml``.

A catalogue file names one ecosystem (``pypi``, ``npm``, ``service``, ...) and a list of
``[[match]]`` rules: exact ``names`` and explicit ``prefixes`` (a family such as
``langchain-``), never substrings. Optional keys: ``scope`` forces a scope, ``component``
fixes the component name (all names of the rule are one component, e.g. every OpenAI host
and key is ``service:openai``), ``hosts`` and ``env`` list API hosts and environment
variable names. ``[imports]`` maps a module or package namespace to the package that
provides it, so ``import sklearn`` is reported as ``pypi:scikit-learn``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n, safeio, shipped
from kigate._toml import TooComplex, loads, tomllib
from kigate.errors import PolicyError

FORMAT_VERSION = 1
MAX_CATALOGUE_BYTES = 1 << 20  # the shipped ones are a few KiB

_PEP503 = re.compile(r"[-_.]+")
# Ecosystems whose names do not depend on case.
_LOWER_CASE = frozenset(
    {"npm", "nuget", "composer", "gem", "docker", "github-action", "model", "assistant", "cloud"}
)


def normalize(ecosystem: str, name: str) -> str:
    """The canonical spelling of a package name in its ecosystem."""
    name = name.strip()
    if ecosystem in ("pypi", "conda"):
        return _PEP503.sub("-", name).lower()
    if ecosystem == "crates":
        return name.lower().replace("_", "-")
    if ecosystem in _LOWER_CASE:
        return name.lower()
    return name


@dataclass(frozen=True)
class Rule:
    category: str
    names: frozenset[str]
    prefixes: tuple[str, ...]
    scope: str | None  # force a scope (e.g. "development" for coding assistants)
    component: str | None = None  # every name of the rule is this one component
    hosts: tuple[str, ...] = ()  # API hosts; "*.x.com" matches any sub-domain of x.com
    env: frozenset[str] = frozenset()  # environment variable names (keys, endpoints)
    # lower-case substrings of a Co-authored-by/Assisted-by trailer that name this assistant
    trailers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signals:
    """One catalogue file: an ecosystem (or signal family) and its matching rules."""

    name: str
    ecosystem: str
    rules: tuple[Rule, ...]
    raw: dict[str, Any]
    imports: tuple[tuple[str, str], ...] = ()

    def match(self, normalized: str) -> Rule | None:
        for rule in self.rules:
            if normalized in rule.names:
                return rule
        for rule in self.rules:
            if any(normalized.startswith(p) for p in rule.prefixes):
                return rule
        return None


@dataclass(frozen=True)
class Catalogue:
    signals: tuple[Signals, ...]

    def ecosystem(self, ecosystem: str) -> Signals | None:
        for entry in self.signals:
            if entry.ecosystem == ecosystem:
                return entry
        return None

    def match(self, ecosystem: str, normalized: str) -> Rule | None:
        for entry in self.signals:
            if entry.ecosystem == ecosystem:
                rule = entry.match(normalized)
                if rule is not None:
                    return rule
        return None

    def rules(self, ecosystem: str) -> tuple[Rule, ...]:
        return tuple(r for s in self.signals if s.ecosystem == ecosystem for r in s.rules)

    def imports(self, ecosystem: str) -> dict[str, str]:
        """Module or namespace -> package name, for every catalogue of ``ecosystem``."""
        table: dict[str, str] = {}
        for entry in self.signals:
            if entry.ecosystem == ecosystem:
                table.update(entry.imports)
        return table


_TOP_KEYS = ("kigate-signals", "ecosystem", "match", "imports")
# The ecosystems some detector reads; a catalogue for any other would silently do nothing.
ECOSYSTEMS = (
    "pypi", "conda", "npm", "go", "maven", "crates", "nuget", "gem", "composer", "docker",
    "github-action", "service", "cloud", "model", "assistant",
)  # fmt: skip
_LISTS = ("names", "prefixes", "hosts", "env", "trailers")
_TEXTS = ("category", "scope", "component")


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def validate(raw: dict[str, Any], source: str) -> None:
    """A catalogue is data an organisation writes: every mistake is one clear sentence."""

    def fail(key: str, /, **params: object) -> None:
        raise PolicyError(i18n.t(f"signals.{key}", **params), path=source)

    for key in raw:
        if key not in _TOP_KEYS:
            fail("unknown_key", key=key, known=", ".join(_TOP_KEYS))
    if raw.get("kigate-signals", FORMAT_VERSION) != FORMAT_VERSION:
        fail("bad_version", found=raw.get("kigate-signals"), version=FORMAT_VERSION)
    if not isinstance(raw.get("ecosystem"), str):
        fail("want_string", key="ecosystem")
    if raw["ecosystem"] not in ECOSYSTEMS:
        fail("unknown_ecosystem", name=raw["ecosystem"], known=", ".join(ECOSYSTEMS))
    entries = raw.get("match", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("want_tables", key="match")
    for entry in entries:
        for key, value in entry.items():
            if key not in _LISTS + _TEXTS:
                fail("unknown_key", key=f"match.{key}", known=", ".join(_LISTS + _TEXTS))
            if key in _LISTS and not _is_strings(value):
                fail("want_list", key=f"match.{key}")
            if key in _TEXTS and not isinstance(value, str):
                fail("want_string", key=f"match.{key}")
        if entry.get("scope", "product") not in ("product", "development"):
            fail("bad_scope", value=entry["scope"])
        if "" in entry.get("prefixes", []):
            fail("empty_prefix")
    imports = raw.get("imports", {})
    if not isinstance(imports, dict) or not all(isinstance(v, str) for v in imports.values()):
        fail("want_imports", key="imports")


def _load_one(ref: str, relative_to: Path | None) -> Signals:
    builtin = shipped.policies() / "signals" / f"{ref}.toml"
    if "/" not in ref and not ref.endswith(".toml") and builtin.is_file():
        source, text = ref, builtin.read_text(encoding="utf-8")
    else:
        path = Path(ref)
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        try:
            source, text = str(path), safeio.read_text(path, MAX_CATALOGUE_BYTES)
        except (OSError, UnicodeDecodeError):
            raise PolicyError(i18n.t("signals.not_found", ref=ref)) from None
    try:
        raw = loads(text)
    except TooComplex as exc:
        raise PolicyError(exc.text, path=source) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(i18n.t("signals.invalid", detail=str(exc)), path=source) from None
    validate(raw, source)
    ecosystem = str(raw["ecosystem"])
    rules = []
    for entry in raw.get("match", []):  # validated above: a list of tables
        scope = entry.get("scope")
        rules.append(
            Rule(
                category=str(entry.get("category", "ai")),
                names=frozenset(normalize(ecosystem, n) for n in entry.get("names", [])),
                prefixes=tuple(normalize(ecosystem, p) for p in entry.get("prefixes", [])),
                scope=scope,
                component=entry.get("component"),
                hosts=tuple(h.lower() for h in entry.get("hosts", [])),
                env=frozenset(entry.get("env", [])),
                trailers=tuple(t.lower() for t in entry.get("trailers", [])),
            )
        )
    return Signals(
        name=Path(source).stem,
        ecosystem=ecosystem,
        rules=tuple(rules),
        raw=raw,
        imports=tuple((k, normalize(ecosystem, v)) for k, v in raw.get("imports", {}).items()),
    )


def load(refs: Sequence[str], relative_to: Path | None = None) -> Catalogue:
    return Catalogue(tuple(_load_one(ref, relative_to) for ref in refs))
