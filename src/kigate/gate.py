"""Gate decisions: a finished report (or governance view) in, an exit code out.

The commands only exit with what this module decides, so ``--fail-on``, ``--new-only`` and
the project's ``fail_on`` setting mean the same wherever kigate gates (CLI, hook, aggregate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kigate import i18n
from kigate.config import FAIL_ON
from kigate.errors import UsageError
from kigate.model import Report

if TYPE_CHECKING:  # the governance view is only named here, never loaded by a plain check
    from kigate.aggregate.model import Aggregate

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


@dataclass(frozen=True)
class Gate:
    """When a check fails.

    ``fail_on`` is the command line's threshold (None: the project's ``fail_on`` setting);
    ``new_only`` counts only the findings the change since ``base`` introduced.
    """

    fail_on: str | None = None
    new_only: bool = False
    base: str | None = None

    def __post_init__(self) -> None:
        if self.fail_on is not None and self.fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {FAIL_ON}, not {self.fail_on!r}")
        if self.new_only and self.base is None:
            raise UsageError(i18n.t("gates.new_only.needs_base"))

    def threshold(self, configured: str = "error") -> str:
        """The lowest severity that fails, given the project's setting ``configured``."""
        if self.fail_on is not None:
            return self.fail_on
        if self.new_only and configured == "error":
            # A change must not add gaps of its own, warnings included (KG140: new AI that the
            # manifest does not name); an explicit --fail-on still wins.
            return "warning"
        return configured

    def fails(self, report: Report, configured: str = "error") -> bool:
        return report.fails(self.threshold(configured), new_only=self.new_only)

    def exit_code(self, report: Report, configured: str = "error") -> int:
        return EXIT_FINDINGS if self.fails(report, configured) else EXIT_OK


def aggregate_fails(aggregate: Aggregate, fail_on: str) -> bool:
    """A source that could not be read always fails; otherwise rows at or above ``fail_on``."""
    if aggregate.errors:
        return True
    if fail_on == "never":
        return False
    if fail_on == "warning":
        return any(r.errors or r.warnings for r in aggregate.rows)
    return any(r.errors for r in aggregate.rows)


def aggregate_exit_code(aggregate: Aggregate, fail_on: str) -> int:
    return EXIT_FINDINGS if aggregate_fails(aggregate, fail_on) else EXIT_OK
