"""Settings: command line > the closest ``.kigate.toml`` / ``kigate.toml`` / ``[tool.kigate]``
in pyproject.toml, found by walking up to the repository root (ruff's rule) > defaults."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n
from kigate._toml import tomllib
from kigate.errors import UsageError
from kigate.tree import DEFAULT_EXCLUDES

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
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        doc: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
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
        if own.is_file():
            return (_read(own) or {}), own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
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
    exclude = tuple(str(e) for e in table.get("exclude", DEFAULT_EXCLUDES))
    exclude += tuple(str(e) for e in table.get("extend_exclude", ()))
    offset = Path(os.path.realpath(root)).relative_to(source.parent).as_posix()
    return Settings(
        policy=policy,
        fail_on=fail_on,
        lang=table.get("lang"),
        exclude=_rebase(exclude, "" if offset == "." else offset),
        source=str(source),
    )
