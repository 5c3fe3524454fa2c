"""Property tests for policies: any policy file (random keys, values, ``extends`` chains and
signal catalogues) is either loaded or refused with a PolicyError, and a policy that loads
never breaks a check."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from kigate import engine, manifest, policy, rules
from kigate.errors import KigateError
from tests.conftest import complete_manifest

T = TypeVar("T")
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF), max_size=20
)
SCALAR = (
    TEXT
    | st.integers(-(2**63), 2**63 - 1)
    | st.booleans()
    | st.floats(allow_nan=False)
    | st.dates()
)
ANY = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
WORDS = st.lists(TEXT, max_size=3)
LANG_TEXT = st.fixed_dictionaries({}, optional={"en": TEXT, "de": TEXT}) | TEXT
FIELDS = st.lists(st.sampled_from([*policy.MANIFEST_FIELDS, "colour"]), max_size=3)
SEVERITY_WORD = st.sampled_from(["error", "warning", "info", "off", "fatal"])
RULE = st.sampled_from([*sorted(rules.RULES), "KG999"])
# What ``extends`` and ``signals`` may name: files of this fuzz run, built-ins, nothing.
REFS = st.sampled_from(
    ["demokratische-ki", "d64", "parent.toml", "child.toml", "missing.toml", "", ".", "sub/"]
)
SIGNALS = st.lists(st.sampled_from(["pypi", "signals.toml", "missing.toml", "", "policy"]))


def typed_or_any(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the right type, sometimes anything: both paths must hold."""
    return strategy | ANY


ASPECT = st.fixed_dictionaries(
    {},
    optional={
        "id": typed_or_any(st.sampled_from(["values", "risks", "extra", "Werte", ""]) | TEXT),
        "aliases": typed_or_any(WORDS),
        "title": typed_or_any(LANG_TEXT),
        "description": typed_or_any(LANG_TEXT),
        "questions": typed_or_any(st.fixed_dictionaries({}, optional={"en": WORDS, "de": WORDS})),
        "required": typed_or_any(FIELDS),
        "min_words": typed_or_any(st.integers(-5, 50)),
        "frameworks": typed_or_any(
            st.dictionaries(st.sampled_from([*policy.FRAMEWORKS, "gdpr"]), WORDS, max_size=2)
        ),
        "enabled": typed_or_any(st.booleans()),
    },
)
SEVERITY = st.dictionaries(
    RULE | st.just("development"),
    SEVERITY_WORD | st.dictionaries(RULE, SEVERITY_WORD, max_size=3) | ANY,
    max_size=4,
)
POLICY_DOC = st.fixed_dictionaries(
    {},
    optional={
        "kigate-policy": typed_or_any(st.sampled_from([1, 2])),
        "id": typed_or_any(TEXT),
        "version": typed_or_any(TEXT),
        "extends": typed_or_any(REFS),
        "manifest": typed_or_any(st.sampled_from(["ai-values.toml", "werte.toml", ""])),
        "review_max_days": typed_or_any(st.integers(-10, 10_000)),
        "min_words": typed_or_any(st.integers(-10, 100)),
        "placeholders": typed_or_any(WORDS),
        "placeholder_markers": typed_or_any(WORDS),
        "signals": typed_or_any(SIGNALS),
        "required_system": typed_or_any(st.lists(st.sampled_from(policy.SYSTEM_FIELDS))),
        "title": typed_or_any(LANG_TEXT),
        "severity": typed_or_any(SEVERITY),
        "aspects": typed_or_any(st.lists(ASPECT, max_size=4)),
        "unknown": ANY,
    },
)
SIGNALS_DOC = st.fixed_dictionaries(
    {},
    optional={
        "ecosystem": typed_or_any(st.sampled_from(["pypi", "npm"])),
        "match": typed_or_any(
            st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "category": typed_or_any(TEXT),
                        "names": typed_or_any(WORDS),
                        "prefixes": typed_or_any(WORDS),
                        "scope": typed_or_any(st.sampled_from(["development", "product", "x"])),
                    },
                ),
                max_size=3,
            )
        ),
    },
)


@pytest.fixture(scope="module")
def small_repo() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "requirements.txt").write_text("openai\ntorch\n", encoding="utf-8")
        (root / "ai-values.toml").write_text(complete_manifest(), encoding="utf-8")
        yield root


def write_policies(folder: Path, child: dict[str, Any], parent: dict[str, Any], sig: Any) -> Path:
    for name, doc in (("child.toml", child), ("parent.toml", parent), ("signals.toml", sig)):
        (folder / name).write_text(tomli_w.dumps(doc), encoding="utf-8")
    (folder / "sub").mkdir(exist_ok=True)
    return folder / "child.toml"


def attempt(func: Callable[..., T], *args: Any, **kwargs: Any) -> T | KigateError:
    """The result, or the documented error; any other exception fails the test."""
    try:
        return func(*args, **kwargs)
    except KigateError as exc:
        return exc


@given(child=POLICY_DOC, parent=POLICY_DOC, signals=SIGNALS_DOC)
def test_any_policy_loads_or_is_refused_with_one_sentence(
    child: dict[str, Any], parent: dict[str, Any], signals: dict[str, Any], small_repo: Path
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_policies(Path(folder), child, parent, signals)
        for validate in (policy.validate, engine.validate_policy):
            problems = attempt(validate, str(path))
            if isinstance(problems, KigateError):
                assert problems.sentence("en") and problems.sentence("de")
            else:
                assert all(p.text.en and p.line >= 1 for p in problems)
        loaded = attempt(policy.load, str(path))
        if isinstance(loaded, KigateError):
            assert loaded.sentence("en") and loaded.sentence("de")
            return
        # A policy that loads drives a whole check without an exception of any other kind.
        parsed = manifest.parse("ai-values.toml", complete_manifest().encode(), loaded)
        assert all(p.rule in ("KG101", "KG102") for p in parsed.problems)
        request = engine.CheckRequest(small_repo, loaded, today=dt.date(2026, 11, 30))
        report = attempt(lambda: engine.check(request).report)
        if isinstance(report, KigateError):
            assert report.sentence("en")  # e.g. a signal catalogue that cannot be read
        else:
            assert all(f.rule in rules.RULES for f in report.findings)
