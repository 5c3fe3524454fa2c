"""Waivers are matched in buckets (rule, component, aspect; then the path by set or one
regular expression): the verdict for every finding is exactly what asking ``waives`` of
each waiver in turn says, for any mix of exact paths, globs, components, aspects and dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from kigate.model import Finding, Severity, Text
from kigate.rules import waivers as waivers_module
from kigate.rules.waivers import _FEW_GLOBS, apply_waivers, waives
from kigate.schema import Manifest, Waiver
from tests.test_rules_units import parsed

TODAY = dt.date(2026, 12, 1)
RULES = ("KG140", "KG150", "KG110")
PATHS = ("src/a.py", "src/b.py", "docs/a.md", "a.py", "src/x/[1].py")
GLOBS = ("src/*", "*.py", "docs/?.md", "src/x/[[]1].py", "*", "none/*", "src/[ab].py")
OPTIONAL = st.one_of(st.none(), st.sampled_from(("pypi:openai", "pypi:torch")))
ASPECTS = st.one_of(st.none(), st.sampled_from(("transparency", "values")))

WAIVERS = st.builds(
    Waiver,
    rule=st.one_of(st.none(), st.sampled_from(RULES)),
    reason=st.sampled_from((None, "", "reviewed")),
    expires=st.sampled_from((None, TODAY - dt.timedelta(days=1), TODAY, dt.date(2099, 1, 1))),
    approved_by=st.none(),
    path=st.one_of(st.none(), st.sampled_from(PATHS + GLOBS)),
    component=OPTIONAL,
    aspect=ASPECTS,
    line=st.just(1),
)
FINDINGS = st.builds(
    Finding,
    rule=st.sampled_from(RULES),
    severity=st.just(Severity.WARNING),
    message=st.just(Text.same("x")),
    path=st.one_of(st.none(), st.sampled_from(PATHS)),
    component=OPTIONAL,
    aspect=ASPECTS,
)
MANIFEST = parsed("kigate = 1\n")


def reference(finding: Finding, waivers: list[Waiver]) -> bool:
    return any(waives(w, finding, TODAY) for w in waivers)


@settings(max_examples=300, deadline=None)
@given(waivers=st.lists(WAIVERS, max_size=40), findings=st.lists(FINDINGS, max_size=20))
def test_buckets_give_the_verdicts_of_every_waiver_in_turn(
    waivers: list[Waiver], findings: list[Finding]
) -> None:
    doc: Manifest = dataclasses.replace(MANIFEST, waivers=tuple(waivers))
    expected = [reference(f, waivers) for f in findings]
    for few in (_FEW_GLOBS, 0):  # globs tried one by one, and as one regular expression
        with mock.patch.object(waivers_module, "_FEW_GLOBS", few):
            out = apply_waivers(findings, [doc], TODAY)
        assert [f.waived for f in out] == expected, few


def test_many_globs_are_matched_as_one_expression_with_the_same_verdicts() -> None:
    globs = [f"gen/*/part{n}.py" for n in range(_FEW_GLOBS * 4)] + ["src/*/keep.py"]
    waivers = [Waiver("KG140", "generated", TODAY, None, g, None, None, 1) for g in globs]
    doc = dataclasses.replace(MANIFEST, waivers=tuple(waivers))
    paths = ["src/a/keep.py", "src/keep.py", "gen/x/part7.py", "gen/part7.py", "gen/x/part70.py"]
    findings = [Finding("KG140", Severity.WARNING, Text.same("x"), p) for p in paths]
    out = apply_waivers(findings, [doc], TODAY)
    assert [f.waived for f in out] == [True, False, True, False, False]
    assert [f.waived for f in out] == [reference(f, waivers) for f in findings]
