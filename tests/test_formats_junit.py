"""JUnit XML: one test case per aspect and per rule family, readable by a JUnit reader."""

from __future__ import annotations

from junitparser import Failure, JUnitXml, Skipped

from kigate.formats import RenderOptions, renderer
from kigate.formats.junit import families
from tests.conftest import MakeRepo, example_files
from tests.formats_support import fixed_report


def parsed(text: str) -> JUnitXml:
    return JUnitXml.fromstring(text.encode("utf-8"))


def cases(xml: JUnitXml, suite_name: str) -> dict[str, object]:
    suite = next(s for s in xml if s.name == suite_name)
    return {case.name: case for case in suite}


def test_one_case_per_aspect_with_status() -> None:
    xml = parsed(renderer("junit")(fixed_report(), RenderOptions()))
    aspects = cases(xml, "kigate.aspects")
    assert list(aspects) == [
        "values: Define values",
        "risks: Weigh opportunities and risks",
        "participation: Enable participation",
        "sustainability: Consider ecological sustainability",
    ]
    assert aspects["values: Define values"].is_passed
    failure = aspects["participation: Enable participation"].result[0]
    assert isinstance(failure, Failure)
    assert failure.message == "aspect 'participation': missing"
    assert failure.text == "ai-values.toml:12: KG110 error aspect 'participation' is missing\n"
    skipped = aspects["sustainability: Consider ecological sustainability"].result[0]
    assert isinstance(skipped, Skipped)


def test_one_case_per_rule_family() -> None:
    xml = parsed(renderer("junit")(fixed_report(), RenderOptions()))
    by_family = cases(xml, "kigate.rules")
    assert [name.split(" ")[0] for name in by_family] == list(families())
    inventory = by_family["inventory (KG140, KG141)"]
    # Below the default threshold (error): shown, but not a failure (issue 13).
    assert inventory.is_passed
    assert inventory.system_out.splitlines() == [
        "not a failure (below the gate's threshold, waived or info):",
        "ai-values.toml:30: KG141 info declared component pypi:gone is no longer found",
        "src/app dir/requirements ü.txt:2: KG140 warning AI component pypi:openai is not declared",
    ]
    review = by_family["review (KG130, KG131)"]
    # Only a waived finding and an unchecked rule: not a failure, but never silent.
    assert isinstance(review.result[0], Skipped)
    assert review.result[0].message == "KG131 could not be checked: no git history"
    assert "KG130 warning last review" in review.system_out
    assert by_family["waivers (KG150)"].is_passed


def test_failure_count_matches_its_lines_at_the_gates_threshold() -> None:
    xml = parsed(renderer("junit")(fixed_report(), RenderOptions(fail_on="warning")))
    inventory = cases(xml, "kigate.rules")["inventory (KG140, KG141)"].result[0]
    assert isinstance(inventory, Failure)
    assert inventory.message == "1 finding fails the gate"
    assert inventory.type == "warning"
    assert inventory.text.splitlines() == [
        "src/app dir/requirements ü.txt:2: KG140 warning AI component pypi:openai is not declared"
    ]


def test_no_finding_counts_in_two_suites() -> None:
    text = renderer("junit")(fixed_report(), RenderOptions(fail_on="warning"))
    report = fixed_report()
    for finding in report.findings:
        rule_at = f": {finding.rule} "
        shown = [line for line in text.splitlines() if rule_at in line]
        assert len(shown) == 1, (finding.rule, shown)


def test_a_passing_run_shows_no_failed_case() -> None:
    for fail_on in ("never",):
        xml = parsed(renderer("junit")(fixed_report(), RenderOptions(fail_on=fail_on)))
        xml.update_statistics()
        assert xml.failures == 0
        assert xml.skipped == 2


def test_totals_add_up() -> None:
    xml = parsed(renderer("junit")(fixed_report(), RenderOptions()))
    xml.update_statistics()
    # Failing at error: participation (KG110) and coverage (KG100); KG120 is a warning;
    # issue 11 added the substance family (13 cases).
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (13, 2, 0, 2)


def test_german_prose_identifiers_unchanged() -> None:
    xml = parsed(renderer("junit")(fixed_report(), RenderOptions(lang="de")))
    aspects = cases(xml, "kigate.aspects")
    failure = aspects["participation: Teilhabe ermöglichen"].result[0]
    assert failure.message == "Aspekt 'participation': fehlt"
    assert failure.type == "missing"


def test_cli_output_parses(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    result = run_cli("check", str(repo), "--format", "junit")
    assert result.exit_code == 1
    xml = parsed(result.stdout)
    xml.update_statistics()
    assert xml.tests == 8 + len(families())
    failed = {c.name for s in xml for c in s if not c.is_passed}
    assert "participation: Enable participation" in failed
    # KG110 counts once, in its aspect's case; the rule family holds findings of no aspect.
    assert "aspects (KG110, KG111, KG112, KG113)" not in failed


def test_cli_exit_0_means_no_failed_case(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    result = run_cli("check", str(repo), "--format", "junit", "--fail-on", "never")
    assert result.exit_code == 0
    xml = parsed(result.stdout)
    xml.update_statistics()
    assert xml.failures == 0
    assert "KG110 error aspect 'participation'" in result.stdout  # still shown, in system-out
