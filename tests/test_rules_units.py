"""Rule functions on parsed manifests and an in-memory tree: no repository is built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kigate import manifest, policy
from kigate.model import Component, Evidence, Finding, Scope, Severity, Text
from kigate.rules.base import Context, covering, is_placeholder
from kigate.rules.evidence import evidence_problem
from kigate.rules.run import apply
from kigate.rules.waivers import apply_waivers, waiver_problems

TODAY = dt.date(2026, 11, 30)
POLICY = policy.load()


class MemoryTree:
    """The Tree protocol over a dict of paths to bytes."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self._files = files

    @property
    def root(self) -> Path:
        return Path("/nonexistent")

    def files(self) -> tuple[str, ...]:
        return tuple(sorted(self._files))

    def read(self, path: str, limit: int) -> bytes | None:
        data = self._files.get(path)
        return None if data is None else data[:limit]

    def size(self, path: str) -> int | None:
        data = self._files.get(path)
        return None if data is None else len(data)

    def exists(self, path: str) -> bool:
        return path in self._files or any(p.startswith(path + "/") for p in self._files)


def parsed(text: str, path: str = "ai-values.toml") -> manifest.Manifest:
    return manifest.parse(path, text.encode("utf-8"), POLICY)


def comp(cid: str, *paths: str) -> Component:
    evidence = tuple(Evidence(p, 1, cid, "dependency") for p in paths)
    return Component(cid, cid, "pypi", "llm-api", Scope.PRODUCT, evidence)


def found(ctx: Context, *rules: str) -> list[tuple[str, str | None, str | None]]:
    return [(f.rule, f.path, f.component or f.aspect) for f in apply(ctx, rules)]


DECLARES_OPENAI = 'kigate = 1\n[[components]]\nid = "pypi:openai"\n'


def test_nearest_manifest_covers_and_ai_outside_every_manifest_is_kg100() -> None:
    root, sub = parsed(DECLARES_OPENAI), parsed(DECLARES_OPENAI, "svc/ai-values.toml")
    assert covering([root, sub], "svc/app.py") is sub
    assert covering([root, sub], "svcx/app.py") is root
    assert covering([sub], "app.py") is None
    ctx = Context(POLICY, TODAY, components=[comp("pypi:openai", "app.py", "svc/a.py")])
    ctx.manifests = [sub]
    assert found(ctx, "KG100") == [("KG100", "app.py", "pypi:openai")]


def test_undeclared_and_gone_components() -> None:
    ctx = Context(POLICY, TODAY, components=[comp("pypi:anthropic", "app.py")])
    ctx.manifests = [parsed(DECLARES_OPENAI)]
    assert found(ctx, "KG140", "KG141") == [
        ("KG140", "app.py", "pypi:anthropic"),
        ("KG141", "ai-values.toml", "pypi:openai"),
    ]


def test_an_invalid_manifest_declares_nothing_and_is_not_asked_to() -> None:
    ctx = Context(POLICY, TODAY, components=[comp("pypi:anthropic", "app.py")])
    ctx.manifests = [parsed("kigate = [")]
    assert found(ctx, "KG100", "KG140", "KG101") == [("KG101", "ai-values.toml", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TODO", True),
        ("  tbd. ", True),
        ("n/a", True),
        ("", True),
        ("TODO: write it", True),
        ("lorem ipsum dolor sit amet", True),
        ("Folgt.", True),
        ("A named person reviews every reply before it is sent.", False),
        ("Todos los datos se quedan en la UE.", False),  # 'todos' is a word, not the marker
    ],
)
def test_placeholder_words_and_markers(text: str, expected: bool) -> None:
    assert is_placeholder(text, POLICY) is expected


def test_placeholder_statement_measure_and_owner_each_found_once() -> None:
    text = (
        'kigate = 1\n[aspects.values]\nstatus = "implemented"\nstatement = "TODO"\n'
        'measures = ["tbd", "also tbd"]\nowner = "?"\n'
    )
    ctx = Context(POLICY, TODAY, manifests=[parsed(text)])
    assert [(f.rule, f.line) for f in apply(ctx, ("KG112",))] == [
        ("KG112", 4),
        ("KG112", 5),
        ("KG112", 6),
    ]


def test_not_applicable_is_judged_by_its_justification_only() -> None:
    text = 'kigate = 1\n[aspects.values]\nstatus = "not_applicable"\njustification = "TBD"\n'
    ctx = Context(POLICY, TODAY, manifests=[parsed(text)])
    assert found(ctx, "KG111", "KG112", "KG113") == [
        ("KG111", "ai-values.toml", None),  # [system] name, owner, last_reviewed
        ("KG111", "ai-values.toml", None),
        ("KG111", "ai-values.toml", None),
        ("KG113", "ai-values.toml", "values"),
    ]


def test_evidence_paths_in_memory() -> None:
    tree = MemoryTree({"svc/docs/risk.md": b"# Risks\n"})
    assert evidence_problem("docs/risk.md", "svc", tree) is None
    assert evidence_problem("docs/gone.md", "svc", tree) == "check.KG120_missing"
    assert evidence_problem("../../etc/passwd", "svc", tree) == "check.KG120_outside"
    assert evidence_problem("/etc/passwd", "", tree) == "check.KG120_outside"
    assert evidence_problem("C:\\docs\\risk.md", "", tree) == "check.KG120_outside"
    assert evidence_problem("https://example.org/risk", "", tree) is None


WAIVERS = """kigate = 1
[[waivers]]
rule = "KG140"
reason = "Spike, removed next sprint"
expires = 2026-12-31
path = "spike/*"
[[waivers]]
rule = "KG140"
reason = "Old"
expires = 2026-01-01
[[waivers]]
rule = "KG999"
[[waivers]]
rule = "KG150"
reason = "Waivers cannot waive waivers"
expires = 2027-01-01
"""


def finding(rule: str, path: str) -> Finding:
    return Finding(rule, Severity.WARNING, Text.same("x"), path)


def test_waivers_match_by_rule_path_and_expiry() -> None:
    doc = parsed(WAIVERS)
    out = apply_waivers(
        [finding("KG140", "spike/a.py"), finding("KG140", "app.py"), finding("KG150", "spike/b")],
        [doc],
        TODAY,
    )
    assert [f.waived for f in out] == [True, False, False]
    assert (
        apply_waivers([finding("KG140", "spike/a.py")], [doc], dt.date(2027, 1, 1))[0].waived
        is False
    )


def test_what_makes_a_waiver_invalid() -> None:
    doc = parsed(WAIVERS)
    problems = [[t.en for t in waiver_problems(w, POLICY, TODAY)] for w in doc.waivers]
    assert problems == [
        [],
        ["it expired on 2026-01-01"],
        [
            "'KG999' is not a kigate rule",
            "it gives no reason",
            "it has no 'expires' date; waivers are time-boxed",
        ],
        [],
    ]
    ctx = Context(POLICY, TODAY, manifests=[doc])
    assert [f.line for f in apply(ctx, ("KG150",))] == [7, 11, 11, 11]
