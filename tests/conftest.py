"""Shared fixtures: real temporary git repositories and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kigate.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date.today()

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, check: bool = True) -> str:
    """Run real git in ``repo`` (test set-up only; kigate itself goes through kigate.git.runner)."""
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


MakeRepo = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Build a repository from ``{path: content}``; git-initialised and committed by default."""
    counter = iter(range(1000))

    def make(
        files: Mapping[str, str | bytes],
        *,
        use_git: bool = True,
        commit: bool = True,
        name: str | None = None,
    ) -> Path:
        root = tmp_path / (name or f"repo{next(counter)}")
        root.mkdir(parents=True)
        write_files(root, files)
        if use_git:
            git(root, "init", "-q")
            if commit:
                git(root, "add", "-A")
                git(root, "commit", "-q", "-m", "initial", "--allow-empty")
        return root

    return make


def example_files(name: str, today: dt.date = TODAY) -> dict[str, str | bytes]:
    """The bundled example's files, with a fresh review date in a complete manifest."""
    root = EXAMPLES / name
    files: dict[str, str | bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            data = path.read_bytes()
            try:
                files[rel] = data.decode("utf-8")
            except UnicodeDecodeError:
                files[rel] = data
    manifest = files.get("ai-values.toml")
    if name == "complete" and isinstance(manifest, str):
        files["ai-values.toml"] = manifest.replace(
            "last_reviewed = 2026-09-15", f"last_reviewed = {today.isoformat()}"
        )
    return files


def complete_manifest(today: dt.date = TODAY) -> str:
    text = example_files("complete", today)["ai-values.toml"]
    assert isinstance(text, str)
    return text


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    def run(*args: str, env: Mapping[str, str] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            cli,
            list(args),
            catch_exceptions=False,
            env={"NO_COLOR": "1", "LANG": "C", "LC_ALL": "", **(env or {})},
        )

    return run


@pytest.fixture
def copy_example(tmp_path: Path) -> Callable[[str], Path]:
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target)
        return target

    return copy


# Hypothesis profiles: bounded in the normal suite; KIGATE_FUZZ=long for a deep fuzzing run.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "kigate", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "kigate-long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("kigate-long" if os.environ.get("KIGATE_FUZZ") == "long" else "kigate")


@pytest.fixture(autouse=True)
def _private_cache_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kigate's cache goes to a temporary XDG_CACHE_HOME, never the developer's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


# Every SARIF document the suite renders or leaves behind meets the OASIS schema and GitHub's
# ingestion rules (tests/sarif_support.py).


@pytest.fixture(autouse=True)
def _every_sarif_is_valid(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    from kigate.formats import sarif
    from tests import sarif_support

    rendered: list[dict] = []
    original = sarif.to_dict

    def recording(*args: object, **kwargs: object) -> dict:
        log = original(*args, **kwargs)  # type: ignore[arg-type]
        rendered.append(log)
        return log

    monkeypatch.setattr(sarif, "to_dict", recording)
    # Asked for now, so the temporary directory outlives this fixture's check below.
    tmp = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    found = [p for log in rendered for p in sarif_support.problems(json.loads(json.dumps(log)))]
    if tmp is not None:
        found += sarif_support.file_problems(tmp)
    assert found == [], "a SARIF document GitHub or the OASIS schema would reject"
