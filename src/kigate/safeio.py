"""The one way kigate opens a file it did not write: never blocks, never streams forever.

Every path kigate reads (settings, manifests, policies, signal catalogues, evidence, cache
entries, ``@list`` files, reports, detector inputs) goes through ``read_bytes``: opened with
``O_NONBLOCK`` (a FIFO without a writer does not wait), optionally ``O_NOFOLLOW``, checked
with ``fstat`` to be a regular file before a byte is read, and read under a byte budget that
does not trust ``st_size`` (``/proc`` files claim 0 bytes, a growing file lies). A FIFO,
socket, device, ``/dev/stdin`` or ``/dev/zero`` is refused, never waited on or streamed.

New readers (detectors, parsers of issue 12 and later) call this module rather than
``open()``/``Path.read_bytes()``; writers of a file a person owns call ``write_beside``.
Only the standard library is imported: the idle hook stays light.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

TYPE_CHECKING = False  # not ``typing``'s: read before git starts, see ``names.py``
if TYPE_CHECKING:
    from kigate.model import Text

_CHUNK = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Refused(OSError):
    """The path is not a regular file within budget. ``reason`` is one of ``missing``,
    ``not_regular``, ``link``, ``too_large``, ``unreadable``; ``text`` says it in de/en."""

    def __init__(self, reason: str, params: dict[str, object], code: int = errno.EINVAL) -> None:
        super().__init__(code, reason)
        self.reason = reason
        self._params = params

    @property
    def text(self) -> Text:
        # Said only when somebody reads it: ``read_optional`` turns most refusals (a file
        # that is simply not there) into None, and the messages would load i18n for nothing.
        from kigate import i18n

        return i18n.t(f"safeio.{self.reason}", **self._params)

    def __str__(self) -> str:
        return self.text.en

    @property  # what OSError handlers print: the sentence, as for any other OSError
    def strerror(self) -> str:  # type: ignore[override]
        return self.text.en


def _refused(kind: str, **params: object) -> Refused:
    code = {"missing": errno.ENOENT, "too_large": errno.EFBIG}.get(kind, errno.EINVAL)
    return Refused(kind, params, code)


def open_regular(path: str | Path, follow_links: bool = True) -> int:
    """A read-only descriptor of a regular file; Refused for anything else.

    ``follow_links=False`` refuses a path whose last component is a symbolic link.
    """
    flags = _FLAGS if follow_links else _FLAGS | _NOFOLLOW
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _refused("missing") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:
            raise _refused("link") from None
        raise _refused("unreadable", reason=exc.strerror or str(exc)) from None
    except ValueError:  # a NUL byte in the name
        raise _refused("missing") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refused("not_regular")
        # Back to blocking reads: a regular file never blocks, and some file systems
        # answer EAGAIN to non-blocking reads of regular files.
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_fd(fd: int, limit: int, size: int = 0) -> bytes:
    """At most ``limit`` bytes of ``fd``; Refused("too_large") when it holds more.

    ``size``: what ``fstat`` said the file holds, so a large file comes in one read (the
    file may still grow or shrink meanwhile: the loop reads until the end either way).
    """
    chunks: list[bytes] = []
    got = 0
    want = max(_CHUNK, size + 1)
    while got <= limit:
        try:
            chunk = os.read(fd, min(want, limit + 1 - got))
        except OSError as exc:
            raise _refused("unreadable", reason=exc.strerror or str(exc)) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        got += len(chunk)
    raise _refused("too_large", limit=_size(limit))


def read_bytes(path: str | Path, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; else Refused."""
    fd = open_regular(path, follow_links)
    try:
        return read_fd(fd, limit, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int, follow_links: bool = True) -> str:
    """``read_bytes`` decoded as UTF-8 (a BOM dropped); UnicodeDecodeError is the caller's."""
    return read_bytes(path, limit, follow_links).decode("utf-8-sig")


def read_optional(path: str | Path, limit: int, follow_links: bool = True) -> bytes | None:
    """``read_bytes``, or None for anything it would refuse."""
    try:
        return read_bytes(path, limit, follow_links)
    except Refused:
        return None


def is_regular(path: str | Path) -> bool:
    """True for a regular file (links followed), without opening it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def write_beside(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` through a fresh temporary file in its folder.

    The temporary file is made by ``mkstemp`` (``O_EXCL``, unpredictable name), so nothing
    planted beforehand (a link, a FIFO) is followed or waited on; a ``target`` that is a
    link or not a regular file is refused (``Refused``). Other OSErrors are the caller's.
    """
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISLNK(info.st_mode):
            raise _refused("link")
        if not stat.S_ISREG(info.st_mode):
            raise _refused("not_regular")
    import tempfile  # only a run that writes pays for it

    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _size(limit: int) -> str:
    if limit >= 1 << 20:
        return f"{limit >> 20} MiB"
    if limit >= 1 << 10:
        return f"{limit >> 10} KiB"
    return f"{limit} bytes"
