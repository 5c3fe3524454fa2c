"""The strict schema reader agrees with ``jsonschema`` on the report schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kigate import engine
from kigate import policy as policy_mod
from kigate.aggregate.validate import SchemaMismatch, Validator, check_schema
from kigate.cli.schema import SCHEMAS, schema_text
from kigate.formats.json import to_dict
from tests.conftest import EXAMPLES

REPORT_SCHEMA = json.loads(schema_text("report"))
REFERENCE = jsonschema.Draft202012Validator(
    REPORT_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
OURS = Validator(REPORT_SCHEMA)
# A real report with components, manifests, aspects and findings of every kind.
BASE = to_dict(
    engine.check(
        engine.CheckRequest(EXAMPLES / "incomplete", policy_mod.load(None), shown=".")
    ).report
)

INTERESTING = st.sampled_from(
    [None, True, False, 0, 1, -1, 1.0, 1.5, 101, "", "a", "error", "covered", "KG110", "KG1",
     "a" * 40, "0" * 24, "/etc/passwd", "C:\\x", "2026-02-30", "2026-01-01", "https://u:p@h/x",
     [], {}, ["x"], {"x": 1}]
)  # fmt: skip
KEYS = st.text(max_size=4)
VALUES = st.one_of(
    INTERESTING,
    st.recursive(
        st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=6),
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(KEYS, inner, max_size=2),
        max_leaves=4,
    ),
)  # fmt: skip


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"extra_{last}"] = value
    else:
        parent[last] = value
    return document


def verdict(validator: Any, document: Any) -> bool:
    try:
        validator.validate(document)
    except (SchemaMismatch, jsonschema.ValidationError):
        return False
    return True


def test_the_real_report_is_valid_for_both() -> None:
    assert verdict(OURS, BASE) and verdict(REFERENCE, BASE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_agrees_with_jsonschema_on_mutated_reports(data: st.DataObject) -> None:
    document = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 2))):
        path = data.draw(st.sampled_from(paths(document)))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        document = mutate(document, path, action, data.draw(VALUES))
    assert verdict(OURS, document) == verdict(REFERENCE, document)


# The documents kigate itself reads back (reports, aggregate documents); the export bundle is
# written for auditors and validated with jsonschema in tests/test_export.py.
@pytest.mark.parametrize("name", sorted(set(SCHEMAS) - {"export"}))
def test_every_shipped_schema_is_understood(name: str) -> None:
    schema = json.loads(schema_text(name))
    check_schema(schema)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_an_unknown_keyword_is_refused_not_ignored() -> None:
    with pytest.raises(ValueError, match="uniqueItems"):
        Validator({"type": "array", "uniqueItems": True})


def test_mismatch_names_the_place() -> None:
    document = copy.deepcopy(BASE)
    document["manifests"][0]["last_reviewed"] = "2024-02-30"
    with pytest.raises(SchemaMismatch) as caught:
        OURS.validate(document)
    assert (caught.value.where, caught.value.detail) == (
        "/manifests/0/last_reviewed",
        "not a date (YYYY-MM-DD)",
    )
