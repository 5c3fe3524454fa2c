"""``kigate aggregate`` end to end: the issue's acceptance scenario and every kind of source."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest

from kigate.cli.schema import schema_text
from tests.aggregate_support import organisation, write_report
from tests.conftest import TODAY, MakeRepo, example_files, git

HEADER = (
    "REPOSITORY  SYSTEM              OWNER                   RISK        AI   MANIFEST  ASPECTS  "
    "ERRORS  WARNINGS  REVIEWED    SCORE  POLICY                   COMMIT        BRANCH  LINK  "
    "SOURCE"
)
INVENTORY = [
    "AI components and the repositories that use them",
    "  pypi:langchain-openai (agent-framework): incomplete (product), service-b (product)",
    "  pypi:openai (llm-api): complete (product), service-a (product)",
    "  pypi:scikit-learn (ml-framework): incomplete (product), service-b (product)",
]
TOTALS = (
    "5 repositories: 4 use AI, 1 without AI, 4 with a manifest, 0 with AI but without a "
    "manifest, 2 with an overdue review; mean score 62 (of the repositories that use AI)"
)


def commits_hidden(output: str) -> str:
    return re.sub(r"\b[0-9a-f]{12}\b", "<commit>    ", output)


def table_rows(output: str) -> list[list[str]]:
    lines = output.splitlines()
    end = lines.index("")
    return [line.split() for line in lines[1:end]]


def test_three_repositories_and_two_reports_give_five_rows(
    make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = organisation(make_repo, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("aggregate", "--jobs", "2", *sources)
    assert result.exit_code == 0, result.stdout
    today = TODAY.isoformat()
    complete = (
        "Support assistant   ai-board@example.org    limited     yes  yes       8/8      0       "
        f"0         {today}  100"
    )
    incomplete = (
        "Invoice classifier  finance-it@example.org  not stated  yes  yes       4/8      4       "
        "7         2024-03-01  25 "
    )
    no_ai = (
        "-                   -                       not stated  no   no        0/0      0       "
        "0         -           100"
    )
    policy = "demokratische-ki 2026.1  <commit>      main    -"
    # the limited-risk systems first (the incomplete manifest names no risk class)
    assert commits_hidden(result.stdout) == "\n".join([
        HEADER,
        f"complete    {complete}    {policy}     org/complete",
        f"service-a   {complete}    {policy}     reports/service-a.json",
        f"incomplete  {incomplete}    {policy}     org/incomplete",
        f"service-b   {incomplete}    {policy}     reports/service-b.json",
        f"no-ai       {no_ai}    {policy}     org/no-ai",
        "",
        *INVENTORY,
        "",
        TOTALS,
        "",
    ])  # fmt: skip


def test_a_corrupt_sixth_report_adds_an_error_row_and_exit_1(
    make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = organisation(make_repo, tmp_path)
    (tmp_path / "reports" / "broken.json").write_text('{"format": "kigate-report", ', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("aggregate", *sources, "reports/broken.json")
    assert result.exit_code == 1
    rows = table_rows(result.stdout)
    assert len(rows) == 5
    tail = result.stdout.splitlines()[6:]
    assert tail == [
        "",
        "reports/broken.json: error: the report is not valid JSON "
        "(line 1, column 29: Expecting property name enclosed in double quotes)",
        "",
        *INVENTORY,
        "",
        TOTALS + "; 1 source could not be read",
    ]


def test_every_format_at_once_to_files_and_json_follows_its_schema(
    make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = organisation(make_repo, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli(
        "aggregate", *sources,
        "--format", "json", "--output", "agg.json",
        "--format", "csv", "--output", "agg.csv",
        "--format", "markdown", "--output", "agg.md",
        "--format", "html", "--output", "agg.html",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == TOTALS + "\n"
    document = json.loads((tmp_path / "agg.json").read_text("utf-8"))
    jsonschema.validate(document, json.loads(schema_text("aggregate")))
    assert document["totals"]["repositories"] == 5
    assert [r["source"] for r in document["repositories"]] == [
        "org/complete", "reports/service-a.json", "org/incomplete", "reports/service-b.json",
        "org/no-ai",
    ]  # fmt: skip
    values = {a["id"]: (a["covered"], a["partial"], a["repositories"]) for a in document["aspects"]}
    assert values["values"] == (2, 0, 4)  # issue 11: a TODO statement is missing, not partial
    assert values["transparency"] == (2, 2, 4)  # issue 11: implemented without proof (KG115)
    rows = list(csv.reader(io.StringIO((tmp_path / "agg.csv").read_text("utf-8"), newline="")))
    assert len(rows) == 6
    assert rows[3][rows[0].index("aspect:participation")] == "missing"
    assert (tmp_path / "agg.md").read_text("utf-8").startswith("# AI governance overview\n")
    assert '<table class="heatmap" id="heatmap">' in (tmp_path / "agg.html").read_text("utf-8")


def test_recursive_finds_repositories_below_a_directory(
    make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(example_files("complete"), name="org/team-a/one")
    make_repo(example_files("no-ai"), name="org/team-b/two")
    make_repo({"x.txt": "not a repo"}, use_git=False, name="org/plain")
    monkeypatch.chdir(tmp_path)
    result = run_cli("aggregate", "--recursive", "org", "--format", "csv")
    assert result.exit_code == 0, result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert sorted(r[0] for r in rows[1:]) == ["org/team-a/one", "org/team-b/two"]


def test_list_file_names_sources_relative_to_itself(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    make_repo(example_files("no-ai"), name="org/no-ai")
    listing = tmp_path / "org" / "sources.txt"
    listing.write_text("# our repositories\nno-ai\n\nmissing-dir\n", "utf-8")
    result = run_cli("aggregate", f"@{listing}", "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("no-ai", "ok", ""),
        ("missing-dir", "error", "no such file or directory"),
    ]


CMD = "'kigate check --format json'"
HINT = f"write reports with {CMD}"
NOT_REPORT = f"not a kigate report; {HINT}"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe not utf-8", "the report is not UTF-8 text; write it with " + CMD),
        (b"[1, 2]", f"not a kigate report (no 'format' field); {HINT}"),
        (b'{"format": "kigate-inventory"}', f"a 'kigate-inventory' document, {NOT_REPORT}"),
        (
            b'{"format": "kigate-report", "format_version": 2}',
            "report format version 2 is newer than this kigate reads (version 1); "
            "upgrade kigate to aggregate it",
        ),
        (
            b'{"format": "kigate-report", "format_version": 1}',
            "the report does not follow report format version 1 at /: 'tool_version' is missing",
        ),
        (b'{"a": NaN}', "the report is not valid JSON (NaN is not JSON)"),
        (b"[" * 100_000, "the report is nested too deeply to read"),
    ],
)  # fmt: skip
def test_bad_reports_become_error_rows(
    tmp_path: Path, run_cli, content: bytes, reason: str
) -> None:
    report = tmp_path / "r.json"
    report.write_bytes(content)
    result = run_cli("aggregate", str(report), "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[1][:4] == [str(report), "report", "error", reason]


def test_report_that_breaks_the_schema_deep_inside(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    document = write_report(make_repo(example_files("incomplete")), tmp_path / "r.json")
    document["findings"][2]["severity"] = "fatal"
    (tmp_path / "r.json").write_text(json.dumps(document), "utf-8")
    result = run_cli("aggregate", str(tmp_path / "r.json"), "--format", "json")
    assert result.exit_code == 1
    (error,) = json.loads(result.stdout.split("\n}\n")[0] + "\n}")["errors"]
    assert error["reason"] == (
        "the report does not follow report format version 1 at /findings/2/severity: "
        "expected one of ['error', 'warning', 'info']"
    )


def test_directory_that_is_no_repository_and_missing_path(tmp_path: Path, run_cli) -> None:
    (tmp_path / "plain").mkdir()
    result = run_cli("aggregate", str(tmp_path / "plain"), str(tmp_path / "gone"), "--lang", "de")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2:4] == [
        f"{tmp_path / 'gone'}: Fehler: Datei oder Verzeichnis existiert nicht",
        f"{tmp_path / 'plain'}: Fehler: kein Git-Repository; um die Repositories darunter zu "
        "finden, ergänzen Sie --recursive",
    ]


def test_two_reports_of_one_repository_and_commit_count_once(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    repo = make_repo(example_files("complete"))
    first = write_report(repo, tmp_path / "first.json")
    first["generated_at"] = "2026-01-01T00:00:00Z"
    (tmp_path / "first.json").write_text(json.dumps(first), "utf-8")
    write_report(repo, tmp_path / "second.json")
    result = run_cli("aggregate", str(tmp_path / "first.json"), str(tmp_path / "second.json"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(table_rows(result.stdout)) == 2
    assert lines[4] == (
        f"{tmp_path / 'first.json'}: same repository and commit as {tmp_path / 'second.json'}; "
        "the newer report counts"
    )
    assert lines[-1].startswith("1 repository: 1 use AI,")
    assert lines[-1].endswith("; 1 duplicate report not counted")


def test_fail_on_and_usage_errors(make_repo: MakeRepo, run_cli, tmp_path: Path) -> None:
    repo = str(make_repo(example_files("incomplete")))
    assert run_cli("aggregate", repo).exit_code == 0
    assert run_cli("aggregate", repo, "--fail-on", "error").exit_code == 1
    assert run_cli("aggregate").exit_code == 2
    assert run_cli("aggregate", repo, "--jobs", "0").exit_code == 2
    bad_policy = run_cli("aggregate", repo, "--policy", "no-such-policy")
    assert bad_policy.exit_code == 2
    assert bad_policy.output.startswith("kigate: policy 'no-such-policy' is neither")
    two = run_cli("aggregate", repo, "--format", "csv", "--format", "json")
    assert two.exit_code == 2
    unwritable = run_cli("aggregate", repo, "--format", "csv", "--output", str(tmp_path))
    assert unwritable.exit_code == 2


def test_jobs_do_not_change_the_result(make_repo: MakeRepo, tmp_path: Path) -> None:
    from kigate.aggregate.collect import collect

    for index, name in enumerate(("complete", "incomplete", "no-ai") * 2):
        make_repo(example_files(name), name=f"org/r{index}")
    one = collect([str(tmp_path / "org")], recursive=True, jobs=1, generated_at="x")
    four = collect([str(tmp_path / "org")], recursive=True, jobs=4, generated_at="x")
    strip = [(r.source, r.score, r.aspects, r.findings) for r in one.rows]
    assert strip == [(r.source, r.score, r.aspects, r.findings) for r in four.rows]
    assert len(one.rows) == 6


def test_names_with_markup_quotes_commas_and_newlines_stay_inert_in_csv_and_table(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    name = "x\"><img src=x onerror=alert(1)>, =cmd|'/c calc'!A1\nnext"
    repo = make_repo(example_files("complete"), name="weird")
    document = write_report(repo, tmp_path / "r.json")
    document["repository"]["root_name"] = name
    document["repository"]["branch"] = '=HYPERLINK("http://evil")'
    (tmp_path / "r.json").write_text(json.dumps(document), "utf-8")
    result = run_cli("aggregate", str(tmp_path / "r.json"), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 2
    header = rows[0]
    assert rows[1][header.index("name")] == name
    assert rows[1][header.index("branch")] == '\'=HYPERLINK("http://evil")'
    table = run_cli("aggregate", str(tmp_path / "r.json"))
    assert table.stdout.splitlines()[1].startswith(
        "x\"><img src=x onerror=alert(1)>, =cmd|'/c calc'!A1\\nnext  Support assistant"
    )


def test_branch_with_html_from_a_real_repository(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(example_files("no-ai"))
    git(repo, "checkout", "-q", "-b", 'feat/<b>,"x"')
    result = run_cli("aggregate", str(repo), "--format", "json")
    assert json.loads(result.stdout)["repositories"][0]["branch"] == 'feat/<b>,"x"'


def test_a_report_above_the_size_limit_is_an_error_row_without_reading_it(
    tmp_path: Path, run_cli
) -> None:
    from kigate.aggregate.reader import MAX_REPORT_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_REPORT_BYTES + 1)  # sparse: costs no disk and no time
    result = run_cli("aggregate", str(huge), "--format", "csv")
    assert result.exit_code == 1
    assert list(csv.reader(io.StringIO(result.stdout, newline="")))[1][3] == (
        "the report is larger than 64 MiB and is not read; check that it is a kigate report"
    )


def test_a_large_report_is_read_and_the_dashboard_lists_a_bounded_number_of_findings(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    document = write_report(make_repo(example_files("incomplete")), tmp_path / "r.json")
    document["findings"] = document["findings"] * 2000  # 22,000 findings, about 10 MB
    document["summary"]["warnings"] = 8000
    (tmp_path / "r.json").write_text(json.dumps(document), "utf-8")
    result = run_cli("aggregate", str(tmp_path / "r.json"), "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.count("<li><code>") == 1000
    assert "… and 21000 more findings (see the repository&#39;s own report)" in result.stdout


def test_aspects_of_another_policy_get_their_titles_in_both_languages(
    make_repo: MakeRepo, run_cli
) -> None:
    files = {**example_files("incomplete"), ".kigate.toml": 'policy = "d64"\n'}
    repo = make_repo(files)
    result = run_cli("aggregate", str(repo), "--format", "json", "--lang", "de")
    aspects = {a["id"]: a["title"] for a in json.loads(result.stdout)["aspects"]}
    assert list(aspects)[-1] == "human_centredness"
    assert aspects["human_centredness"] == "Menschenzentrierung"
    assert aspects["risks"] == "Chancen und Risiken abwägen"  # the --policy (default) names it


def test_without_jinja2_the_dashboard_is_one_sentence(
    make_repo: MakeRepo, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(example_files("no-ai"))
    monkeypatch.setitem(sys.modules, "jinja2", None)  # what an install without the extra sees
    result = run_cli("aggregate", str(repo), "--format", "html")
    assert result.exit_code == 2
    assert result.stderr == (
        "kigate: the HTML dashboard needs jinja2; install it with: "
        "pip install 'kigate[dashboard]'\n"
    )


def test_projects_inside_one_repository_are_rows_of_their_own(make_repo: MakeRepo, run_cli) -> None:
    files = {f"apps/a/{k}": v for k, v in example_files("complete").items()}
    files.update({f"apps/b/{k}": v for k, v in example_files("incomplete").items()})
    repo = make_repo(files, name="mono")
    result = run_cli(
        "aggregate", str(repo / "apps" / "a"), str(repo / "apps" / "b"), "--format", "json"
    )
    document = json.loads(result.stdout)
    assert [(r["name"], r["repository"]) for r in document["repositories"]] == [
        ("mono/apps/a", "mono//apps/a"),  # limited risk first
        ("mono/apps/b", "mono//apps/b"),
    ]
    assert document["duplicates"] == []


def test_a_ci_report_of_a_project_inside_a_repository_meets_its_directory(
    make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"apps/a/{k}": v for k, v in example_files("complete").items()}
    repo = make_repo(files, name="mono")
    monkeypatch.chdir(repo)  # CI runs at the top of the checkout
    assert run_cli("check", "apps/a", "--format", "json", "--output", "../a.json").exit_code == 0
    result = run_cli("aggregate", "apps/a", "../a.json", "--format", "json")
    document = json.loads(result.stdout)
    assert {r["repository"] for r in document["repositories"]} == {"mono//apps/a"}
    assert document["duplicates"] == [{"source": "../a.json", "kept": "apps/a"}]


def test_a_report_checked_by_absolute_path_names_its_directory_by_subdir(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    files = {f"apps/a/{k}": v for k, v in example_files("complete").items()}
    repo = make_repo(files, name="mono")
    target = tmp_path / "a.json"
    checked = run_cli(
        "check", str(repo / "apps" / "a"), "--format", "json", "--output", str(target)
    )
    assert checked.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["repository"]["subdir"] == "apps/a"
    document = json.loads(run_cli("aggregate", str(target), "--format", "json").stdout)
    assert [r["repository"] for r in document["repositories"]] == ["mono//apps/a"]


@pytest.mark.parametrize(
    ("shown", "inner"),
    [(".", None), ("./", None), ("/abs/x", None), ("../x", None), ("C:\\\\x", None),
     ("apps/a", "apps/a"), ("./apps/a/", "apps/a")],
)  # fmt: skip
def test_project_path_of_a_report(shown: str, inner: str | None) -> None:
    from kigate.aggregate.reader import project_path

    assert project_path(shown) == inner


def test_progress_bar_on_a_terminal_and_silence_otherwise(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    import os
    import pty
    import subprocess

    repos = [str(make_repo(example_files("no-ai"))) for _ in range(3)]
    command = [sys.executable, "-m", "kigate", "aggregate", *repos, "--format", "csv"]
    env = {**os.environ, "LANG": "C", "LC_ALL": ""}
    piped = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert piped.returncode == 0
    assert piped.stderr.startswith("3 repositories:")  # the totals only, no bar
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=terminal, env=env, check=False
        )
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0
    assert b"100%" in seen


def test_the_inventory_file_and_both_aggregate_schemas(
    make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = organisation(make_repo, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("aggregate", *sources, "--inventory", "inventory.csv", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(Path("inventory.csv").read_text("utf-8"), newline="")))
    assert rows == [
        ["component", "category", "scope", "repository", "link"],
        ["pypi:langchain-openai", "agent-framework", "product", "incomplete", ""],
        ["pypi:langchain-openai", "agent-framework", "product", "service-b", ""],
        ["pypi:openai", "llm-api", "product", "complete", ""],
        ["pypi:openai", "llm-api", "product", "service-a", ""],
        ["pypi:scikit-learn", "ml-framework", "product", "incomplete", ""],
        ["pypi:scikit-learn", "ml-framework", "product", "service-b", ""],
    ]
    document = json.loads(result.stdout)
    assert document["format_version"] == 2
    jsonschema.validate(document, json.loads(schema_text("aggregate")))
    old = json.loads(run_cli("schema", "aggregate-v1").stdout)
    assert old["properties"]["format_version"] == {"const": 1}
    unwritable = run_cli("aggregate", *sources, "--inventory", str(tmp_path / "no" / "x.csv"))
    assert unwritable.exit_code == 2
