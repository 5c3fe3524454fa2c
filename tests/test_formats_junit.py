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
    inventory = by_family["inventory (KG140, KG141)"].result[0]
    assert inventory.message == "1 finding at warning or error"
    assert inventory.type == "warning"
    assert inventory.text.splitlines() == [
        "ai-values.toml:30: KG141 note declared component pypi:gone is no longer found",
        "src/app dir/requirements ü.txt:2: KG140 warning AI component pypi:openai is not declared",
    ]
    review = by_family["review (KG130, KG131)"]
    # Only a waived finding and an unchecked rule: not a failure, but never silent.
    assert isinstance(review.result[0], Skipped)
    assert review.result[0].message == "KG131 could not be checked: no git history"
    assert "KG130 warning last review" in review.system_out
    assert by_family["waivers (KG150)"].is_passed


def test_totals_add_up() -> None:
    xml = parsed(renderer("junit")(fixed_report(), RenderOptions()))
    xml.update_statistics()
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (
        13,
        6,
        0,
        2,
    )  # issue 11 added the substance family


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
    assert "aspects (KG110, KG111, KG112, KG113)" in failed
