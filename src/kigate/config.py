"""Settings: command line > ``.kigate.toml`` / ``[tool.kigate]`` in pyproject.toml > defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n
from kigate._toml import tomllib
from kigate.errors import UsageError
from kigate.tree import DEFAULT_EXCLUDES

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
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        doc: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(i18n.t("config.invalid", detail=str(exc)), path=str(path)) from None
    return doc


def load(root: Path) -> Settings:
    """Read the project's kigate settings; a broken settings file is a usage error (exit 2)."""
    table: dict[str, Any] | None = None
    source: Path | None = None
    own = root / ".kigate.toml"
    if own.is_file():
        table, source = _read(own), own
    else:
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
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
    exclude = tuple(str(e) for e in table.get("exclude", DEFAULT_EXCLUDES))
    exclude += tuple(str(e) for e in table.get("extend_exclude", ()))
    return Settings(
        policy=policy, fail_on=fail_on, lang=table.get("lang"), exclude=exclude, source=str(source)
    )
