"""``kigate-hook``, the plain git hooks in ``hooks/`` and ``kigate install-hook``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kigate import git as repo
from kigate import hook
from kigate.shipped import hook_script
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, example_files, git, write_files
from tests.gates_support import BIN, complete_files, env_with_kigate, run, snapshot

CHECKOUT = Path(__file__).resolve().parent.parent


# --- deciding "nothing relevant" ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (repo.Change("A", "docs/guide.md"), False),
        (repo.Change("M", "LICENSE"), False),
        (repo.Change("M", "img/logo.png"), False),
        (repo.Change("M", "notes.txt"), False),
        (repo.Change("M", "README.md"), True),
        (repo.Change("M", "node_modules/x/index.js"), True),
        (repo.Change("M", "Dockerfile.gpu"), True),
        (repo.Change("M", ".env.local"), True),
        (repo.Change("M", "ai-values.toml"), True),
        (repo.Change("M", "svc/requirements-dev.txt"), True),
        (repo.Change("A", "models/x.safetensors"), True),
        (repo.Change("M", "app.py"), True),
        (repo.Change("A", ".github/copilot-instructions.md"), True),
        (repo.Change("D", "docs/ai/risk-assessment.md"), True),
        (repo.Change("R", "docs/b.md", "docs/a.md"), True),
        (repo.Change("C", "notes/b.md", "notes/a.md"), False),
    ],
)
def test_relevance(change: repo.Change, expected: bool) -> None:
    assert hook.relevant(change) is expected


def test_idle_only_when_something_irrelevant_is_staged() -> None:
    assert hook.needs_check(None)
    assert hook.needs_check(())
    assert not hook.needs_check((repo.Change("M", "docs/guide.md"),))
    assert hook.needs_check((repo.Change("M", "docs/guide.md"), repo.Change("D", "x.toml")))


names = st.text(st.characters(blacklist_characters="\0", codec="utf-8"), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from("AMDTU"), names, st.none()),
            st.tuples(st.sampled_from(("R100", "C075")), names, names),
        ),
        max_size=6,
    )
)
def test_name_status_parser_round_trips(items: list[tuple[str, str, str | None]]) -> None:
    raw = b""
    for status, path, old in items:
        fields = [status, old, path] if old is not None else [status, path]
        raw += b"".join(f.encode("utf-8", "surrogateescape") + b"\0" for f in fields)
    parsed = repo.parse_name_status(raw)
    assert parsed == tuple(repo.Change(s[0], p, o) for s, p, o in items)


def test_name_status_of_a_real_index(make_repo: MakeRepo) -> None:
    root = make_repo(complete_files())
    git(root, "mv", "ai-values.toml", "old values.toml")
    write_files(root, {"ünï\ncode.md": "x\n"})
    git(root, "add", "-A")
    assert repo.staged_changes(root) == (
        repo.Change("R", "old values.toml", "ai-values.toml"),
        repo.Change("A", "ünï\ncode.md"),
    )
    assert repo.staged_changes(root.parent) is None


def hook_in_subprocess(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the hook as pre-commit would and report which heavy modules it imported."""
    code = (
        "import sys; from kigate.hook import main; code = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('git', 'click', 'kigate.cli') if m in sys.modules); "
        "print('imported:', ','.join(heavy) or '-'); sys.exit(code)"
    )
    return run([sys.executable, "-c", code, *args], root, env_with_kigate(root.parent))


def test_idle_hook_imports_neither_gitpython_nor_click(make_repo: MakeRepo) -> None:
    root = make_repo(example_files("no-ai"))
    write_files(root, {"docs/guide.md": "edited\n", "requirements.txt": "openai\n"})
    git(root, "add", "docs/guide.md")
    before = snapshot(root)
    done = hook_in_subprocess(root, "--gate")
    assert (done.returncode, done.stdout, done.stderr) == (0, "imported: -\n", "")
    assert snapshot(root) == before


