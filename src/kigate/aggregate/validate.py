"""A small strict JSON Schema interpreter for kigate's own schemas.

It understands exactly the keywords the shipped schemas use and refuses a schema with any
other keyword, so a document is checked against the very file ``kigate schema`` prints,
without making ``jsonschema`` (and its compiled dependencies) a runtime requirement.
A test compares its verdicts with ``jsonschema`` on generated documents.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
_KEYWORDS = {
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "$ref",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "not",
    "oneOf",
    "anyOf",
    "format",
}
_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


class SchemaMismatch(ValueError):
    """The document does not follow the schema; ``where`` is a JSON pointer."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where or '/'}: {detail}")
        self.where = where or "/"
        self.detail = detail


def check_schema(schema: dict[str, Any]) -> None:
    """Refuse a schema that uses a keyword this interpreter does not implement."""

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        unknown = set(node) - _KEYWORDS - _ANNOTATIONS
        if unknown:
            raise ValueError(f"unsupported schema keywords: {sorted(unknown)}")
        for key in ("items", "not", "additionalProperties"):
            walk(node.get(key))
        for sub in node.get("properties", {}).values():
            walk(sub)
        for sub in (*node.get("oneOf", []), *node.get("anyOf", [])):
            walk(sub)
        for sub in node.get("$defs", {}).values():
            walk(sub)

    walk(schema)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":  # JSON Schema counts 1.0 as an integer
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


class Validator:
    def __init__(self, schema: dict[str, Any]) -> None:
        check_schema(schema)
        self.root = schema

    def validate(self, document: Any) -> None:
        self._check(document, self.root, "")

    def _resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return dict(node)

    def _check(self, value: Any, schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            self._check(value, self._resolve(schema["$ref"]), where)
        self._check_value(value, schema, where)
        if isinstance(value, dict):
            self._check_object(value, schema, where)
        elif isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                self._check(item, schema["items"], f"{where}/{index}")
        if "not" in schema and self._valid(value, schema["not"]):
            raise SchemaMismatch(where, "value matches a forbidden form")
        if "oneOf" in schema:
            matches = sum(1 for option in schema["oneOf"] if self._valid(value, option))
            if matches != 1:
                raise SchemaMismatch(where, "value matches none or several allowed forms")
        if "anyOf" in schema and not any(self._valid(value, o) for o in schema["anyOf"]):
            raise SchemaMismatch(where, "value matches none of the allowed forms")

    def _valid(self, value: Any, schema: dict[str, Any]) -> bool:
        try:
            self._check(value, schema, "")
        except SchemaMismatch:
            return False
        return True

    def _check_value(self, value: Any, schema: dict[str, Any], where: str) -> None:
        expected = schema.get("type")
        if expected is not None:
            names = [expected] if isinstance(expected, str) else expected
            if not any(_is_type(value, name) for name in names):
                raise SchemaMismatch(where, f"expected {' or '.join(names)}")
        if "const" in schema and not _same(value, schema["const"]):
            raise SchemaMismatch(where, f"expected {schema['const']!r}")
        if "enum" in schema and not any(_same(value, option) for option in schema["enum"]):
            raise SchemaMismatch(where, f"expected one of {schema['enum']}")
        if isinstance(value, str):
            if "pattern" in schema and not _regex(schema["pattern"]).search(value):
                raise SchemaMismatch(where, f"does not match {schema['pattern']}")
            if len(value) < schema.get("minLength", 0):
                raise SchemaMismatch(where, "text is too short")
            if schema.get("format") == "date" and not _is_date(value):
                raise SchemaMismatch(where, "not a date (YYYY-MM-DD)")
        if _is_type(value, "number"):
            if "minimum" in schema and value < schema["minimum"]:
                raise SchemaMismatch(where, f"below {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                raise SchemaMismatch(where, f"above {schema['maximum']}")

    def _check_object(self, value: dict[str, Any], schema: dict[str, Any], where: str) -> None:
        for key in schema.get("required", ()):
            if key not in value:
                raise SchemaMismatch(where, f"'{key}' is missing")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                self._check(item, properties[key], f"{where}/{key}")
            elif extra is False:
                raise SchemaMismatch(where, f"unexpected key '{key}'")
            elif isinstance(extra, dict):
                self._check(item, extra, f"{where}/{key}")


def _same(value: Any, expected: Any) -> bool:
    # JSON Schema: true is not 1, and 1 equals 1.0.
    if isinstance(value, bool) or isinstance(expected, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value is expected
    return bool(value == expected)


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
