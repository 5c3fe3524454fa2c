"""Signal catalogues: the names that mean AI, as data in ``policies/signals/*.toml``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kigate import i18n
from kigate._toml import tomllib
from kigate.errors import PolicyError

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Rule:
    category: str
    names: frozenset[str]
    prefixes: tuple[str, ...]
    scope: str | None  # force a scope (e.g. "development" for coding assistants)


@dataclass(frozen=True)
class Signals:
    """One catalogue file: an ecosystem (or signal family) and its matching rules."""

    name: str
    ecosystem: str
    rules: tuple[Rule, ...]
    raw: dict[str, Any]

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


def _load_one(ref: str, relative_to: Path | None) -> Signals:
    builtin = resources.files("kigate") / "policies" / "signals" / f"{ref}.toml"
    if "/" not in ref and not ref.endswith(".toml") and builtin.is_file():
        source, text = ref, builtin.read_text(encoding="utf-8")
    else:
        path = Path(ref)
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        try:
            source, text = str(path), path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise PolicyError(i18n.t("signals.not_found", ref=ref)) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(i18n.t("signals.invalid", detail=str(exc)), path=source) from None
    rules = []
    for entry in raw.get("match", []):
        rules.append(
            Rule(
                category=str(entry.get("category", "ai")),
                names=frozenset(str(n) for n in entry.get("names", [])),
                prefixes=tuple(str(p) for p in entry.get("prefixes", [])),
                scope=entry.get("scope"),
            )
        )
    return Signals(
        name=Path(source).stem,
        ecosystem=str(raw.get("ecosystem", ref)),
        rules=tuple(rules),
        raw=raw,
    )


def load(refs: Sequence[str], relative_to: Path | None = None) -> Catalogue:
    return Catalogue(tuple(_load_one(ref, relative_to) for ref in refs))
