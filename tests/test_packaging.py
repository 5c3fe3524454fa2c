"""The wheel carries the policies, catalogues, git hooks and schemas, and a normal install finds
them; the top-level ``policies/`` and ``hooks/`` folders are their one source, for the wheel and
for an editable install alike."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kigate._toml import tomllib

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel built from it, as a release is built."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "kigate"
    # build from a copy so the checkout is never written to
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", "dist", "build"
        ),
    )
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("kigate-*.whl")
    return found


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed without -e into a folder of its own (put on PYTHONPATH)."""
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    done = subprocess.run(
        [*pip, "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return target


@pytest.mark.slow
def test_wheel_contains_the_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "kigate/policies/demokratische-ki.toml",
        "kigate/policies/d64.toml",
        "kigate/policies/signals/pypi.toml",
        "kigate/locales/en/core.toml",
        "kigate/locales/de/core.toml",
        "kigate/schemas/report-v1.schema.json",
        "kigate/schemas/aggregate-v1.schema.json",
        "kigate/aggregate/templates/dashboard.html.j2",
        "kigate/locales/en/aggregate.toml",
        "kigate/locales/de/aggregate.toml",
        "kigate/locales/en/formats.toml",
        "kigate/locales/de/formats.toml",
        "kigate/locales/en/detect.toml",
        "kigate/locales/de/detect.toml",
        "kigate/policies/signals/npm.toml",
    ):
        assert required in names


@pytest.mark.slow
def test_installed_wheel_finds_its_policies(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "incomplete", project)
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "LC_ALL": "C"}
    where = subprocess.run(
        [sys.executable, "-c", "import kigate, sys; print(kigate.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert where.stdout.startswith(str(site))
    checked = subprocess.run(
        [sys.executable, "-m", "kigate", "check", str(project), "--policy", "d64"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1, checked.stderr
    assert "KG110 error aspect 'participation'" in checked.stdout
    assert checked.stdout.splitlines()[-1] == "4 errors, 7 warnings, 0 info; 4/8 aspects covered"


@pytest.mark.slow
def test_sdist_carries_the_sources_of_the_shipped_data(dist: Path) -> None:
    (sdist,) = dist.glob("kigate-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "policies/d64.toml", "policies/signals/pypi.toml"} <= names
    assert {"hooks/pre-commit", "hooks/pre-push"} <= names
    assert not any(name.startswith("src/kigate/policies") for name in names)


def test_license_is_the_apache_license_the_metadata_declares() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["license"] == "Apache-2.0"


# What an installation resolves, printed by the installation itself: every file under the
# shipped policies folder and both git hooks, as SHA-256, plus where the folder was found and
# what the policy and catalogue loaders make of each built-in name.
PROBE = """
import hashlib, json
from kigate import policy, shipped
from kigate.detect import catalogue

def walk(folder, prefix=""):
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from walk(entry, prefix + entry.name + "/")
        else:
            yield prefix + entry.name, hashlib.sha256(entry.read_bytes()).hexdigest()

names = policy.builtin_names()
signals = sorted(e.name[:-5] for e in (shipped.policies() / "signals").iterdir())
print(json.dumps({
    "folder": str(shipped.policies()),
    "files": dict(walk(shipped.policies())),
    "hooks": {n: hashlib.sha256(shipped.hook_script(n)).hexdigest() for n in shipped.HOOKS},
    "policies": {n: policy.load(n).id for n in names},
    "signals": {n: [s.ecosystem for s in catalogue.load([n]).signals] for n in signals},
}))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resolve(env: dict[str, str], cwd: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def editable_env() -> dict[str, str]:
    import kigate

    if not Path(kigate.__file__).resolve().is_relative_to(ROOT / "src"):
        pytest.skip("kigate is not installed from this checkout in editable mode")
    return {**os.environ, "PYTHONPATH": ""}


def assert_resolves_the_top_level_sources(found: dict[str, Any]) -> None:
    top = ROOT / "policies"
    expected = {p.relative_to(top).as_posix(): sha256(p) for p in top.rglob("*") if p.is_file()}
    assert found["files"] == expected
    assert found["hooks"] == {n: sha256(ROOT / "hooks" / n) for n in ("pre-commit", "pre-push")}
    policies = {p.stem: p.stem for p in top.glob("*.toml")}
    assert found["policies"] == policies
    assert set(found["signals"]) == {p.stem for p in (top / "signals").glob("*.toml")}
    assert all(found["signals"].values())


@pytest.mark.slow
def test_installed_wheel_resolves_every_shipped_file_byte_identical(
    site: Path, tmp_path: Path
) -> None:
    found = resolve({**os.environ, "PYTHONPATH": str(site)}, tmp_path)
    assert Path(str(found["folder"])) == site / "kigate" / "policies"
    assert_resolves_the_top_level_sources(found)


def test_editable_install_resolves_the_top_level_folders(tmp_path: Path) -> None:
    found = resolve(editable_env(), tmp_path)
    assert Path(str(found["folder"])) == ROOT / "policies"
    assert_resolves_the_top_level_sources(found)


def install_hooks(command: list[str], env: dict[str, str], tmp_path: Path) -> dict[str, bytes]:
    """Run ``kigate install-hook`` for both hooks into a fresh repository; return what it wrote."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    written = {}
    for name in ("pre-commit", "pre-push"):
        done = subprocess.run(
            [*command, "install-hook", name, str(repo)],
            cwd=tmp_path,
            env={**env, "NO_COLOR": "1", "LC_ALL": "C"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        hook = repo / ".git" / "hooks" / name
        assert os.access(hook, os.X_OK)
        written[name] = hook.read_bytes()
    return written


@pytest.mark.slow
def test_install_hook_from_the_wheel_writes_the_hooks_folder(site: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(site)}
    written = install_hooks([sys.executable, "-m", "kigate"], env, tmp_path)
    assert written == {n: (ROOT / "hooks" / n).read_bytes() for n in ("pre-commit", "pre-push")}


def test_install_hook_from_the_editable_install_writes_the_hooks_folder(tmp_path: Path) -> None:
    written = install_hooks([sys.executable, "-m", "kigate"], editable_env(), tmp_path)
    assert written == {n: (ROOT / "hooks" / n).read_bytes() for n in ("pre-commit", "pre-push")}
