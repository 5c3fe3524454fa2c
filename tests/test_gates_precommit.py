"""The real pre-commit framework runs this checkout's hooks (it pip-installs kigate from the
package registry into its own environment, once per test session)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeRepo, example_files, git, write_files
from tests.gates_support import complete_files, env_with_kigate, run

CHECKOUT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.network_registry]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """A committed copy of this checkout's working tree (pre-commit installs a commit),
    its commit and a pre-commit cache shared by the session."""
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "kigate"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(CHECKOUT / name, repo / name)
    # src/ and the top-level folders the wheel packs into it (policies, git hooks)
    for folder in ("src", "policies", "hooks"):
        shutil.copytree(
            CHECKOUT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hooks")
    return repo, git(repo, "rev-parse", "HEAD").strip(), base / "cache"


def configure(root: Path, hook_repo: tuple[Path, str, Path], *hook_ids: str) -> dict[str, str]:
    repo, rev, cache = hook_repo
    hooks = "".join(f"      - id: {h}\n" for h in hook_ids)
    config = f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n{hooks}"
    write_files(root, {".pre-commit-config.yaml": config})
    git(root, "add", ".pre-commit-config.yaml")
    git(root, "commit", "-q", "-m", "pre-commit config")
    return {**env_with_kigate(root.parent), "PRE_COMMIT_HOME": str(cache)}


def pre_commit(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "pre_commit", *args, "--color", "never"], root, env)


def test_run_all_files_warns_and_gates(make_repo: MakeRepo, hook_repo) -> None:
    root = make_repo(example_files("incomplete"))
    env = configure(root, hook_repo, "kigate", "kigate-gate")
    done = pre_commit(root, env, "run", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    warn_at = next(i for i, x in enumerate(lines) if x.startswith("kigate (AI values"))
    gate_at = next(i for i, x in enumerate(lines) if x.startswith("kigate gate"))
    assert lines[warn_at].endswith("Passed")
    assert lines[gate_at].endswith("Failed")
    # The passing warning hook still shows what it found (verbose: true).
    warned = "\n".join(lines[warn_at:gate_at])
    assert "ai-values.toml:12: KG110 error aspect 'participation'" in warned
    assert "pyproject.toml:7: KG140 warning" in warned


def test_real_commits_through_the_installed_hooks(make_repo: MakeRepo, hook_repo) -> None:
    root = make_repo(complete_files())
    env = configure(root, hook_repo, "kigate", "kigate-gate")
    assert pre_commit(root, env, "install").returncode == 0

    write_files(root, {"docs/guide.md": "docs only\n"})
    git(root, "add", "docs/guide.md")
    idle = run(["git", "commit", "-q", "-m", "docs"], root, env)
    assert idle.returncode == 0, idle.stdout + idle.stderr
    assert "KG1" not in idle.stdout + idle.stderr

    git(root, "rm", "-q", "ai-values.toml")
    blocked = run(["git", "commit", "-q", "-m", "drop manifest"], root, env)
    assert blocked.returncode == 1
    # Both hooks react to the deletion: the warning hook passes and shows it, the gate fails.
    status = [x for x in blocked.stderr.splitlines() if x.startswith("kigate")]
    assert [x.rsplit(".", 1)[-1] for x in status] == ["Passed", "Failed"]
    assert blocked.stderr.count("requirements.txt:3: KG100 error AI component pypi:openai") == 2
    assert git(root, "log", "-1", "--format=%s").strip() == "docs"


def test_warning_hook_alone_lets_the_commit_through_and_shows_why(
    make_repo: MakeRepo, hook_repo
) -> None:
    root = make_repo(complete_files())
    env = configure(root, hook_repo, "kigate")
    assert pre_commit(root, env, "install").returncode == 0
    git(root, "mv", "ai-values.toml", "values-old.toml")
    done = run(["git", "commit", "-q", "-m", "rename manifest"], root, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "requirements.txt:3: KG100 error AI component pypi:openai" in done.stderr
    assert git(root, "log", "-1", "--format=%s").strip() == "rename manifest"


def test_push_gate_blocks_only_new_gaps(make_repo: MakeRepo, hook_repo, tmp_path: Path) -> None:
    root = make_repo(example_files("incomplete"))  # old gaps: the push gate tolerates them
    env = configure(root, hook_repo, "kigate-push")
    remote = tmp_path / "remote.git"
    git(root, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    git(root, "push", "-q", "origin", "main")
    done = pre_commit(root, env, "install", "--hook-type", "pre-push")
    assert done.returncode == 0, done.stdout + done.stderr

    write_files(root, {"docs/guide.md": "docs\n"})
    git(root, "add", "docs/guide.md")
    git(root, "commit", "-q", "-m", "docs")
    docs = run(["git", "push", "-q", "origin", "main"], root, env)
    assert docs.returncode == 0, docs.stdout + docs.stderr

    write_files(root, {"requirements.txt": "torch\n"})
    git(root, "add", "requirements.txt")
    git(root, "commit", "-q", "-m", "ai")
    blocked = run(["git", "push", "-q", "origin", "main"], root, env)
    assert blocked.returncode != 0
    assert "requirements.txt:1: KG140 warning AI component pypi:torch" in blocked.stdout
    assert "(introduced by this change)" in blocked.stdout
    assert git(root, "rev-parse", "origin/main") != git(root, "rev-parse", "main")


def hook_output(done: subprocess.CompletedProcess[str]) -> list[str]:
    """What a commit printed besides pre-commit's own status and verbose lines."""
    own = ("kigate", "- hook id:", "- duration:")
    lines = (done.stdout + done.stderr).splitlines()
    return [x for x in lines if x.strip() and not x.startswith(own)]


def test_gate_shows_a_warning_and_stays_quiet_when_clean(make_repo: MakeRepo, hook_repo) -> None:
    root = make_repo(complete_files())
    env = configure(root, hook_repo, "kigate-gate")
    assert pre_commit(root, env, "install").returncode == 0

    # A relevant change that leaves nothing to report: the hook runs and says nothing.
    write_files(root, {"requirements.txt": "# pinned\nflask==3.0.3\nopenai>=1.40\n"})
    git(root, "add", "requirements.txt")
    clean = run(["git", "commit", "-q", "-m", "pin"], root, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert hook_output(clean) == []
    status = [x for x in clean.stderr.splitlines() if x.startswith("kigate")]
    assert len(status) == 1 and status[0].endswith("Passed")

    # An undeclared component: a warning, so the commit goes through, and the gate shows it.
    write_files(root, {"requirements.txt": "flask==3.0.3\nopenai>=1.40\ntorch\n"})
    git(root, "add", "requirements.txt")
    warned = run(["git", "commit", "-q", "-m", "torch"], root, env)
    assert warned.returncode == 0, warned.stdout + warned.stderr
    assert hook_output(warned) == [
        "2 AI components found.",
        "requirements.txt:3: KG140 warning AI component pypi:torch (found in requirements.txt) "
        'is not declared in ai-values.toml; add a [[components]] entry with id = "pypi:torch"',
        "0 errors, 1 warning, 0 info; 8/8 aspects covered",
    ]
    assert git(root, "log", "-1", "--format=%s").strip() == "torch"
