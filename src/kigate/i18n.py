"""German and English texts from one catalogue (``locales/<lang>/*.toml``).

Each area of kigate keeps its own catalogue file, so adding messages for one
area never touches another's. Keys are dotted, values are ``str.format`` templates.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from kigate import shipped
from kigate._tomllib import tomllib
from kigate.model import Text

LANGUAGES = ("en", "de")


@cache
def _catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = shipped.package_folder("locales") / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), "", merged)
    return merged


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, name + ".", out)
        else:
            out[name] = str(value)


def has(key: str) -> bool:
    return key in _catalogue("en")


def t(key: str, /, **params: object) -> Text:
    """Both languages of message ``key``; a missing key is a bug, never shown raw."""
    texts = []
    for lang in LANGUAGES:
        template = _catalogue(lang)[key]
        texts.append(template.format(**params) if params else template)
    return Text(en=texts[0], de=texts[1])


def plural(count: int, key: str, **params: object) -> Text:
    """``key.one`` or ``key.other`` with ``{n}`` (and ``params``) filled in."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", n=count, **params)


def detect_language(explicit: str | None = None) -> str:
    """--lang wins; then LC_ALL, LC_MESSAGES, LANG (POSIX order); English otherwise."""
    if explicit:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"
