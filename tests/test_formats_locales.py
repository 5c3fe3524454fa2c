"""The formats' catalogue exists in both languages with the same keys and placeholders."""

from __future__ import annotations

import string
from importlib import resources
from typing import Any

from kigate._toml import tomllib


def flat(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def catalogue(lang: str) -> dict[str, str]:
    text = (resources.files("kigate") / "locales" / lang / "formats.toml").read_text("utf-8")
    return flat(tomllib.loads(text))


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_same_keys_and_placeholders_in_both_languages() -> None:
    en, de = catalogue("en"), catalogue("de")
    assert set(en) == set(de)
    assert {k: fields(v) for k, v in en.items()} == {k: fields(v) for k, v in de.items()}
    assert [k for k in en if en[k] == de[k]] == ["markdown.status"]
