"""Writing below a folder without ever following a link: the two places kigate writes into a
repository besides the manifest (sign-off records, evidence templates) go through here."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class LinkRefused(OSError):
    """A folder on the way is a link (or not a folder): nothing was written."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is a link or not a folder")
        self.path = path


def open_folders(base: Path, folders: tuple[str, ...]) -> int:
    """A descriptor of ``base/folders...``, each created if missing and never a link."""
    fd = os.open(base, _DIR_FLAGS)
    try:
        for name in folders:
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o755, dir_fd=fd)
            try:
                child = os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=fd)
            except OSError:
                raise LinkRefused(base / name) from None
            os.close(fd)
            fd, base = child, base / name
    except BaseException:
        os.close(fd)
        raise
    return fd


def write(base: Path, folders: tuple[str, ...], name: str, text: str, *, replace: bool) -> bool:
    """Write ``text`` as ``base/folders.../name``: a temporary file created exclusively beside
    it, then an atomic rename. Without ``replace`` an existing entry is kept (returns False).

    Raises OSError (``LinkRefused`` for a link on the way)."""
    fd = open_folders(base, folders)
    temporary = f".{name}.{secrets.token_hex(6)}.tmp"
    try:
        if not replace:
            try:
                os.stat(name, dir_fd=fd, follow_symlinks=False)
                return False
            except FileNotFoundError:
                pass
        out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=fd)
        try:
            payload = memoryview(text.encode("utf-8"))
            while payload:
                payload = payload[os.write(out, payload) :]
            os.fsync(out)
        finally:
            os.close(out)
        os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        return True
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=fd)
        raise
    finally:
        os.close(fd)
