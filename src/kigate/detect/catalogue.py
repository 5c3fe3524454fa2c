"""Signal catalogues: the names that mean AI, as data in ``policies/signals/*.toml``.

A catalogue file names one ecosystem (``pypi``, ``npm``, ``service``, ...) and a list of
``[[match]]`` rules: exact ``names`` and explicit ``prefixes`` (a family such as
``langchain-``), never substrings. Optional keys: ``scope`` forces a scope, ``component``
fixes the component name (all names of the rule are one component, e.g. every OpenAI host
and key is ``service:openai``), ``hosts`` and ``env`` list API hosts and environment
variable names, ``kinds`` the declared kinds a cloud resource must have. ``[imports]`` maps a
module or package namespace to the package that provides it, so ``import sklearn`` is
reported as ``pypi:scikit-learn``; a list names every package that provides the module, the
usual one first, and the one a manifest of the repository declares wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n, safeio, shipped
from kigate._toml import TooComplex, loads, tomllib
from kigate.detect.literals import Lazy
from kigate.errors import PolicyError

FORMAT_VERSION = 1
MAX_CATALOGUE_BYTES = 1 << 20  # the shipped ones are a few KiB

_PEP503 = Lazy(r"[-_.]+")
# Ecosystems whose names do not depend on case.
_LOWER_CASE = frozenset(
    {"npm", "nuget", "composer", "gem", "docker", "github-action", "model", "assistant", "cloud"}
)
# Ecosystem names before they followed the purl types; still accepted in catalogues.
RENAMED = {"crates": "cargo", "go": "golang"}
# Matched without case, shown in the package's own spelling (the catalogue's, where it
# names the package exactly).
CASE_KEPT = frozenset({"nuget"})


def normalize(ecosystem: str, name: str) -> str:
    """The spelling of a package name in its ecosystem that matching compares."""
    name = name.strip()
    if ecosystem in ("pypi", "conda"):
        return _PEP503.sub("-", name).lower()
    if ecosystem in ("cargo", "crates"):
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
    # Declared kinds (lower case) a resource must have to be this component, e.g. an Azure
    # cognitive account of kind "OpenAI"; empty: any kind.
    kinds: frozenset[str] = frozenset()
    spelling: tuple[tuple[str, str], ...] = ()  # normalized name -> the catalogue's spelling


@dataclass(frozen=True)
class Signals:
    """One catalogue file: an ecosystem (or signal family) and its matching rules."""

    name: str
    ecosystem: str
    rules: tuple[Rule, ...]
    raw: dict[str, Any]
    # module -> the packages that provide it, the usual one first (``import faiss`` is
    # faiss-cpu, unless the repository declares faiss-gpu)
    imports: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # old component id (or id prefix ending in ":") -> the id (or prefix) it became
    aliases: tuple[tuple[str, str], ...] = ()

    def match(self, normalized: str, kind: str | None = None) -> Rule | None:
        """The rule for a name: one whose ``kinds`` hold ``kind`` first, then an exact name
        without kinds, then a prefix."""
        if kind is not None:
            for rule in self.rules:
                if kind.lower() in rule.kinds and (
                    normalized in rule.names or any(normalized.startswith(p) for p in rule.prefixes)
                ):
                    return rule
        for rule in self.rules:
            if normalized in rule.names and not rule.kinds:
                return rule
        for rule in self.rules:
            if not rule.kinds and any(normalized.startswith(p) for p in rule.prefixes):
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

    def match(self, ecosystem: str, normalized: str, kind: str | None = None) -> Rule | None:
        for entry in self.signals:
            if entry.ecosystem == ecosystem:
                rule = entry.match(normalized, kind)
                if rule is not None:
                    return rule
        return None

    def aliases(self) -> dict[str, str]:
        """Old component ids (or prefixes such as ``crates:``) -> what they became."""
        return {old: new for entry in self.signals for old, new in entry.aliases}

    def spelling(self, ecosystem: str, normalized: str) -> str | None:
        """The catalogue's own spelling of an exactly named package (for CASE_KEPT)."""
        for rule in self.rules(ecosystem):
            for key, shown in rule.spelling:
                if key == normalized:
                    return shown
        return None

    def rules(self, ecosystem: str) -> tuple[Rule, ...]:
        return tuple(r for s in self.signals if s.ecosystem == ecosystem for r in s.rules)

    def imports(self, ecosystem: str) -> dict[str, str]:
        """Module or namespace -> package name, for every catalogue of ``ecosystem``."""
        return {module: packages[0] for module, packages in self._imports(ecosystem).items()}

    def alternatives(self, ecosystem: str) -> dict[str, tuple[str, ...]]:
        """The usual package of a module -> the others that provide the same module."""
        table: dict[str, tuple[str, ...]] = {}
        for packages in self._imports(ecosystem).values():
            if len(packages) > 1:
                table[packages[0]] = (*table.get(packages[0], ()), *packages[1:])
        return table

    def _imports(self, ecosystem: str) -> dict[str, tuple[str, ...]]:
        table: dict[str, tuple[str, ...]] = {}
        for entry in self.signals:
            if entry.ecosystem == ecosystem:
                table.update(entry.imports)
        return table


