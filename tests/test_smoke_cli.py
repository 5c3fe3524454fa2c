"""End-to-end behaviour of ``kigate check`` on the bundled examples in real git repositories."""

from __future__ import annotations

from tests.conftest import MakeRepo, example_files


def test_complete_example_passes(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(example_files("complete"))
    result = run_cli("check", str(repo))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("0 errors, 0 warnings, 0 info; 8/8 aspects covered\n")


def test_incomplete_example_lists_every_gap(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(example_files("incomplete"))
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if " KG" in line]
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in lines] == [
        "ai-values.toml:6: KG130",
        "ai-values.toml:12: KG110",
        "ai-values.toml:14: KG112",
        "ai-values.toml:17: KG116",
        "ai-values.toml:19: KG120",
        "ai-values.toml:22: KG113",
        "ai-values.toml:27: KG116",
        "ai-values.toml:29: KG115",
        "ai-values.toml:33: KG115",
        "ai-values.toml:36: KG111",
        "pyproject.toml:7: KG140",
    ]
