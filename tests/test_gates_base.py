"""``--base`` / ``--new-only`` for pull requests, and the history rule KG131."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import MakeRepo, complete_manifest, example_files, git
from tests.gates_support import commit, complete_files, env_with_kigate, run

SHALLOW_FIX = (
    "fetch the full history (actions/checkout with 'fetch-depth: 0', "
    "GitLab 'GIT_DEPTH: 0', or 'git fetch --unshallow')"
)


def branch(root: Path, name: str = "feature") -> None:
    git(root, "checkout", "-q", "-b", name)


def introduced_lines(output: str) -> list[str]:
    return [" ".join(line.split(" ")[:3]) for line in output.splitlines() if "(introduced" in line]


def test_new_ai_dependency_without_manifest_change_is_introduced(
    make_repo: MakeRepo, run_cli
) -> None:
    root = make_repo(complete_files())
    branch(root)
    commit(root, {"requirements.txt": "flask==3.0.3\nopenai>=1.40\ntorch\n"})
    result = run_cli("check", "--base", "main", str(root))
    assert result.exit_code == 0
    assert introduced_lines(result.output) == [
        "ai-values.toml:7: KG131 warning",
        "requirements.txt:3: KG140 warning",
    ]
    assert run_cli("check", "--base", "main", "--new-only", str(root)).exit_code == 1
    lenient = run_cli("check", "--base", "main", "--new-only", "--fail-on", "error", str(root))
    assert lenient.exit_code == 0


def test_first_ai_in_a_repository_is_an_introduced_error(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("no-ai"))
    branch(root)
    commit(root, {"requirements.txt": "flask==3.0.3\nopenai\n"})
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 1
    assert introduced_lines(result.output) == ["requirements.txt:2: KG100 error"]


def test_readme_only_branch_passes_with_old_gaps_reported(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("incomplete"))
    branch(root)
    commit(root, {"README.md": "docs only\n"})
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 0
    assert introduced_lines(result.output) == []
    assert "ai-values.toml:12: KG110 error" in result.output
    assert run_cli("check", "--base", "main", str(root)).exit_code == 1


def test_aspect_removed_and_manifest_deleted_are_introduced(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    branch(root)
    text = complete_manifest()
    start = text.index("[aspects.values]")
    end = text.index("[aspects.risks]")
    commit(root, {"ai-values.toml": text[:start] + text[end:]})
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 1
    assert introduced_lines(result.output) == ["ai-values.toml:14: KG110 error"]
    git(root, "rm", "-q", "ai-values.toml")
    git(root, "commit", "-q", "-m", "drop manifest")
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 1
    assert introduced_lines(result.output) == ["requirements.txt:3: KG100 error"]


def test_base_compares_from_the_merge_base(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("no-ai"))
    branch(root)
    commit(root, {"README.md": "feature work\n"})
    git(root, "checkout", "-q", "main")
    commit(root, {"requirements.txt": "torch\n"}, "AI on main after the branch point")
    git(root, "checkout", "-q", "feature")
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("ref", "sentence"),
    [
        (
            "no-such-branch",
            "kigate: --base no-such-branch does not name a commit in this repository; check "
            "the spelling or fetch it first (git fetch origin no-such-branch)\n",
        ),
        (
            "--all",
            "kigate: --base --all does not name a commit in this repository; check the "
            "spelling or fetch it first (git fetch origin --all)\n",
        ),
    ],
)
def test_unresolvable_base_is_exit_2(make_repo: MakeRepo, run_cli, ref: str, sentence: str) -> None:
    root = make_repo(complete_files())
    result = run_cli("check", f"--base={ref}", str(root))
    assert result.exit_code == 2
    assert result.output == sentence


def test_base_outside_git_and_unrelated_history(make_repo: MakeRepo, run_cli) -> None:
    plain = make_repo({"a.txt": "x\n"}, use_git=False)
    result = run_cli("check", "--base", "main", str(plain))
    assert result.exit_code == 2
    assert "needs a git repository" in result.output
    root = make_repo(complete_files())
    git(root, "checkout", "-q", "--orphan", "lonely")
    commit(root, {"x.txt": "x\n"})
    result = run_cli("check", "--base", "main", str(root))
    assert result.exit_code == 2
    assert "shares no history with HEAD" in result.output


def test_new_only_needs_base(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    result = run_cli("check", "--new-only", str(root))
    assert result.exit_code == 2
    assert "--new-only needs --base REF" in result.output


def shallow_clone(source: Path, target: Path, *extra: str) -> Path:
    git(source.parent, "clone", "-q", "--depth", "1", *extra, f"file://{source}", str(target))
    return target


def test_shallow_clone_never_passes_silently(make_repo: MakeRepo, run_cli, tmp_path: Path) -> None:
    root = make_repo(complete_files())
    commit(root, {"requirements.txt": "flask\nopenai\ntorch\n"})
    branch(root)
    commit(root, {"README.md": "x\n"})
    clone = shallow_clone(root, tmp_path / "shallow", "--branch", "feature")
    result = run_cli("check", str(clone))
    assert result.output.endswith(
        "\nKG131 could not be checked: the clone is shallow, so the history since the manifest "
        f"last changed is missing; {SHALLOW_FIX}\n\n"
        "0 errors, 1 warning, 0 info; 8/8 aspects covered\n"
    )
    for ref in ("main", "origin/main"):
        result = run_cli("check", "--base", ref, str(clone))
        assert result.exit_code == 2
        assert (
            result.output == f"kigate: --base {ref} is not in this shallow clone; {SHALLOW_FIX}\n"
        )
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:main")
    result = run_cli("check", "--base", "main", str(clone))
    assert result.exit_code == 2
    assert result.output == (
        f"kigate: --base main and HEAD are not connected in this shallow clone; {SHALLOW_FIX}\n"
    )


def test_stale_manifest_names_files_and_dates(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    manifest_commit = git(root, "rev-parse", "--short=8", "HEAD").strip()
    commit(root, {"README.md": "unrelated\n", "requirements.txt": "flask==3.1\nopenai>=1.40\n"})
    assert " KG131 " not in run_cli("check", str(root)).output
    commit(root, {"requirements.txt": "flask==3.1\nopenai>=1.40\ntorch\n"})
    result = run_cli("check", str(root))
    day = git(root, "log", "-1", "--format=%cs").strip()
    line = next(x for x in result.output.splitlines() if " KG131 " in x)
    assert line == (
        f"ai-values.toml:7: KG131 warning AI-relevant files changed after ai-values.toml was "
        f"last changed on {day} (commit {manifest_commit}), first on {day}: requirements.txt; "
        "review the manifest for these changes and commit it"
    )
    commit(root, {"ai-values.toml": complete_manifest() + "\n"})
    assert " KG131 " not in run_cli("check", str(root)).output


def test_stale_manifest_survives_detached_head(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    commit(root, {"requirements.txt": "openai\ntorch\n"})
    git(root, "checkout", "-q", "--detach", "HEAD")
    assert "KG131 warning" in run_cli("check", str(root)).output
    commit(root, {"requirements.txt": "openai\ntorch\nkeras\n"}, "on a detached HEAD, as in CI")
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 1
    assert introduced_lines(result.output) == [
        "ai-values.toml:7: KG131 warning",
        "requirements.txt:3: KG140 warning",
    ]


def test_history_rule_outside_git_is_reported_unchecked(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files(), use_git=False)
    result = run_cli("check", str(root))
    assert result.exit_code == 0
    assert (
        "KG131 could not be checked: this is not a git repository, so there is no history to "
        "compare; run kigate inside a git clone\n" in result.output
    )


def test_policy_that_turns_kg131_off_reports_nothing(
    make_repo: MakeRepo, run_cli, tmp_path: Path
) -> None:
    policy = tmp_path / "quiet.toml"
    policy.write_text(
        'kigate-policy = 1\nid = "quiet"\nextends = "demokratische-ki"\n'
        '[severity]\nKG131 = "off"\n',
        encoding="utf-8",
    )
    root = make_repo(complete_files(), use_git=False)
    result = run_cli("check", "--policy", str(policy), str(root))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("\n\n0 errors, 0 warnings, 0 info; 8/8 aspects covered\n")
    assert "KG131" not in result.output


def test_ai_trailers_count_as_development_ai(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("no-ai"))
    (root / "x.txt").write_text("x\n", encoding="utf-8")
    git(root, "add", "x.txt")
    git(
        root,
        "commit",
        "-q",
        "-m",
        "Add x\n\nCo-authored-by: GitHub Copilot <copilot@github.com>\n"
        "Co-authored-by: Jane Doe <jane@example.org>\nAssisted-by: Claude Code",
    )
    plain = run_cli("check", str(root))
    assert plain.exit_code == 0
    result = run_cli("check", "--trailers", str(root))
    assert result.exit_code == 1
    found = [line.split(" (")[0] for line in result.output.splitlines() if " KG100 " in line]
    assert found == [
        ".: KG100 error AI component assistant:claude",
        ".: KG100 error AI component assistant:github-copilot",
    ]
    assert "jane" not in result.output.lower()


def test_manifest_being_updated_is_not_stale(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    commit(root, {"requirements.txt": "openai\ntorch\n"})
    assert "KG131 warning" in run_cli("check", "--staged", str(root)).output
    # a checkout with Windows line endings is the same text, not a review
    (root / "ai-values.toml").write_bytes(complete_manifest().replace("\n", "\r\n").encode())
    assert "KG131 warning" in run_cli("check", str(root)).output
    (root / "ai-values.toml").write_text(complete_manifest() + "# reviewed\n", encoding="utf-8")
    assert "KG131" not in run_cli("check", str(root)).output
    assert "KG131 warning" in run_cli("check", "--staged", str(root)).output
    git(root, "add", "ai-values.toml")
    assert "KG131" not in run_cli("check", "--staged", str(root)).output


def test_without_git_on_path(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(complete_files())
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    env = {**env_with_kigate(tmp_path), "PATH": str(empty)}
    command = [sys.executable, "-m", "kigate", "check", str(root)]
    plain = run(command, root, env)
    assert plain.returncode == 0
    assert (
        "KG131 could not be checked: git is not installed, so the history cannot be read; "
        "install git or run kigate where git is available\n" in plain.stdout
    )
    based = run([*command, "--base", "main"], root, env)
    assert (based.returncode, based.stderr) == (
        2,
        "kigate: --base main needs git, which is not installed; install git or drop --base\n",
    )
    staged = run([*command, "--staged"], root, env)
    assert staged.returncode == 2
    assert "--staged reads the git index, but git is not installed" in staged.stderr


def test_sentences_in_german(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    result = run_cli("check", "--lang", "de", "--base", "gibtsnicht", str(root))
    assert result.exit_code == 2
    assert result.output == (
        "kigate: --base gibtsnicht benennt keinen Commit in diesem Repository; prüfe die "
        "Schreibweise oder hole ihn zuerst (git fetch origin gibtsnicht)\n"
    )


def test_new_only_respects_a_project_that_never_fails(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo({**complete_files(), ".kigate.toml": 'fail_on = "never"\n'})
    branch(root)
    commit(root, {"requirements.txt": "flask==3.0.3\nopenai>=1.40\ntorch\n"})
    result = run_cli("check", "--base", "main", "--new-only", str(root))
    assert result.exit_code == 0
    assert "requirements.txt:3: KG140 warning" in result.output


def test_damaged_history_is_reported_not_passed(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    first_tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    commit(root, {"requirements.txt": "openai\ntorch\n"})
    (root / ".git" / "objects" / first_tree[:2] / first_tree[2:]).unlink()
    result = run_cli("check", str(root))
    assert (
        "KG131 could not be checked: git cannot read the history (objects are missing or "
        "damaged); run 'git fsck' and fetch or clone the repository again\n" in result.output
    )
    based = run_cli("check", "--base", "HEAD~1", str(root))
    assert based.exit_code == 2
    assert based.output == (
        "kigate: --base HEAD~1 cannot be compared: git cannot read its objects (missing or "
        "damaged); run 'git fsck' and fetch again\n"
    )


def test_history_queries_run_no_configured_program(
    make_repo: MakeRepo, run_cli, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    commit(root, {"requirements.txt": "openai\ntorch\n"})
    marker = tmp_path / "ran"
    program = tmp_path / "fake-gpg"
    program.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n", encoding="utf-8")
    program.chmod(0o755)
    # a signed-looking HEAD: verifying it would run gpg.program
    body = git(root, "cat-file", "commit", "HEAD")
    head, _, message = body.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----"
    signed = f"{head}\n{signature}\n\n{message}"
    (tmp_path / "signed").write_text(signed, encoding="utf-8")
    sha = git(root, "hash-object", "-t", "commit", "-w", str(tmp_path / "signed")).strip()
    git(root, "update-ref", "HEAD", sha)
    git(root, "config", "log.showSignature", "true")
    git(root, "config", "gpg.program", str(program))
    git(root, "log", "-1", "--format=%H", "--show-signature")
    assert marker.exists()  # git would run it
    marker.unlink()
    result = run_cli("check", "--base", "HEAD~1", "--trailers", str(root))
    assert "KG131 warning" in result.output
    assert not marker.exists()
