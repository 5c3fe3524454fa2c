"""Gate decisions from a finished report, without a repository: thresholds and --new-only."""

from __future__ import annotations

import dataclasses

import pytest

from kigate.errors import UsageError
from kigate.gate import EXIT_FINDINGS, EXIT_OK, Gate
from kigate.model import Finding, Report, Severity, Text
from tests.formats_support import fixed_report


def report_with(*findings: Finding) -> Report:
    return fixed_report(findings=findings)


def finding(severity: Severity, *, introduced: bool | None = None, waived: bool = False) -> Finding:
    return Finding(
        "KG140", severity, Text("gap", "Lücke"), "a.py", 1, waived=waived, introduced=introduced
    )


WARNING = report_with(finding(Severity.WARNING))
ERROR = report_with(finding(Severity.ERROR))
INFO = report_with(finding(Severity.INFO))
CLEAN = report_with()


@pytest.mark.parametrize(
    ("fail_on", "configured", "report", "code"),
    [
        (None, "error", ERROR, EXIT_FINDINGS),
        (None, "error", WARNING, EXIT_OK),
        (None, "warning", WARNING, EXIT_FINDINGS),
        (None, "never", ERROR, EXIT_OK),
        ("warning", "error", WARNING, EXIT_FINDINGS),  # the command line wins over settings
        ("error", "warning", WARNING, EXIT_OK),
        ("never", "warning", ERROR, EXIT_OK),
        ("warning", "error", INFO, EXIT_OK),  # a note never fails
        (None, "error", CLEAN, EXIT_OK),
    ],
)
def test_threshold_from_command_line_or_settings(
    fail_on: str | None, configured: str, report: Report, code: int
) -> None:
    assert Gate(fail_on=fail_on).exit_code(report, configured) == code


def test_a_waived_finding_never_fails() -> None:
    waived = report_with(finding(Severity.ERROR, waived=True))
    assert Gate().exit_code(waived) == EXIT_OK


def test_new_only_counts_only_introduced_findings_from_warning_up() -> None:
    gate = Gate(new_only=True, base="main")
    assert gate.threshold("error") == "warning"
    old_error = report_with(finding(Severity.ERROR, introduced=False))
    new_warning = report_with(finding(Severity.WARNING, introduced=True))
    assert gate.exit_code(old_error) == EXIT_OK
    assert gate.exit_code(new_warning) == EXIT_FINDINGS
    # An explicit --fail-on still wins, and so does a project that asks for less.
    assert Gate(fail_on="error", new_only=True, base="main").exit_code(new_warning) == EXIT_OK
    assert gate.exit_code(new_warning, "never") == EXIT_OK


def test_new_only_without_base_is_a_usage_error_in_both_languages() -> None:
    with pytest.raises(UsageError) as raised:
        Gate(new_only=True)
    assert raised.value.sentence("en") and raised.value.sentence("de")
    assert raised.value.sentence("en") != raised.value.sentence("de")


def test_an_unknown_threshold_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="fail_on"):
        Gate(fail_on="loud")


def test_gate_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Gate().fail_on = "never"  # type: ignore[misc]
