"""Faults of the environment kigate runs in: a deleted working directory, an output that
cannot be written (``/dev/full``, a closed pipe). Each is one sentence on stderr and exit 2,
never a traceback and never Python's "Exception ignored" at shutdown."""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import sys

# i18n is imported where a sentence is said: ``check_cwd`` runs before anything else is
# loaded, and a run that goes well never needs it here.

EXIT_USAGE = 2
# What writing to stdout can fail with when the reader or the device is gone or full.
OUTPUT_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EBADF}
)


def _say(text: str) -> None:
    try:
        sys.stderr.write(f"kigate: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is gone too: the exit code is all that is left


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush has nowhere to fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def check_cwd() -> int | None:
    """Exit 2 with one sentence when the current directory no longer exists."""
    try:
        os.getcwd()
    except OSError:
        from kigate import i18n

        _say(i18n.t("hostile.cwd_gone")(i18n.detect_language(None)))
        return EXIT_USAGE
    return None


def output_failed(exc: OSError, lang: str) -> int:
    from kigate import i18n

    _silence_stdout()
    reason = exc.strerror or str(exc)
    _say(i18n.t("hostile.output_failed", reason=reason)(lang))
    return EXIT_USAGE


def flushed(code: int) -> int:
    """``code``, after everything written to stdout reached it; exit 2 if it could not."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        from kigate import i18n

        return output_failed(exc, i18n.detect_language(None))
    except ValueError:  # stdout closed by the caller
        return code
    return code


def leave(code: int) -> None:
    """End a console run with ``code``: everything written is out and every exit handler
    has run (kigate's temporary git directory is removed, a coverage run saves its data),
    then the process ends without tearing the interpreter down. Freeing every module and
    object one by one costs a commit hook some 10 ms and leaves nothing different behind:
    output files are closed when written, and git's ``cat-file`` ends when its pipe does.
    Where the exit handlers cannot be run first (not CPython), a plain exit."""
    code = flushed(code)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if not callable(run_handlers):
        sys.exit(code)
    run_handlers()
    os._exit(code)
