"""schema.py is the one description of the manifest: parser and policy checks follow it."""

from __future__ import annotations

import datetime as dt

import pytest

from kigate import manifest, policy, schema
from kigate.policycheck import check_document

POLICY = policy.load()


@pytest.mark.parametrize(
    ("field_type", "good", "bad"),
    [
        (schema.STR, "x", 1),
        (schema.INT, 3, True),
        (schema.DATE, dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 12, 0)),
        (schema.STRS, ["a"], ["a", 1]),
        (schema.TABLE, {}, []),
    ],
)
def test_one_type_check_for_both_documents(field_type: schema.FieldType, good, bad) -> None:  # type: ignore[no-untyped-def]
    assert field_type.accepts(good) and not field_type.accepts(bad)


def test_every_schema_field_reaches_the_parsed_manifest() -> None:
    """A field added to schema.py without a place in the parsed manifest would be dropped."""
    assert set(schema.SYSTEM_FIELDS) <= set(schema.SystemInfo.__dataclass_fields__)
    assert set(schema.ASPECT_FIELDS) <= set(schema.AspectEntry.__dataclass_fields__)
    assert set(schema.WAIVER_FIELDS) <= set(schema.Waiver.__dataclass_fields__)


def test_policy_may_require_exactly_the_manifest_fields() -> None:
    raw = {
        "required_system": ["risk_class", "colour"],
        "aspects": [{"id": "a", "required": ["evidence", "proof"]}],
    }
    problems = [p.text.en for p in check_document(raw)]
    assert len(problems) == 2
    assert "colour" in problems[1] or "colour" in problems[0]
    assert any("'proof'" in p for p in problems)
    assert all(", ".join(schema.ASPECT_FIELDS) in p for p in problems if "proof" in p)


def test_manifest_and_policy_problems_are_one_class() -> None:
    parsed = manifest.parse("ai-values.toml", b"kigate = 1\ncolour = 'red'\n", POLICY)
    (problem,) = parsed.problems
    assert isinstance(problem, schema.Problem) and problem.rule == "KG102"
    assert (problem.path, problem.line, problem.kind) == ("ai-values.toml", 2, "unknown")
    assert policy.Problem is schema.Problem
    assert manifest.FORMAT_VERSION == schema.MANIFEST_VERSION
    assert policy.FORMAT_VERSION == schema.POLICY_VERSION
