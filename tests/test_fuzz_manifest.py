"""Property tests for ai-values.toml: generated manifests round-trip, mutated ones never raise.

Example counts come from the hypothesis profile (``KIGATE_FUZZ=long`` for a deep run).
"""

from __future__ import annotations

import string
from typing import Any

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from kigate import manifest, policy, rules, schema, tomlpos
from kigate._toml import tomllib

POLICY = policy.load()

# Printable text with the characters TOML has to escape; no lone surrogates (not UTF-8).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF), max_size=40
)
KEY = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF), max_size=12
)
STRINGS = st.lists(TEXT, max_size=3)

SYSTEM = st.fixed_dictionaries(
    {},
    optional={
        "name": TEXT,
        "description": TEXT,
        "owner": TEXT,
        "last_reviewed": st.dates(),
        "risk_class": st.sampled_from(manifest.RISK_CLASSES),
    },
)
ASPECT = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(manifest.STATUSES),
        "statement": TEXT,
        "measures": STRINGS,
        "evidence": STRINGS,
        "owner": TEXT,
        "justification": TEXT,
    },
)
COMPONENT = st.fixed_dictionaries({"id": TEXT}, optional={"purpose": TEXT})
WAIVER = st.fixed_dictionaries(
    {},
    optional={
        "rule": st.sampled_from(sorted(rules.RULES)),
        "reason": TEXT,
        "expires": st.dates(),
        "approved_by": TEXT,
        "path": TEXT,
        "component": TEXT,
        "aspect": TEXT,
    },
)


@st.composite
def aspects(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Each aspect at most once, under its id or any of its aliases."""
    chosen = draw(st.lists(st.sampled_from(POLICY.aspects), unique_by=lambda a: a.id))
    return {draw(st.sampled_from((a.id, *a.aliases))): draw(ASPECT) for a in chosen}


MANIFESTS = st.fixed_dictionaries(
    {"kigate": st.just(1)},
    optional={
        "system": SYSTEM,
        "components": st.lists(COMPONENT, max_size=3),
        "aspects": aspects(),
        "waivers": st.lists(WAIVER, max_size=3),
    },
)


def parse(text: str) -> manifest.Manifest:
    return manifest.parse("ai-values.toml", text.encode("utf-8"), POLICY)


@given(MANIFESTS)
def test_generated_manifests_round_trip(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    parsed = parse(text)
    assert parsed.valid
    assert parsed.problems == ()
    system = doc.get("system", {})
    for name in manifest.SystemInfo.__dataclass_fields__:
        if name in schema.SYSTEM_FIELDS:
            assert getattr(parsed.system, name) == system.get(name)
    assert [(c.id, c.purpose) for c in parsed.components] == [
        (c["id"], c.get("purpose")) for c in doc.get("components", [])
    ]
    assert [(w.rule, w.reason, w.expires) for w in parsed.waivers] == [
        (w.get("rule"), w.get("reason"), w.get("expires")) for w in doc.get("waivers", [])
    ]
    written = doc.get("aspects", {})
    assert [a.key for a in parsed.aspects] == list(written)
    for entry in parsed.aspects:
        raw = written[entry.key]
        assert entry.id == POLICY.aspect(entry.key).id  # type: ignore[union-attr]
        assert entry.status == raw.get("status")
        assert entry.statement == raw.get("statement")
        assert entry.measures == tuple(raw.get("measures", ()))
        assert entry.evidence == tuple(raw.get("evidence", ()))


@given(MANIFESTS)
def test_lines_point_at_the_key_they_name(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    lines = text.split("\n")
    parsed = parse(text)
    for entry in parsed.aspects:
        assert lines[entry.line - 1].startswith("[aspects.")
        for field_name, _ in entry.field_lines:
            assert lines[entry.line_of(field_name) - 1].startswith(f"{field_name} = ")
    for field_name, number in parsed.system.field_lines:
        assert lines[number - 1].startswith(f"{field_name} = ")


@given(MANIFESTS, st.dictionaries(KEY, TEXT, min_size=1, max_size=5))
def test_unknown_keys_are_named_never_fatal(doc: dict[str, Any], extra: dict[str, str]) -> None:
    system = {**doc.get("system", {})}
    unknown = {k: v for k, v in extra.items() if k not in schema.SYSTEM_FIELDS}
    system.update(unknown)
    parsed = parse(tomli_w.dumps({**doc, "system": system}))
    assert [p.rule for p in parsed.problems] == ["KG102"] * len(unknown)
    for problem, key in zip(parsed.problems, unknown, strict=True):
        assert f"'system.{key}'" in problem.text.en


HOSTILE = st.sampled_from(
    [*"[]{}\"'=#.,\\\n\r\t\x00", '"""', "'''", "[[", "]]", "\ufeff", "\u2028", "é", "1979-05-27"]
)


@given(MANIFESTS, st.data())
def test_mutated_manifests_give_problems_never_exceptions(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    text = tomli_w.dumps(doc)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.lists(HOSTILE | st.sampled_from(string.printable), max_size=4))
        text = text[:at] + "".join(insert) + text[at + cut :]
    parsed = parse(text)
    last = text.count("\n") + text.count("\r") + 2
    for problem in parsed.problems:
        assert problem.rule in ("KG101", "KG102")
        assert 1 <= problem.line <= last


NESTED = st.recursive(
    st.dictionaries(KEY, TEXT | st.integers() | st.booleans(), max_size=3),
    lambda inner: st.dictionaries(KEY, inner, max_size=3),  # tables; tomli_w writes lists inline
    max_leaves=12,
)


def key_paths(table: dict[str, Any], prefix: tomlpos.Path = ()) -> list[tomlpos.Path]:
    paths: list[tomlpos.Path] = []
    for key, value in table.items():
        here = (*prefix, key)
        paths.append(here)
        if isinstance(value, dict):
            paths.extend(key_paths(value, here))
    return paths


@given(NESTED)
def test_every_key_of_any_document_has_its_line(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    assert tomllib.loads(text) == doc
    located = tomlpos.locate(text)
    assert [p for p in key_paths(doc) if p not in located] == []
    lines = text.split("\n")
    for path, number in located.items():
        key = str(path[-1])
        if key.replace("_", "").replace("-", "").isalnum() and key.isascii():
            assert key in lines[number - 1]
