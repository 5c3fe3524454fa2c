"""One exception tree. Only the CLI turns these into a sentence and exit code 2."""

from __future__ import annotations

from kigate.model import Text


class KigateError(Exception):
    """A user's mistake or an unusable input: reported as one sentence, exit code 2."""

    def __init__(self, text: Text, path: str | None = None, line: int | None = None) -> None:
        super().__init__(text.en)
        self.text = text
        self.path = path
        self.line = line

    def sentence(self, lang: str) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.text(lang)


class UsageError(KigateError):
    """Bad option or argument (not a directory, unknown format, ...)."""


class PolicyError(KigateError):
    """A policy cannot be found, read or resolved."""


class RepoError(KigateError):
    """Git cannot answer what was asked of it (unknown ref, missing history, ...)."""
