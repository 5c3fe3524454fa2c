"""Parsed TOML of the large files every run reads again (policies, signal catalogues,
message catalogues), kept beside the snapshots so a run loads them instead of parsing.

Parsing 110 KB of TOML costs a warm check more than detecting the one file that changed;
loading the same data with ``marshal`` costs a millisecond. Only texts of at least
``MIN_CHARS`` are kept (a repository's own small files are parsed as always), at most
``MAX_ENTRIES``, keyed by the text's SHA-256, in one file with a checksum (another Python or
a damaged file: parsed afresh). Entries are written only by ``flush``, which a run calls
once it knows the folder lies outside the checked tree.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
from pathlib import Path
from typing import Any

from kigate import cachedir

if sys.version_info >= (3, 11):
    import tomllib as _parser
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as _parser  # type: ignore[import-not-found,unused-ignore]

MIN_CHARS = 512
MAX_ENTRIES = 128
MAX_BYTES = 16 << 20
_VERSION = f"kigate-toml 2 {sys.version_info[0]}.{sys.version_info[1]}\n".encode()

TOMLDecodeError = _parser.TOMLDecodeError
_known: dict[str, bytes] = {}
_loaded: list[bool] = []  # set once the memo file was read
_fresh: dict[str, bytes] = {}
_used: dict[str, None] = {}  # answered from the memo this run: kept first


def _file(folder: Path) -> Path:
    return folder / "parsed-toml.cache"


def _folder() -> Path:
    return cachedir.snapshots()


def _read(file: Path) -> bytes | None:
    """The memo's bytes, if it is a regular file (never a FIFO or a link planted there)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(file, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _load() -> dict[str, bytes]:
    if not _loaded:
        _loaded.append(True)
        data = _read(_file(_folder())) if _folder().is_absolute() else None
        size = len(_VERSION)
        if data is not None and data[:size] == _VERSION:
            digest, body = data[size : size + 64], data[size + 64 :]
            if hashlib.sha256(body).hexdigest().encode() == digest:
                with contextlib.suppress(EOFError, ValueError, TypeError):
                    entries = marshal.loads(body)
                    if isinstance(entries, dict):
                        _known.update(entries)
    return _known


def _key(text: str, kind: str) -> str:
    return kind + ":" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def recall(text: str, kind: str = "") -> dict[str, Any] | None:
    """What ``text`` parsed to when it was kept under ``kind``; None if it was not."""
    if len(text) < MIN_CHARS:
        return None
    key = _key(text, kind)
    stored = _load().get(key)
    if stored is None:
        return None
    with contextlib.suppress(EOFError, ValueError, TypeError):
        memo = marshal.loads(stored)
        if isinstance(memo, dict):
            _used[key] = None
            return memo
    return None


def keep(text: str, doc: dict[str, Any], kind: str = "") -> None:
    """Remember ``doc`` for ``text`` (a large text only; written by ``flush``)."""
    if len(text) >= MIN_CHARS:
        with contextlib.suppress(ValueError):  # a date or time: marshal cannot keep it
            _fresh[_key(text, kind)] = marshal.dumps(doc)


def parse(text: str) -> dict[str, Any]:
    """The bare parser, no memo."""
    doc: dict[str, Any] = _parser.loads(text)
    return doc


def loads(text: str, /, **options: Any) -> dict[str, Any]:
    """``tomllib.loads``, answered from the memo for a large text seen before."""
    if options:
        parsed: dict[str, Any] = _parser.loads(text, **options)
        return parsed
    known = recall(text)
    if known is not None:
        return known
    doc = parse(text)
    keep(text, doc)
    return doc


def flush(folder: Path) -> None:
    """Write what this run parsed anew into ``folder`` (outside the checked tree)."""
    if not _fresh or not folder.is_absolute():
        return
    known = _load()
    # what this run needed first (its own texts were parsed before any repository's)
    order = [*_used, *_fresh, *known]
    entries: dict[str, bytes] = {}
    for key in order:
        if len(entries) == MAX_ENTRIES:
            break
        value = _fresh.get(key, known.get(key))
        if value is not None:
            entries.setdefault(key, value)
    body = marshal.dumps(entries)
    data = _VERSION + hashlib.sha256(body).hexdigest().encode() + body
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a run that writes pays for it

        fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".toml")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, _file(folder))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    _fresh.clear()