def test_relevant_change_runs_the_staged_check(make_repo: MakeRepo) -> None:
    root = make_repo(example_files("no-ai"))
    write_files(root, {"requirements.txt": "openai\n"})
    git(root, "add", "requirements.txt")
    warn = hook_in_subprocess(root)
    assert warn.returncode == 0
    assert "requirements.txt:1: KG100 error AI component pypi:openai" in warn.stdout
    assert "imported: click,kigate.cli" in warn.stdout  # gitpython is no longer a dependency
    gate = hook_in_subprocess(root, "--gate")
    assert gate.returncode == 1
    assert gate.stdout.startswith(warn.stdout.split("imported:")[0])


# --- the plain git hooks ---------------------------------------------------------------------


def test_shipped_scripts_match_the_hooks_folder() -> None:
    for name in ("pre-commit", "pre-push"):
        shipped = hook_script(name)  # what install-hook writes: hooks/ is its one source
        assert shipped == (CHECKOUT / "hooks" / name).read_bytes()
        assert shipped.startswith(b"#!/bin/sh\n")
        assert b"\r" not in shipped
        done = subprocess.run(["sh", "-n", str(CHECKOUT / "hooks" / name)], check=False)
        assert done.returncode == 0


def install(root: Path, run_cli, *args: str) -> None:
    result = run_cli("install-hook", *args, str(root))
    assert result.exit_code == 0, result.output


