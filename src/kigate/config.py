"""Settings: command line > ``.kigate.toml`` / ``[tool.kigate]`` in pyproject.toml > defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n, safeio
from kigate._toml import TooComplex, loads, tomllib
from kigate.errors import UsageError
from kigate.tree import DEFAULT_EXCLUDES, enclosing_repository, inside

MAX_SETTINGS_BYTES = 1 << 20  # pyproject.toml included
MAX_EXCLUDES = 1_000  # patterns; they become one regular expression
MAX_PATTERN_CHARS = 1_000

FAIL_ON = ("error", "warning", "never")
_KEYS = {"policy": str, "fail_on": str, "lang": str, "exclude": list, "extend_exclude": list}


@dataclass(frozen=True)
class Settings:
    policy: str | None = None
    fail_on: str = "error"
    lang: str | None = None
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    source: str | None = None  # the file the settings came from


def _read(path: Path) -> dict[str, Any] | None:
    """The settings file as TOML; None when it is missing, not a regular file, or a link
    that leaves the directory it configures (a repository must not make kigate read
    ``/etc/passwd`` or a file of another project as its settings)."""
    if not inside(Path(os.path.realpath(path.parent)), path):
        return None
    try:
        data = safeio.read_bytes(path, MAX_SETTINGS_BYTES)
    except safeio.Refused as exc:
        if exc.reason == "too_large":
            raise UsageError(exc.text, path=str(path)) from None
        return None
    try:
        doc: dict[str, Any] = loads(data.decode("utf-8"))
    except TooComplex as exc:
        raise UsageError(exc.text, path=str(path), line=exc.lineno) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(i18n.t("config.invalid", detail=str(exc)), path=str(path)) from None
    return doc


def load(root: Path) -> Settings:
    """Read the project's kigate settings; a broken settings file is a usage error (exit 2)."""
    table: dict[str, Any] | None = None
    source: Path | None = None
    own = root / ".kigate.toml"
    if safeio.is_regular(own):
        table, source = _read(own), own
    else:
        pyproject = root / "pyproject.toml"
        if safeio.is_regular(pyproject):
            doc = _read(pyproject) or {}
            tool = doc.get("tool")
            found = tool.get("kigate") if isinstance(tool, dict) else None
            if isinstance(found, dict):
                table, source = found, pyproject
    if not table or source is None:
        return Settings()
    for key, value in table.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise UsageError(
                i18n.t("config.unknown_key", key=key, known=", ".join(_KEYS)), path=str(source)
            )
        if not isinstance(value, expected):
            raise UsageError(i18n.t("config.wrong_type", key=key), path=str(source))
    fail_on = table.get("fail_on", "error")
    if fail_on not in FAIL_ON:
        raise UsageError(
            i18n.t("config.bad_fail_on", value=fail_on, allowed=", ".join(FAIL_ON)),
            path=str(source),
        )
    policy = table.get("policy")
    if policy is not None and ("/" in policy or policy.endswith(".toml")):
        policy = str((source.parent / policy).resolve())
        if not inside(enclosing_repository(source.parent), Path(policy)):
            # a repository names policies of its own, never a file elsewhere on the machine
            raise UsageError(
                i18n.t("hostile.policy_outside", policy=table["policy"]), path=str(source)
            )
    exclude = tuple(str(e) for e in table.get("exclude", DEFAULT_EXCLUDES))
    exclude += tuple(str(e) for e in table.get("extend_exclude", ()))
    if len(exclude) > MAX_EXCLUDES or any(len(e) > MAX_PATTERN_CHARS for e in exclude):
        text = i18n.t("hostile.excludes", n=MAX_EXCLUDES, chars=MAX_PATTERN_CHARS)
        raise UsageError(text, path=str(source))
    return Settings(
        policy=policy, fail_on=fail_on, lang=table.get("lang"), exclude=exclude, source=str(source)
    )
