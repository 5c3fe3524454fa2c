"""Settings: command line > the closest ``.kigate.toml`` / ``kigate.toml`` / ``[tool.kigate]``
in pyproject.toml, found by walking up to the repository root (ruff's rule) > defaults."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n, safeio, suggest
from kigate._toml import TooComplex, loads, tomllib
from kigate.errors import UsageError
from kigate.tree import DEFAULT_EXCLUDES, enclosing_repository, inside

MAX_SETTINGS_BYTES = 1 << 20  # pyproject.toml included
MAX_EXCLUDES = 1_000  # patterns; they become one regular expression
MAX_PATTERN_CHARS = 1_000

FAIL_ON = ("error", "warning", "never")
_KEYS = {"policy": str, "fail_on": str, "lang": str, "exclude": list, "extend_exclude": list}
# In one folder the first of these that holds settings wins, as in ruff.
OWN_FILES = (".kigate.toml", "kigate.toml")


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
        raise UsageError(exc.text, path=str(path)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(i18n.t("config.invalid", detail=str(exc)), path=str(path)) from None
    return doc


def folders(root: Path) -> Iterator[Path]:
    """``root``, then each parent up to the top of the git work tree that holds it; only
    ``root`` outside git (a plain directory keeps to itself)."""
    from kigate.git.shadow import locate  # reads .git, never runs git

    here = Path(os.path.realpath(root))
    yield here
    found = locate(here)
    if found is None:
        return
    top = Path(os.path.realpath(found.top))
    for parent in here.parents:
        if parent != top and top not in parent.parents:
            return
        yield parent
        if parent == top:
            return


def _table_in(folder: Path) -> tuple[dict[str, Any], Path] | None:
    for name in OWN_FILES:
        own = folder / name
        if safeio.is_regular(own):
            return (_read(own) or {}), own
    pyproject = folder / "pyproject.toml"
    if safeio.is_regular(pyproject):
        doc = _read(pyproject) or {}
        tool = doc.get("tool")
        found = tool.get("kigate") if isinstance(tool, dict) else None
        if isinstance(found, dict):
            return found, pyproject
    return None


def find(root: Path) -> tuple[dict[str, Any], Path] | None:
    """The closest settings table at or above ``root`` and the file it is in."""
    for folder in folders(root):
        found = _table_in(folder)
        if found is not None:
            return found
    return None


def _rebase(patterns: tuple[str, ...], offset: str) -> tuple[str, ...]:
    """Exclude patterns written from a settings file above the checked directory, made
    relative to that directory: a path pattern for another subtree cannot match in it."""
    if not offset:
        return patterns
    out = []
    for pattern in patterns:
        if "/" not in pattern or pattern.startswith(("*", "**")):
            out.append(pattern)
        elif pattern.startswith(offset + "/"):
            out.append(pattern[len(offset) + 1 :])
    return tuple(out)


def load(root: Path) -> Settings:
    """Read the project's kigate settings; a broken settings file is a usage error (exit 2)."""
    found = find(root)
    if found is None or not found[0]:
        return Settings()
    table, source = found
    for key, value in table.items():
        expected = _KEYS.get(key)
        if expected is None:
            message = i18n.t("config.unknown_key", key=key, known=", ".join(_KEYS))
            raise UsageError(suggest.with_hint(message, key, _KEYS), path=str(source))
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
    offset = Path(os.path.realpath(root)).relative_to(source.parent).as_posix()
    return Settings(
        policy=policy,
        fail_on=fail_on,
        lang=table.get("lang"),
        exclude=_rebase(exclude, "" if offset == "." else offset),
        source=str(source),
    )