def test_real_commit_through_installed_pre_commit_hook(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    install(root, run_cli, "pre-commit")
    env = env_with_kigate(root.parent)
    git(root, "rm", "-q", "ai-values.toml")
    warned = run(["git", "commit", "-q", "-m", "drop manifest"], root, env)
    assert warned.returncode == 0
    # git shows a commit hook's output on stderr
    assert "requirements.txt:3: KG100 error AI component pypi:openai" in warned.stderr
    git(root, "revert", "--no-edit", "HEAD")
    git(root, "rm", "-q", "ai-values.toml")
    blocked = run(["git", "commit", "-q", "-m", "drop"], root, {**env, "KIGATE_HOOK_MODE": "gate"})
    assert blocked.returncode == 1
    assert "KG100 error" in blocked.stderr
    assert git(root, "log", "-1", "--format=%s").strip() == 'Revert "drop manifest"'


def test_pre_commit_hook_without_kigate_on_path(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("no-ai"))
    install(root, run_cli, "pre-commit")
    env = {**env_with_kigate(root.parent), "PATH": "/usr/bin:/bin"}
    write_files(root, {"x.md": "x\n"})
    git(root, "add", "x.md")
    done = run(["git", "commit", "-q", "-m", "x"], root, env)
    assert done.returncode == 0
    assert "'kigate-hook' is not on PATH, so AI values were not checked" in done.stderr


def test_pre_push_hook_blocks_introduced_errors(
    make_repo: MakeRepo, run_cli, tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    root = make_repo(example_files("no-ai"))
    git(root, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    git(root, "push", "-q", "origin", "main")
    install(root, run_cli, "pre-push")
    env = env_with_kigate(root.parent)
    write_files(root, {"README.md": "docs\n"})
    git(root, "commit", "-qam", "docs")
    assert run(["git", "push", "-q", "origin", "main"], root, env).returncode == 0
    write_files(root, {"requirements.txt": "openai\n"})
    git(root, "commit", "-qam", "ai")
    pushed = run(["git", "push", "-q", "origin", "main"], root, env)
    assert pushed.returncode != 0
    assert "requirements.txt:1: KG100 error" in pushed.stdout
    assert "(introduced by this change)" in pushed.stdout


def test_install_hook_never_overwrites_silently(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo({"a.txt": "a\n"})
    target = root / ".git" / "hooks" / "pre-commit"
    target.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    refused = run_cli("install-hook", "pre-commit", str(root))
    assert refused.exit_code == 2
    assert refused.output == (
        f"kigate: {target} already exists and was left unchanged; merge the call into it by "
        "hand or use --force to replace it\n"
    )
    assert target.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    forced = run_cli("install-hook", "--force", "pre-commit", str(root))
    assert forced.exit_code == 0
    assert target.read_bytes() == (CHECKOUT / "hooks" / "pre-commit").read_bytes()
    assert target.stat().st_mode & 0o111


def test_install_hook_honours_hooks_path_and_rejects_unknown(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo({"a.txt": "a\n"})
    git(root, "config", "core.hooksPath", "githooks")
    install(root, run_cli, "pre-push")
    assert (root / "githooks" / "pre-push").is_file()
    unknown = run_cli("install-hook", "post-merge", str(root))
    assert unknown.exit_code == 2
    assert (
        unknown.output == "kigate: unknown hook 'post-merge'; choose one of: pre-commit, pre-push\n"
    )
    plain = root.parent / "plain"
    plain.mkdir()
    assert run_cli("install-hook", "pre-commit", str(plain)).exit_code == 2


def test_hook_scripts_are_in_the_venv() -> None:
    assert (BIN / "kigate-hook").is_file()


def test_commit_all_is_judged_through_git_index_file(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("no-ai"))
    install(root, run_cli, "pre-commit")
    env = {**env_with_kigate(root.parent), "KIGATE_HOOK_MODE": "gate"}
    write_files(root, {"requirements.txt": "flask==3.0.3\nopenai\n"})
    blocked = run(["git", "commit", "-q", "-a", "-m", "ai"], root, env)
    assert blocked.returncode == 1
    assert "requirements.txt:2: KG100 error AI component pypi:openai" in blocked.stderr
    assert git(root, "diff", "--cached", "--name-only") == ""


# Content that makes a detector look twice: AI imports, hosts, dependencies, model headers.
AI_TEXT = (
    "import openai\nfrom transformers import pipeline\nopenai==1.40\ntorch\n"
    "url = 'https://api.openai.com/v1'\nFROM ollama/ollama\nimage: ollama/ollama\n"
    '{"dependencies": {"openai": "1"}, "cells": []}\n'
    "[project]\ndependencies = ['openai']\n"
)
SAMPLE_NAMES = (
    "README.md", "docs/guide.md", "LICENSE", "notes.txt", "img/logo.png", "app.py", "web/x.ts",
    "requirements.txt", "requirements-dev.in", "pyproject.toml", "setup.py", "setup.cfg",
    "Pipfile", "environment.yml", "package.json", "go.mod", "pom.xml", "build.gradle",
    "Cargo.toml", "Gemfile", "app.csproj", "composer.json", "Dockerfile", "compose.yaml",
    ".env", "main.tf", "nb.ipynb", "models/m.onnx", "models/m.safetensors", "models/m.pkl",
    "Modelfile", "CLAUDE.md", "AGENTS.md", ".cursorrules", ".cursor/rules/x.mdc",
    ".github/copilot-instructions.md", ".github/workflows/ci.yml", ".mcp.json", "src/x.go",
    "src/X.java", "svc/app.rb", "config.ini", "settings.json", "sql/q.sql", "run.sh",
)  # fmt: skip


class RecordingTree(WorkTree):
    """The real working tree, noting which files detection reads."""

    read_paths: set[str]

    def read(self, path: str, limit: int) -> bytes | None:
        self.read_paths.add(path)
        return super().read(path, limit)


def test_every_file_detection_looks_at_is_relevant(tmp_path: Path) -> None:
    from kigate import engine, policy

    write_files(tmp_path, dict.fromkeys(SAMPLE_NAMES, AI_TEXT))
    tree = RecordingTree(tmp_path, use_git=False)
    tree.read_paths = set()
    components = engine.scan(tree, policy.load(None)).components
    found = {e.path for c in components for e in c.evidence}
    assert found  # the sample content is AI to at least one detector
    looked_at = tree.read_paths | found
    assert sorted(p for p in looked_at if not hook.relevant_path(p)) == []


def test_push_mode_compares_with_the_remote_commit(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(example_files("incomplete"))
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("PRE_COMMIT_FROM_REF", raising=False)
    assert hook.main(["--push"]) == 1  # a first push: the whole history is judged
    head = git(root, "rev-parse", "HEAD").strip()
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", head)
    assert hook.main(["--push"]) == 0  # nothing new since the remote's commit
    assert "(introduced by this change)" not in capsys.readouterr().out
