"""Incremental cache of per-file detection results, kept in the user's cache directory.

An entry is valid for one path with one content: the git blob id of a tracked file whose
working copy matches the index, otherwise device, inode, size and modification time. One
file per repository (named by a hash of its root), never inside the repository, written
whole to a temporary file and renamed, so a second kigate process sees the old cache or
the new one, never half of one. A header carries the format, a namespace (kigate version,
detector code, signal catalogue) and a checksum: a cache that cannot be read, is of another
namespace or fails its checksum is ignored with a note and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import marshal
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kigate import __version__, cachedir, i18n, safeio
from kigate.model import Component, Evidence, Scope, Text
from kigate.tree import enclosing_repository

FORMAT = 1
MAGIC = b"kigate-cache\n"
MAX_TOTAL_BYTES = 256 << 20  # all repositories together; least recently used go first
MAX_ENTRIES = 2_000_000  # per repository; more is no source tree, and is not cached

# (components, problems) of one file as plain tuples that marshal can store
Plain = tuple[tuple[Any, ...], tuple[Any, ...]]


def directory() -> Path:
    """``$XDG_CACHE_HOME/kigate``, else ``~/.cache/kigate``."""
    return cachedir.directory()


def namespace(*parts: object) -> str:
    """A digest of everything that can change a file's result besides the file itself."""
    digest = hashlib.sha256(f"kigate {__version__}\0".encode())
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def source_digest(folder: Path, pattern: str = "*.py") -> str:
    """Digest of the files that make a result: a changed detector or message text
    invalidates what the cache holds, even without a new kigate version. By content, so two
    installations of the same kigate (pre-commit's own and a developer's) share one cache
    and one snapshot instead of replacing each other's; computed once per process."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        digest.update(path.relative_to(folder).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class FileResult:
    """What the cacheable detectors found in one file."""

    components: tuple[Component, ...]
    problems: tuple[tuple[int | None, Text], ...]  # (line, text); the path is the entry's

    def plain(self) -> Plain:
        return (
            tuple(
                (
                    c.id,
                    c.name,
                    c.ecosystem,
                    c.category,
                    c.scope.value,
                    tuple((e.path, e.line, e.match, e.family, e.usage) for e in c.evidence),
                )
                for c in self.components
            ),
            tuple((line, text.en, text.de) for line, text in self.problems),
        )

    @classmethod
    def from_plain(cls, plain: Plain) -> FileResult:
        components, problems = plain
        return cls(
            tuple(
                Component(i, n, eco, cat, Scope(scope), tuple(Evidence(*e) for e in evidence))
                for i, n, eco, cat, scope, evidence in components
            ),
            tuple((line, Text(en=en, de=de)) for line, en, de in problems),
        )


EMPTY: Plain = ((), ())


@dataclass
class Cache:
    """The cache of one repository for one namespace; ``load`` it, use it, ``save`` it."""

    root: Path
    namespace: str
    folder: Path = field(default_factory=directory)
    notes: list[Text] = field(default_factory=list)
    hits: int = 0
    misses: int = 0
    _old: dict[str, tuple[str, Plain]] = field(default_factory=dict, repr=False)
    _new: dict[str, tuple[str, Plain]] = field(default_factory=dict, repr=False)
    _off: bool = field(default=False, repr=False)

    @property
    def file(self) -> Path:
        name = hashlib.sha256(os.fsencode(os.path.realpath(self.root))).hexdigest()[:32]
        return self.folder / f"{name}.v{FORMAT}.cache"

    def load(self) -> None:
        root = str(enclosing_repository(self.root))  # the whole repository, not the subfolder
        folder = os.path.realpath(self.folder)
        if not self.folder.is_absolute():  # no HOME, no usable XDG_CACHE_HOME: no cache
            self._off = True
            return
        if folder == root or folder.startswith(root.rstrip(os.sep) + os.sep):
            # e.g. XDG_CACHE_HOME=$PWD/.cache in CI: kigate never writes into what it checks
            self._off = True
            self.notes.append(i18n.t("cache.inside", path=str(self.folder)))
            return
        try:
            data = safeio.read_bytes(self.file, MAX_TOTAL_BYTES, follow_links=False)
        except safeio.Refused as exc:
            if exc.reason != "missing":
                self._note("cache.unreadable", exc.text.en)
            return
        entries = self._decode(data)
        if entries is not None:
            self._old = entries

    def _decode(self, data: bytes) -> dict[str, tuple[str, Plain]] | None:
        head, _, body = data.partition(b"\n\n")
        lines = head.split(b"\n")
        if len(lines) != 4 or lines[0] + b"\n" != MAGIC:
            self._note("cache.corrupt", "header")
            return None
        if lines[1] != str(FORMAT).encode() or lines[2] != self.namespace.encode():
            return None  # another kigate or catalogue wrote it: silently rebuilt
        if hashlib.sha256(body).hexdigest().encode() != lines[3]:
            self._note("cache.corrupt", "checksum")
            return None
        try:
            entries = marshal.loads(body)
        except (EOFError, ValueError, TypeError) as exc:
            self._note("cache.corrupt", str(exc))
            return None
        if not isinstance(entries, dict):
            self._note("cache.corrupt", "type")
            return None
        return entries

    def damaged(self) -> bool:
        """True when the file is there but cannot be read or fails its header or checksum
        (what ``load`` would note), without decoding its entries."""
        try:
            data = self.file.read_bytes()
        except FileNotFoundError:
            return False
        except OSError:
            return True
        head, _, body = data.partition(b"\n\n")
        lines = head.split(b"\n")
        if len(lines) != 4 or lines[0] + b"\n" != MAGIC:
            return True
        if lines[1] != str(FORMAT).encode() or lines[2] != self.namespace.encode():
            return False  # another kigate's: rebuilt silently, nothing to say
        return hashlib.sha256(body).hexdigest().encode() != lines[3]

    def _note(self, key: str, reason: str) -> None:
        self.notes.append(i18n.t(key, path=str(self.file), reason=reason))

    def get(self, path: str, key: str | None) -> FileResult | None:
        """The cached result for ``path`` if its content key is still ``key``."""
        if key is None:
            self.misses += 1
            return None
        entry = self._old.get(path)
        if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != key:
            self.misses += 1
            return None
        try:  # a valid checksum proves who wrote it, not that the shape is right
            result = FileResult.from_plain(entry[1]) if entry[1] != EMPTY else EMPTY_RESULT
        except (TypeError, ValueError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        self._new[path] = entry
        return result

    def put(self, path: str, key: str | None, result: FileResult) -> None:
        if key is not None and not self._off:
            plain = result.plain()
            self._new[path] = (key, EMPTY if plain == EMPTY else plain)

    def save(self) -> None:
        """Write this run's entries (files gone since are dropped), then bound the folder."""
        if self._off or self._new == self._old or len(self._new) > MAX_ENTRIES:
            return
        body = marshal.dumps(self._new)
        head = b"%s%d\n%s\n%s\n\n" % (
            MAGIC,
            FORMAT,
            self.namespace.encode(),
            hashlib.sha256(body).hexdigest().encode(),
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            import tempfile  # only a run that writes pays for it

            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".cache")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(head + body)
                os.replace(temp, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            self._note("cache.unwritable", exc.strerror or str(exc))
            return
        evict(self.folder, MAX_TOTAL_BYTES, keep=self.file)


EMPTY_RESULT = FileResult((), ())


def evict(folder: Path, limit: int, keep: Path | None = None) -> None:
    """Delete the least recently written cache files until the folder holds ``limit`` bytes."""
    files: list[tuple[int, int, Path]] = []
    for path in _cache_files(folder):
        with contextlib.suppress(OSError):
            info = path.stat()
            files.append((info.st_mtime_ns, info.st_size, path))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= limit:
            break
        if path != keep:
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


def _cache_files(folder: Path) -> Iterable[Path]:
    try:
        yield from (p for p in folder.iterdir() if p.name.endswith(".cache"))
    except OSError:
        return
