"""Command line: thin click commands that parse, call the core, print and exit.

``main`` is the entry point. For ``kigate check`` it starts git before anything else is
imported (click and kigate take most of a commit hook's time to load, and git's answer comes
in meanwhile on the second core); the click group lives in ``_group.py``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not ``typing``'s: git starts before that module is loaded
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from kigate.cli._group import cli as cli


def __getattr__(name: str) -> Any:
    if name == "cli":  # ``from kigate.cli import cli`` (tests, embedding) still works
        from kigate.cli import _group

        return _group.cli
    raise AttributeError(name)


def main(argv: Sequence[str] | None = None) -> int:
    from kigate.cli import _environment

    if (refused := _environment.check_cwd()) is not None:
        return refused
    args = list(argv) if argv is not None else sys.argv[1:]
    if args[:1] == ["check"]:  # git starts now and answers while kigate loads
        from kigate.git.delta import prefetch  # standard library and the git runner only

        prefetch(args)
    from kigate.cli._group import cli

    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="kigate")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return _environment.flushed(code)
    finally:
        if args[:1] == ["check"]:  # an answer no check took would be stale for the next one
            from kigate.git.delta import drop_prefetched

            drop_prefetched()
    return _environment.flushed(0)  # type: ignore[unreachable]  # click always exits


def entry() -> None:
    """The ``kigate`` console command: ``main``, then a quick exit (``_environment.leave``)."""
    from kigate.cli import _environment

    _environment.leave(main())
