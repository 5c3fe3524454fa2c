"""The wheel carries the policies, catalogues and schemas, and a normal install finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = out.glob("kigate-*.whl")
    return found


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
def test_installed_wheel_finds_its_policies(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
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
    assert checked.stdout.splitlines()[-1] == "4 errors, 3 warnings, 0 notes; 2/8 aspects covered"
