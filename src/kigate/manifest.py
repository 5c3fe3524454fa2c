"""Parse and validate ``ai-values.toml`` (format version 1), keeping a line for everything."""

from __future__ import annotations

from kigate import i18n
from kigate._toml import TooComplex, loads, tomllib
from kigate.manifest_reader import Reader
from kigate.model import Text
from kigate.policy import Policy
from kigate.schema import (
    MANIFEST_VERSION,
    RISK_CLASSES,
    STATUSES,
    AspectEntry,
    DeclaredComponent,
    Manifest,
    Problem,
    SystemInfo,
    Waiver,
    directory_of,
)
from kigate.tomlpos import locate

FORMAT_VERSION = MANIFEST_VERSION
MAX_BYTES = 1 << 20  # a real manifest is a few KiB; anything larger is not one

__all__ = [
    "FORMAT_VERSION",
    "MAX_BYTES",
    "RISK_CLASSES",
    "STATUSES",
    "AspectEntry",
    "DeclaredComponent",
    "Manifest",
    "Problem",
    "SystemInfo",
    "Waiver",
    "invalid",
    "parse",
]


def invalid(path: str, text: Text, line: int = 1, column: int | None = None) -> Manifest:
    return Manifest(
        path=path,
        directory=directory_of(path),
        valid=False,
        system=SystemInfo(),
        components=(),
        aspects=(),
        waivers=(),
        problems=(Problem(path, line, text, column=column),),
    )


def _toml_error_position(exc: tomllib.TOMLDecodeError) -> tuple[int, int | None]:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    if line is None:
        import re

        m = re.search(r"line (\d+), column (\d+)", str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return int(line or 1), (int(col) if col else None)


def parse(path: str, data: bytes | None, policy: Policy) -> Manifest:
    """Parse manifest bytes (None: not a readable regular file) into a Manifest."""
    if data is None:
        return invalid(path, i18n.t("manifest.unreadable"))
    if len(data) > MAX_BYTES:
        return invalid(path, i18n.t("manifest.too_large", limit=MAX_BYTES // 1024))
    if b"\0" in data:
        return invalid(path, i18n.t("manifest.binary"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return invalid(path, i18n.t("manifest.not_utf8"), line)
    if not text.strip():
        return invalid(path, i18n.t("manifest.empty"))
    for number, line_text in enumerate(text.split("\n"), start=1):  # TOML's lines, not Unicode's
        if line_text.startswith(("<<<<<<< ", ">>>>>>> ")) or line_text.rstrip("\r") == "=======":
            return invalid(path, i18n.t("manifest.conflict"), number)
    try:
        doc = loads(text)
    except TooComplex as exc:
        return invalid(path, exc.text, exc.lineno)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_position(exc)
        detail = str(exc).split(" (at line")[0]
        return invalid(path, i18n.t("manifest.invalid_toml", detail=detail), line, col)
    except RecursionError:
        return invalid(path, i18n.t("manifest.too_deep"))
    return Reader(path, doc, locate(text), policy).read()
