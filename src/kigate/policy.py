"""Load, resolve (``extends``) and validate policies. Policies are data, never code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n, rules
from kigate.errors import PolicyError
from kigate.model import Scope, Severity, Text
from kigate.names import display_name
from kigate.policy_sources import builtin_names, parse, read_source, resolve
from kigate.policycheck import check_document, new_aspects
from kigate.schema import ASPECT_FIELDS, FRAMEWORKS, POLICY_VERSION, Problem
from kigate.schema import SYSTEM_FIELDS as SYSTEM_FIELD_TYPES
from kigate.tomlpos import line_of, locate

__all__ = ["DEFAULT_POLICY", "AspectDef", "Policy", "Problem", "builtin_names", "load", "validate"]

DEFAULT_POLICY = "demokratische-ki"
FORMAT_VERSION = POLICY_VERSION
MANIFEST_FIELDS = tuple(ASPECT_FIELDS)  # what an aspect's ``required`` may name
SYSTEM_FIELDS = tuple(SYSTEM_FIELD_TYPES)  # what ``required_system`` may name


@dataclass(frozen=True)
class AspectDef:
    id: str
    aliases: tuple[str, ...]
    title: Text
    description: Text
    questions_en: tuple[str, ...]
    questions_de: tuple[str, ...]
    required: tuple[str, ...]
    min_words: int
    frameworks: tuple[tuple[str, tuple[str, ...]], ...]
    # topic word stems as the policy writes them (``policy show``); matched umlaut-folded
    terms_de: tuple[str, ...] = ()
    terms_en: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.terms_de, *self.terms_en)

    def questions(self, lang: str) -> tuple[str, ...]:
        return self.questions_de if lang == "de" else self.questions_en


@dataclass(frozen=True)
class Policy:
    id: str
    version: str
    source: str  # built-in name or the path it was loaded from
    chain: tuple[str, ...]  # the policy and everything it extends, nearest first
    title: Text
    description: Text
    frameworks_note: Text
    manifest_name: str
    review_max_days: int
    placeholders: tuple[str, ...]
    placeholder_markers: tuple[str, ...]
    signals: tuple[str, ...]
    required_system: tuple[str, ...]
    severities: tuple[tuple[str, str], ...]  # (rule, severity or "off") for product scope
    dev_severities: tuple[tuple[str, str], ...]  # overrides for development scope
    aspects: tuple[AspectDef, ...]
    # ids and aliases of aspects an ``extends`` switched off: accepted in a manifest, not required
    dropped_aspects: frozenset[str] = frozenset()
    # words that say nothing concrete ("we take this very seriously"): an answer made of
    # them, the aspect's own title and its questions is no answer (KG112)
    filler_words: tuple[str, ...] = ()
    # two answers at least this alike (Jaccard of word 3-shingles) are copies (KG114)
    similarity_threshold: float = 0.6
    # sign-off (kigate.signoff): whom to trust, and whether a signature is required
    allowed_signers: str | None = None
    allowed_signers_in_base: str | None = None
    require_signoff: bool = False
    owner_signers: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def severity(self, rule_id: str, scope: Scope = Scope.PRODUCT) -> Severity | None:
        """The rule's severity under this policy; None when the policy turns it off."""
        value = dict(self.severities).get(rule_id)
        if scope is Scope.DEVELOPMENT:
            value = dict(self.dev_severities).get(rule_id, value)
        if value is None:
            return rules.RULES[rule_id].severity
        return None if value == "off" else Severity(value)

    def aspect(self, key: str) -> AspectDef | None:
        """The aspect named by id or any alias (case-insensitive)."""
        wanted = key.strip().lower()
        for aspect in self.aspects:
            if wanted == aspect.id or wanted in aspect.aliases:
                return aspect
        return None


def load(ref: str | None = None) -> Policy:
    """Load a built-in policy by name or a policy file by path, with ``extends`` resolved."""
    raw, chain = resolve(ref or DEFAULT_POLICY, None, ())
    problems = check_document(raw) or _manifest_name(raw)
    if problems:
        raise PolicyError(problems[0].text, path=chain[0])
    return _build(raw, chain)


def _manifest_name(raw: dict[str, Any]) -> list[Problem]:
    """A manifest name is a file name in the checked directory: ``init`` writes there, and a
    ``../`` or absolute name would make it write elsewhere."""
    name = raw.get("manifest", "ai-values.toml")
    if not isinstance(name, str):
        return []  # check_document reports the type
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        return [Problem("", 1, i18n.t("hostile.manifest_name", name=display_name(name)))]
    return []


