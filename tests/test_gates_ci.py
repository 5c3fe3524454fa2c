"""The CI templates: valid against their public schemas, and the Action's script really gates."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kigate import __version__ as kigate_version
from tests.conftest import MakeRepo, example_files, git
from tests.gates_support import BIN, commit, env_with_kigate, run

CHECKOUT = Path(__file__).resolve().parent.parent
ACTION = CHECKOUT / "action.yml"
GITLAB = CHECKOUT / "hooks" / "gitlab" / "kigate.gitlab-ci.yml"


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (ACTION, "vendor.github-actions"),
        (GITLAB, "vendor.gitlab-ci"),
        (CHECKOUT / ".pre-commit-hooks.yaml", None),
    ],
)
def test_templates_match_their_schemas(path: Path, schema: str | None) -> None:
    if schema is None:
        # pre-commit validates its own manifest format
        command = [sys.executable, "-m", "pre_commit", "validate-manifest", str(path)]
    else:
        # check-jsonschema ships these schemas; --builtin-schema never touches the network
        command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_action_inputs_and_sarif_upload() -> None:
    action = load(ACTION)
    assert set(action["inputs"]) >= {"path", "policy", "fail-on", "base", "format", "sarif"}
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload"))
    assert "inputs.sarif == 'true'" in upload["if"]
    script = next(s for s in steps if s.get("id") == "check")["run"]
    assert "${{" not in script  # inputs arrive as environment variables only


def test_gitlab_template_reports_junit_with_full_history() -> None:
    job = load(GITLAB)["kigate"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["artifacts"]["reports"]["junit"] == "$KIGATE_JUNIT"
    assert job["artifacts"]["when"] == "always"
    assert "--format junit --output" in job["script"][0]


def action_step(repo: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    """Run the Action's check step as GitHub would: bash, inputs in the environment."""
    step = next(s for s in load(ACTION)["runs"]["steps"] if s.get("id") == "check")
    defaults = {k: str(v.get("default", "")) for k, v in load(ACTION)["inputs"].items()}
    values = {**defaults, **inputs}
    env = env_with_kigate(repo.parent)
    for name, expression in step["env"].items():
        if expression == "${{ steps.install.outputs.kigate }}":
            env[name] = str(BIN / "kigate")  # the install step's venv: here, the test's venv
            continue
        key = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[name] = values[key]
    env["GITHUB_OUTPUT"] = str(repo.parent / "github-output")
    env["GITHUB_STEP_SUMMARY"] = str(repo.parent / "step-summary.md")
    env["RUNNER_TEMP"] = str(repo.parent)
    env.pop("GITHUB_BASE_REF", None)
    if "base_ref" in inputs:
        env["GITHUB_BASE_REF"] = inputs["base_ref"]
    return run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], repo, env)


