"""What every subcommand shares: language, error handling, common options."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from kigate import config, i18n, terminal
from kigate import policy as policy_mod
from kigate.cli import _environment
from kigate.errors import KigateError, UsageError
from kigate.gate import EXIT_BUG, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from kigate.model import Text
from kigate.policy import Policy

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["EXIT_BUG", "EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE"]  # the gate's, for every command

lang_option = click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    default=None,
    help="Language of the output (de|en); default from LC_ALL/LANG, else English.",
)
policy_option = click.option(
    "--policy",
    "policy_ref",
    metavar="NAME|PATH",
    default=None,
    help="Built-in policy name or a policy file (default: demokratische-ki).",
)


cache_option = click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    default=False,
    help="Examine every file afresh; neither read nor write the cache in $XDG_CACHE_HOME/kigate.",
)


def print_notes(notes: Sequence[Text], lang: str) -> None:
    """Notes (e.g. a damaged cache was ignored) go to stderr; they never change the result."""
    for note in notes:
        text = terminal.safe(i18n.t("cli.note", text=note(lang))(lang))
        click.echo("kigate: " + text, err=True)


def handle_errors(func: F) -> F:
    """A user's mistake becomes one sentence and exit 2; a bug becomes exit 3, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = i18n.detect_language(kwargs.get("lang"))
        try:
            return func(*args, **kwargs)
        except KigateError as exc:
            click.echo(f"kigate: {terminal.safe(exc.sentence(lang))}", err=True)
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno in _environment.OUTPUT_ERRORS:
                sys.exit(_environment.output_failed(exc, lang))
            if os.environ.get("KIGATE_DEBUG"):
                raise
            text = i18n.t("cli.bug", error=f"{type(exc).__name__}: {exc}")(lang)
            click.echo("kigate: " + terminal.safe(text), err=True)
            sys.exit(EXIT_BUG)

    return wrapper  # type: ignore[return-value]


def project_dir(path: str) -> Path:
    """The directory to check; anything else is a usage error."""
    target = Path(path)
    try:
        exists, is_dir = target.exists(), target.is_dir()
    except (OSError, ValueError):  # a name beyond NAME_MAX or PATH_MAX
        exists = is_dir = False
    if not exists:
        raise UsageError(i18n.t("cli.no_such_path", path=path))
    if not is_dir:
        raise UsageError(i18n.t("cli.not_a_directory", path=path))
    return target


def seen_from_cwd(root: Path) -> str:
    """The checked directory relative to the current directory ("" when they are the same),
    for paths a person reads (``RenderOptions.where``); "" too when it lies outside the
    current directory, whose paths then stay relative to the checked directory."""
    try:
        rel = Path(os.path.realpath(root)).relative_to(os.path.realpath(Path.cwd()))
    except (ValueError, OSError):
        return ""
    shown = rel.as_posix()
    return "" if shown == "." else shown


def use_color(stream: Any = None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


@dataclass(frozen=True)
class Project:
    """What every command that judges a directory needs: where, how, in which language."""

    root: Path
    settings: config.Settings
    lang: str
    policy: Policy


def open_project(path: str, policy_ref: str | None, lang: str | None) -> Project:
    """The checked directory with its settings; the command line wins over them."""
    root = project_dir(path)
    settings = config.load(root)
    return Project(
        root=root,
        settings=settings,
        lang=i18n.detect_language(lang or settings.lang),
        policy=policy_mod.load(policy_ref or settings.policy),
    )


def write_text(target: str, text: str) -> None:
    """Write one output file; a file that cannot be written is a usage error (exit 2)."""
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            i18n.t("cli.cannot_write", path=target, reason=exc.strerror or str(exc))
        ) from None


def destinations(
    formats: tuple[str, ...], outputs: tuple[str, ...], default: str
) -> tuple[list[tuple[str, str]], str | None]:
    """Each --output pairs with the --format at the same position; at most one format is
    left for stdout. Returns the (format, file) pairs and the format for stdout, if any."""
    if len(outputs) > len(formats):
        raise UsageError(i18n.t("cli.output_without_format"))
    names = formats or (default,)
    to_stdout = names[len(outputs) :]
    if len(to_stdout) > 1:
        raise UsageError(i18n.t("cli.one_stdout", formats=", ".join(to_stdout)))
    return list(zip(names, outputs, strict=False)), (to_stdout[0] if to_stdout else None)


def write_outputs(
    render: Callable[[str, bool], str],
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    default: str,
    colored: Callable[[str], bool] = lambda _name: False,
) -> str | None:
    """Render each chosen format once and write it to its file or to stdout.

    ``render(name, color)`` produces a format's text; files are never coloured, stdout only
    when it is a terminal and ``colored(name)``. Every destination is checked before anything
    is rendered. Returns the format written to stdout (None when all went to files).
    """
    to_files, to_stdout = destinations(formats, outputs, default)
    for name, target in to_files:
        write_text(target, terminal.bidi_escaped(render(name, False)))
    if to_stdout is not None:
        color = colored(to_stdout) and use_color()
        click.echo(terminal.bidi_escaped(render(to_stdout, color)), nl=False)
    return to_stdout