_TOP_KEYS = ("kigate-signals", "ecosystem", "match", "imports", "aliases")
# The ecosystems some detector reads; a catalogue for any other would silently do nothing.
ECOSYSTEMS = (
    "pypi", "conda", "npm", "golang", "maven", "cargo", "nuget", "gem", "composer", "swift",
    "cran", "julia", "docker", "github-action", "service", "cloud", "model", "assistant",
)  # fmt: skip
_LISTS = ("names", "prefixes", "hosts", "env", "trailers", "kinds")
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
    if RENAMED.get(raw["ecosystem"], raw["ecosystem"]) not in ECOSYSTEMS:
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
    aliases = raw.get("aliases", {})
    if not isinstance(aliases, dict) or not all(
        isinstance(v, str) and ":" in v and ":" in k for k, v in aliases.items()
    ):
        fail("want_aliases", key="aliases")
    imports = raw.get("imports", {})
    if not isinstance(imports, dict) or not all(
        isinstance(v, str) or (_is_strings(v) and v) for v in imports.values()
    ):
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
    ecosystem = RENAMED.get(str(raw["ecosystem"]), str(raw["ecosystem"]))
    rules = []
    for entry in raw.get("match", []):  # validated above: a list of tables
        scope = entry.get("scope")
        names = entry.get("names", [])
        rules.append(
            Rule(
                category=str(entry.get("category", "ai")),
                names=frozenset(normalize(ecosystem, n) for n in names),
                prefixes=tuple(normalize(ecosystem, p) for p in entry.get("prefixes", [])),
                scope=scope,
                component=entry.get("component"),
                hosts=tuple(h.lower() for h in entry.get("hosts", [])),
                env=frozenset(entry.get("env", [])),
                trailers=tuple(t.lower() for t in entry.get("trailers", [])),
                kinds=frozenset(k.lower() for k in entry.get("kinds", [])),
                spelling=tuple((normalize(ecosystem, n), n.strip()) for n in names)
                if ecosystem in CASE_KEPT
                else (),
            )
        )
    return Signals(
        name=Path(source).stem,
        ecosystem=ecosystem,
        rules=tuple(rules),
        raw=raw,
        imports=tuple(
            (k, tuple(_import_name(ecosystem, p) for p in ([v] if isinstance(v, str) else v)))
            for k, v in raw.get("imports", {}).items()
        ),
        aliases=tuple(raw.get("aliases", {}).items()),
    )


def _import_name(ecosystem: str, name: str) -> str:
    # A package whose case is kept for display keeps it here; matching normalises anyway.
    return name.strip() if ecosystem in CASE_KEPT else normalize(ecosystem, name)


def load(refs: Sequence[str], relative_to: Path | None = None) -> Catalogue:
    return Catalogue(tuple(_load_one(ref, relative_to) for ref in refs))