def _text(value: Any) -> Text:
    if isinstance(value, dict):
        en = str(value.get("en", value.get("de", "")))
        return Text(en=en, de=str(value.get("de", en)))
    return Text.same(str(value or ""))


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _build(raw: dict[str, Any], chain: tuple[str, ...]) -> Policy:
    default_words = int(raw.get("min_words", 10))
    aspects = []
    dropped: set[str] = set()
    for a in raw.get("aspects", []):
        if not a.get("enabled", True):
            dropped.update(s.lower() for s in (a["id"], *_strs(a.get("aliases"))))
            continue
        questions = a.get("questions", {})
        frameworks = a.get("frameworks", {})
        terms = a.get("terms", {})
        aspects.append(
            AspectDef(
                id=a["id"],
                aliases=tuple(s.lower() for s in _strs(a.get("aliases"))),
                title=_text(a.get("title", a["id"])),
                description=_text(a.get("description", "")),
                questions_en=_strs(questions.get("en")),
                questions_de=_strs(questions.get("de")),
                required=_strs(a.get("required", ["status", "statement"])),
                min_words=int(a.get("min_words", default_words)),
                frameworks=tuple((k, _strs(frameworks[k])) for k in FRAMEWORKS if k in frameworks),
                terms_de=_strs(terms.get("de")),
                terms_en=_strs(terms.get("en")),
            )
        )
    severity = raw.get("severity", {})
    return Policy(
        id=str(raw.get("id", "policy")),
        version=str(raw.get("version", "0")),
        source=chain[0],
        chain=chain,
        title=_text(raw.get("title", raw.get("id", ""))),
        description=_text(raw.get("description", "")),
        frameworks_note=_text(raw.get("frameworks_note", "")),
        manifest_name=str(raw.get("manifest", "ai-values.toml")),
        review_max_days=int(raw.get("review_max_days", 365)),
        placeholders=tuple(s.lower() for s in _strs(raw.get("placeholders"))),
        placeholder_markers=tuple(s.lower() for s in _strs(raw.get("placeholder_markers"))),
        signals=_strs(raw.get("signals")),
        required_system=_strs(raw.get("required_system", ["name", "owner", "last_reviewed"])),
        severities=tuple(sorted((k, v) for k, v in severity.items() if isinstance(v, str))),
        dev_severities=tuple(sorted(severity.get("development", {}).items())),
        aspects=tuple(aspects),
        dropped_aspects=frozenset(dropped),
        similarity_threshold=float(raw.get("similarity_threshold", 0.6)),
        filler_words=tuple(s.lower() for s in _strs(raw.get("filler_words"))),
        **_signoff(raw, chain),
    )


def _signoff(raw: dict[str, Any], chain: tuple[str, ...]) -> dict[str, Any]:
    """Sign-off keys; a relative ``allowed_signers`` is relative to the policy naming it."""
    path = raw.get("allowed_signers")
    if isinstance(path, str) and chain[0] not in builtin_names():
        path = str(Path(chain[0]).parent / Path(path).expanduser())
    owners = raw.get("owner_signers", {})
    return {
        "allowed_signers": path if isinstance(path, str) else None,
        "allowed_signers_in_base": raw.get("allowed_signers_in_base"),
        "require_signoff": bool(raw.get("require_signoff", False)),
        "owner_signers": tuple(sorted((str(k), _strs(v)) for k, v in owners.items())),
    }


def validate(ref: str) -> list[Problem]:
    """Every problem in one policy file and in what it extends (cycles included)."""
    source, text = read_source(ref, None)
    raw = parse(source, text)
    problems = check_document(raw, source, locate(text))
    problems += [
        Problem(source, line_of(locate(text), ("manifest",)), p.text) for p in _manifest_name(raw)
    ]
    if isinstance(raw.get("extends"), str):
        extends_line = line_of(locate(text), ("extends",))
        here = None if source in builtin_names() else Path(source).parent
        try:
            base, _ = resolve(raw["extends"], here, (source,))
        except PolicyError:
            pass  # reported below, with the whole chain
        else:
            problems += new_aspects(raw, base, source, locate(text))
        try:
            merged, _ = resolve(ref, None, ())
        except PolicyError as exc:
            problems.append(Problem(exc.path or source, exc.line or extends_line, exc.text))
        else:
            # what only shows once merged with the parent (an alias clashing with its ids, ...)
            seen = {p.text for p in problems}
            for problem in check_document(merged, source):
                if problem.text not in seen:
                    seen.add(problem.text)
                    problems.append(Problem(source, extends_line, problem.text))
    return problems
