"""Blob bytes through one long-lived ``git cat-file --batch-command --buffer`` process.

Requests go in batches: one round trip per batch rather than per file, which is what makes
reading 100k small files from the index take a second instead of ten. A missing object
(a partial clone's blob: nothing is ever fetched) answers None.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from kigate.git import runner
from kigate.names import decode

# Past this size a blob is read through its own process, so a huge model file is never
# pushed through the shared ``cat-file`` pipe only to be thrown away.
STREAM_THRESHOLD = 8 << 20
# Seconds one batch may take. Past it the process is killed and the rest answers None
# ("could not be examined"): a FIFO planted as a loose object must not hang the run.
BATCH_TIMEOUT = 60.0

Answer = tuple[str, int, bytes | None]  # (type, size, contents when asked)


class BlobReader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._proc: subprocess.Popen[bytes] | None = None
        # One request and its answers at a time: ``aggregate`` checks projects of one
        # repository in threads, and they share this process.
        self._lock = threading.Lock()

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is not None:
            _close(self._proc)  # killed by the watchdog (or gone): start afresh
            self._proc = None
        if self._proc is None:
            self._proc = runner.start(
                self.root, "cat-file", "--batch-command", "--buffer", stdin=True
            )
            weakref.finalize(self, _close, self._proc)
        return self._proc

    def alive(self) -> bool:
        return self._proc is None or self._proc.poll() is None

    def close(self) -> None:
        """Ends the process after the request in flight; a later request starts a new one."""
        with self._lock:
            if self._proc is not None:
                _close(self._proc)
                self._proc = None

    def exchange(self, command: str, shas: Sequence[str]) -> list[Answer | None]:
        """``command`` ("info" or "contents") for every sha: (type, size, bytes) or None."""
        if not shas:
            return []
        with self._lock:
            proc = self._process()  # once: the watchdog must watch the process we read
            with _watched(proc):
                return _exchange(proc, command, shas)

    def resolve(self, revision: str) -> tuple[str, str] | None:
        """(object id, type) of a revision (``main``, ``HEAD~2^{commit}``), or None."""
        if not revision or not revision.isprintable():
            return None  # a newline would smuggle a second command into the batch
        with self._lock:
            proc = self._process()
            stdin, stdout = _pipes(proc)
            with _watched(proc):
                _write_all(stdin, f"info {revision}\nflush\n".encode("utf-8", "surrogateescape"))
                header = stdout.readline().split()
        return (decode(header[0]), decode(header[1])) if len(header) == 3 else None

    def size(self, sha: str) -> int | None:
        answer = self.exchange("info", [sha])[0]
        return answer[1] if answer and answer[0] == "blob" else None

    def read(self, sha: str, limit: int) -> bytes | None:
        size = self.size(sha)
        if size is None:
            return None
        if size > STREAM_THRESHOLD and size > limit:
            return self._read_head(sha, limit)
        answer = self.exchange("contents", [sha])[0]
        return None if answer is None or answer[2] is None else answer[2][:limit]

    def _read_head(self, sha: str, limit: int) -> bytes | None:
        proc = runner.start(self.root, "cat-file", "blob", sha)
        try:
            return proc.stdout.read(limit) if proc.stdout is not None else None
        finally:
            _close(proc)


@contextlib.contextmanager
def _watched(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """Kills ``proc`` if the request takes longer than ``BATCH_TIMEOUT``, or as soon as git
    waits on a FIFO planted where it opens a file (``objects/info/alternates``, a loose
    object): then the request is "could not be examined" within a second, not a minute."""
    done = threading.Event()
    watchdog = threading.Thread(target=_watch, args=(proc, done), daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        done.set()
        watchdog.join()  # a kill in progress ends (and reaps) before the next request


def _watch(proc: subprocess.Popen[bytes], done: threading.Event) -> None:
    deadline = time.monotonic() + BATCH_TIMEOUT
    stuck = 0
    while not done.wait(0.25):
        stuck = stuck + 1 if runner.waits_on_fifo(proc.pid) else 0
        if stuck >= 2 or time.monotonic() > deadline:
            _kill(proc)
            return


def _exchange(
    proc: subprocess.Popen[bytes], command: str, shas: Sequence[str]
) -> list[Answer | None]:
    stdin, stdout = _pipes(proc)
    payload = "".join(f"{command} {sha}\n" for sha in shas).encode("ascii") + b"flush\n"
    # A writer thread: a long batch must not fill the pipe while git waits for us to read.
    writer = threading.Thread(target=_write_all, args=(stdin, payload), daemon=True)
    writer.start()
    answers: list[Answer | None] = []
    for _sha in shas:
        header = stdout.readline().split()
        if len(header) != 3 or not header[2].isdigit():
            answers.append(None)  # "<sha> missing", or git stopped
            continue
        kind, size = decode(header[1]), int(header[2])
        data = None
        if command == "contents":
            data = stdout.read(size)
            stdout.read(1)  # the newline after every object
            if len(data) != size:  # killed by the watchdog midway
                answers.append(None)
                continue
        answers.append((kind, size, data))
    writer.join()
    return answers


def _pipes(proc: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    if proc.stdin is None or proc.stdout is None:  # never: both are pipes
        raise RuntimeError("cat-file has no pipes")
    return proc.stdin, proc.stdout


def _write_all(stream: IO[bytes], payload: bytes) -> None:
    with contextlib.suppress(OSError, ValueError):
        stream.write(payload)
        stream.flush()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        proc.kill()
        proc.wait()


def _close(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    with contextlib.suppress(OSError):
        proc.kill()
        proc.wait()


_READERS: dict[Path, BlobReader] = {}
_MAX_READERS = 4
_READERS_LOCK = threading.Lock()


def shared_reader(root: Path) -> BlobReader:
    """The reader of ``root``'s repository, one ``cat-file`` process shared by every tree
    of a run (the index, HEAD, the base); the oldest of more than four is closed."""
    key = runner.location(root).common
    with _READERS_LOCK:
        reader = _READERS.get(key)
        if reader is None or not reader.alive():
            reader = _READERS[key] = BlobReader(root)
            while len(_READERS) > _MAX_READERS:
                _READERS.pop(next(iter(_READERS))).close()
    return reader