def test_action_step_gates_a_pull_request(make_repo: MakeRepo) -> None:
    upstream = make_repo(example_files("incomplete"), name="upstream")
    clone = upstream.parent / "clone"
    git(upstream.parent, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    commit(clone, {"README.md": "docs\n"})
    assert action_step(clone).returncode == 1
    newonly = action_step(clone, **{"new-only": "true", "base_ref": "main"})
    assert newonly.returncode == 0, newonly.stdout + newonly.stderr
    assert "ai-values.toml:12: KG110 error" in newonly.stdout
    commit(clone, {"requirements.txt": "openai\n"})
    lenient = action_step(clone, **{"new-only": "true", "base_ref": "main", "fail-on": "error"})
    assert lenient.returncode == 0
    failing = action_step(clone, **{"new-only": "true", "base_ref": "main"})
    assert failing.returncode == 1
    assert "requirements.txt:1: KG140 warning" in failing.stdout
    assert "(introduced by this change)" in failing.stdout
    missing = action_step(clone, base="origin/nope")
    assert missing.returncode == 2
    assert "kigate: --base origin/nope does not name a commit" in missing.stderr


def test_action_step_writes_sarif_for_upload(make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    done = action_step(repo, sarif="true", format="github")
    assert done.returncode == 1
    assert "::error file=ai-values.toml,line=12" in done.stdout
    sarif = json.loads((repo / "kigate.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "kigate"
    output = (repo.parent / "github-output").read_text(encoding="utf-8")
    assert output == "sarif-file=kigate.sarif\n"


def test_gitlab_script_writes_the_junit_report(make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    job = load(GITLAB)["kigate"]
    env = {**env_with_kigate(repo.parent), **{k: str(v) for k, v in job["variables"].items()}}
    done = run(["sh", "-e", "-c", job["script"][0]], repo, env)
    assert done.returncode == 1
    assert "ai-values.toml:12: KG110 error" in done.stdout
    junit = (repo / "kigate-junit.xml").read_text(encoding="utf-8")
    assert junit.startswith("<?xml") and "KG110" in junit


def kigate_alone(repo: Path, fmt: str) -> str:
    """What ``kigate check --format FMT`` prints on its own, to compare the Action's output."""
    done = run(
        [str(BIN / "kigate"), "check", ".", "--format", fmt], repo, env_with_kigate(repo.parent)
    )
    assert done.returncode == 1, done.stderr
    return done.stdout


def without_run_times(sarif: dict[str, Any]) -> dict[str, Any]:
    for entry in sarif["runs"]:
        entry.pop("invocations", None)
    return sarif


def test_action_step_writes_log_annotations_summary_and_sarif_in_one_run(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo(example_files("incomplete"))
    expected = {fmt: kigate_alone(repo, fmt) for fmt in ("text", "github", "markdown", "sarif")}
    done = action_step(repo, sarif="true")  # every other input at its default
    assert done.returncode == 1, done.stderr
    # the job log first, then the annotations, each exactly once
    assert done.stdout == expected["text"] + expected["github"]
    assert "::error file=ai-values.toml,line=12" in expected["github"]
    summary = (repo.parent / "step-summary.md").read_text(encoding="utf-8")
    assert summary == expected["markdown"]
    assert summary.startswith("<!-- kigate-report -->\n")
    sarif = json.loads((repo / "kigate.sarif").read_text(encoding="utf-8"))
    assert without_run_times(sarif) == without_run_times(json.loads(expected["sarif"]))
    assert (repo.parent / "github-output").read_text(encoding="utf-8") == (
        "sarif-file=kigate.sarif\n"
    )
    assert not list(repo.parent.glob("kigate-annotations.*"))  # the temporary file is gone


def test_action_step_outputs_can_be_turned_off(make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    github = action_step(repo, format="github")
    assert github.returncode == 1
    assert github.stdout == kigate_alone(repo, "github")  # annotations once, not twice
    (repo.parent / "step-summary.md").unlink()
    plain = action_step(repo, annotations="false", summary="false")
    assert plain.returncode == 1
    assert plain.stdout == kigate_alone(repo, "text")
    assert not (repo.parent / "step-summary.md").exists()
    assert not (repo / "kigate.sarif").exists()


def test_action_installs_kigate_into_its_own_environment() -> None:
    steps = load(ACTION)["runs"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    # setup-python would otherwise put its Python first on PATH for every later step
    assert setup["with"]["update-environment"] is False
    install = next(s for s in steps if s.get("id") == "install")
    assert install["env"]["KIGATE_PYTHON"] == "${{ steps.python.outputs.python-path }}"
    pips = [line for line in install["run"].splitlines() if "pip" in line]
    assert pips == [
        '"$bin/python" -m pip install --disable-pip-version-check --quiet "$GITHUB_ACTION_PATH"'
    ]


@pytest.mark.slow
def test_action_install_step_builds_a_virtual_environment_of_its_own(tmp_path: Path) -> None:
    """The install step for real: this checkout (as the action's path) into a fresh venv."""
    action_path = tmp_path / "action"
    shutil.copytree(
        CHECKOUT,
        action_path,
        ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".*_cache"),
    )
    step = next(s for s in load(ACTION)["runs"]["steps"] if s.get("id") == "install")
    env = {
        **env_with_kigate(tmp_path),
        "KIGATE_PYTHON": sys.executable,
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
    }
    (tmp_path / "runner-temp").mkdir()
    done = run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], tmp_path, env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    output = (tmp_path / "github-output").read_text(encoding="utf-8")
    kigate = tmp_path / "runner-temp" / "kigate-venv" / "bin" / "kigate"
    assert output == f"kigate={kigate}\n"
    version = run([str(kigate), "--version"], tmp_path, env)
    assert version.returncode == 0, version.stderr
    assert version.stdout.split()[-1] == kigate_version


def test_gitlab_template_installs_its_own_release() -> None:
    text = GITLAB.read_text(encoding="utf-8")
    job = load(GITLAB)["kigate"]
    ref = job["variables"]["KIGATE_REF"]
    assert ref == f"v{kigate_version}"  # a release bumps the template with the package
    assert job["variables"]["KIGATE_PACKAGE"] == ""  # the index only when asked for
    include = (
        f"https://raw.githubusercontent.com/kigate/kigate/{ref}/hooks/gitlab/kigate.gitlab-ci.yml"
    )
    assert f'#     - remote: "{include}"' in text
    assert f'remote: "{include}"' in (CHECKOUT / "README.md").read_text(encoding="utf-8")
    assert 'set -- "git+$KIGATE_GIT@$KIGATE_REF"' in job["before_script"][0]


def gitlab_install(tmp_path: Path, **variables: str) -> str:
    """Run the template's before_script with a fresh venv's python first on PATH; the version
    of the kigate it installed."""
    venv = tmp_path / f"job-venv-{len(list(tmp_path.glob('job-venv-*')))}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    job = load(GITLAB)["kigate"]
    env = {**env_with_kigate(tmp_path), **{k: str(v) for k, v in job["variables"].items()}}
    env.update(variables)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    done = run(["sh", "-e", "-c", job["before_script"][0]], tmp_path, env)
    assert done.returncode == 0, done.stdout + done.stderr
    version = run([str(venv / "bin" / "kigate"), "--version"], tmp_path, env)
    assert version.returncode == 0, version.stderr
    return version.stdout.split()[-1]


@pytest.mark.slow
def test_gitlab_template_installs_the_ref_not_the_latest_commit(tmp_path: Path) -> None:
    """Upstream has the template's tag and a newer commit; the job must install the tag."""
    upstream = tmp_path / "upstream"
    shutil.copytree(
        CHECKOUT,
        upstream,
        ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".*_cache"),
    )
    git(upstream, "init", "-q")
    commit(upstream, {}, "release")
    ref = load(GITLAB)["kigate"]["variables"]["KIGATE_REF"]
    git(upstream, "tag", ref)
    init = upstream / "src" / "kigate" / "__init__.py"
    newer = init.read_text(encoding="utf-8").replace(kigate_version, "99.0.0")
    commit(upstream, {"src/kigate/__init__.py": newer}, "later work")
    assert gitlab_install(tmp_path, KIGATE_GIT=f"file://{upstream}") == kigate_version
    # KIGATE_PACKAGE replaces the git source (a local directory stands in for an index here)
    chosen = gitlab_install(tmp_path, KIGATE_GIT=f"file://{upstream}", KIGATE_PACKAGE=str(upstream))
    assert chosen == "99.0.0"


def test_every_published_example_names_the_same_release() -> None:
    """README, action, templates and hook docs point users at one tag: this version's."""
    pattern = re.compile(r"kigate/kigate@(v[\w.]+)|rev: (v[\w.]+)|/kigate/kigate/(v[\w.]+)/")
    found = {}
    for name in (
        "README.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "hooks/gitlab/kigate.gitlab-ci.yml",
    ):
        text = (CHECKOUT / name).read_text(encoding="utf-8")
        found[name] = {next(g for g in m.groups() if g) for m in pattern.finditer(text)}
    assert found == {name: {f"v{kigate_version}"} for name in found}
