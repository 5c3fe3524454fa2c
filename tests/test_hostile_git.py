"""Hostile git configuration: nothing a repository configures is ever run, fetched or written.

Every case plants commands that would touch a marker file if git ran them, then runs
``kigate check`` (plain, ``--staged``, ``--base``) in a fresh interpreter under an audit hook
and proves: an exit code in {0, 1, 2}, no traceback, no network, no command but git, the
whole tree INCLUDING ``.git`` byte-identical, and no marker. A control test proves the planted
configuration does run under plain git, so the cases cannot pass by being inert.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_hostile import GIT_ID, assert_harmless, digest, probe

MODES = ((), ("--staged",), ("--base", "HEAD~1"))


def markers_of(tmp_path: Path) -> Path:
    markers = tmp_path / "markers"
    markers.mkdir(exist_ok=True)
    return markers


def touch(markers: Path, name: str) -> str:
    return f"touch {markers / name}; cat"


def hostile_repo(tmp_path: Path, attributes: str = "* filter=evil diff=evil\n") -> Path:
    """Two commits (so ``--base HEAD~1`` has a base) and a stat-dirty working file."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (root / ".gitattributes").write_text(attributes, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, *GIT_ID, "commit", "-q", "-m", "one")
    (root / "app.py").write_text("import anthropic\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, *GIT_ID, "commit", "-q", "-m", "two")
    with (root / "requirements.txt").open("a", encoding="utf-8") as handle:
        handle.write("torch\n")  # changed on disk: comparing it would need the clean filter
    return root


def append_config(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def assert_nothing_runs(root: Path, tmp_path: Path, markers: Path) -> None:
    before = digest(root)
    for mode in MODES:
        done, seen = probe(root, tmp_path, "check", "--format", "json", *mode, str(root))
        assert done.returncode in (0, 1, 2), done.stderr
        assert "Traceback" not in done.stderr
        if done.returncode != 2:
            json.loads(done.stdout)
        assert_harmless(seen)
        assert digest(root) == before, mode
    assert sorted(os.listdir(markers)) == []


def executing_config(markers: Path, driver: str) -> str:
    """Every executing key we know of, with ``driver`` as filter and diff driver name."""
    return f"""
[filter "{driver}"]
\tclean = {touch(markers, "clean")}
\tsmudge = {touch(markers, "smudge")}
\tprocess = {touch(markers, "process")}
\trequired = true
[diff "{driver}"]
\ttextconv = {touch(markers, "textconv")}
\tcommand = {touch(markers, "diff-command")}
[diff]
\texternal = {touch(markers, "diff-external")}
[core]
\tfsmonitor = {touch(markers, "fsmonitor")}
\tsshCommand = {touch(markers, "ssh")}
\thooksPath = {markers}
\taskPass = {touch(markers, "askpass")}
\tpager = {touch(markers, "pager")}
[uploadpack]
\tpackObjectsHook = {touch(markers, "packobjects")}
[remote "origin"]
\turl = ssh://evil.example/x
\tuploadpack = {touch(markers, "uploadpack")}
\treceivepack = {touch(markers, "receivepack")}
[credential]
\thelper = !{touch(markers, "credential")}
[gpg]
\tprogram = {markers / "gpg"}
[log]
\tshowSignature = true
[submodule]
\trecurse = true
"""


@pytest.mark.parametrize("driver", ["evil", "a=b", "dots.in.name", "x=y.z=w"])
def test_repository_config_never_runs(tmp_path: Path, driver: str) -> None:
    markers = markers_of(tmp_path)
    root = hostile_repo(tmp_path, f"* filter={driver} diff={driver}\n")
    append_config(root / ".git" / "config", executing_config(markers, driver))
    assert_nothing_runs(root, tmp_path, markers)


@pytest.mark.parametrize("how", ["include", "includeIf"])
def test_included_config_never_runs(tmp_path: Path, how: str) -> None:
    markers = markers_of(tmp_path)
    root = hostile_repo(tmp_path, "* filter=inc.d diff=inc.d\n")
    extra = tmp_path / "extra.config"
    extra.write_text(executing_config(markers, "inc.d"), encoding="utf-8")
    section = "[include]" if how == "include" else f'[includeIf "gitdir:{root}/"]'
    append_config(root / ".git" / "config", f"{section}\n\tpath = {extra}\n")
    assert_nothing_runs(root, tmp_path, markers)


def test_signed_commit_never_runs_gpg(tmp_path: Path) -> None:
    """``log.showSignature`` makes ``git log`` run ``gpg.program`` on a signed commit."""
    markers = markers_of(tmp_path)
    root = hostile_repo(tmp_path, "")
    gpg = tmp_path / "gpg"
    gpg.write_text(f"#!/bin/sh\ntouch {markers / 'gpg-ran'}\n", encoding="utf-8")
    gpg.chmod(0o755)
    head = git(root, "cat-file", "commit", "HEAD")
    header, _, message = head.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----"
    forged = f"{header}\n{signature}\n\n{message}"
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=root,
        input=forged,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    git(root, "update-ref", "HEAD", sha)
    settings = f"[gpg]\n\tprogram = {gpg}\n[log]\n\tshowSignature = true\n"
    append_config(root / ".git" / "config", settings)
    plain = subprocess.run(
        ["git", "log", "-1"], cwd=root, capture_output=True, timeout=60, check=False
    )
    assert plain.returncode == 0 and (markers / "gpg-ran").exists()  # control: git runs it
    os.remove(markers / "gpg-ran")
    assert_nothing_runs(root, tmp_path, markers)


def test_submodule_config_never_runs(tmp_path: Path) -> None:
    markers = markers_of(tmp_path)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "model.py").write_text("import openai\n", encoding="utf-8")
    git(inner, "init", "-q")
    git(inner, "add", "-A")
    git(inner, *GIT_ID, "commit", "-q", "-m", "inner")
    root = hostile_repo(tmp_path, "")
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "sub")
    git(root, *GIT_ID, "commit", "-q", "-m", "submodule")
    git(root, *GIT_ID, "commit", "-q", "--allow-empty", "-m", "three")
    (root / "sub" / ".gitattributes").write_text("* filter=sub diff=sub\n", encoding="utf-8")
    (root / "sub" / "model.py").write_text("import torch\n", encoding="utf-8")
    append_config(root / ".git" / "modules" / "sub" / "config", executing_config(markers, "sub"))
    append_config(root / ".git" / "config", "[submodule]\n\trecurse = true\n")
    assert_nothing_runs(root, tmp_path, markers)


def test_control_plain_git_does_run_the_planted_commands(tmp_path: Path) -> None:
    """Without kigate's runner the same repository runs the filter and fsmonitor: the cases
    above test something real."""
    markers = markers_of(tmp_path)
    root = hostile_repo(tmp_path, "* filter=a=b diff=a=b\n")
    append_config(root / ".git" / "config", executing_config(markers, "a=b"))
    subprocess.run(["git", "status"], cwd=root, capture_output=True, check=False, timeout=60)
    assert {"process", "fsmonitor"} <= set(os.listdir(markers))  # process wins over clean


def partial_clone(tmp_path: Path) -> tuple[Path, Path]:
    """A bare origin that serves filters and a blob-less clone of it; the clone's newest
    commit is checked out, the older blobs are missing (a promisor would fetch them)."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (source / "ai-values.toml").write_text("kigate = 1\n", encoding="utf-8")
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, *GIT_ID, "commit", "-q", "-m", "one")
    (source / "requirements.txt").write_text("anthropic\n", encoding="utf-8")
    (source / "model.py").write_text("import torch\n", encoding="utf-8")
    git(source, "add", "-A")
    git(source, *GIT_ID, "commit", "-q", "-m", "two")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(source), str(origin))
    git(origin, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    url = origin.as_uri()
    git(tmp_path, "clone", "-q", "--filter=blob:none", url, str(clone))
    return origin, clone


def object_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / ".git" / "objects").rglob("*"))


def test_partial_clone_never_fetches(tmp_path: Path) -> None:
    _origin, clone = partial_clone(tmp_path)
    git(clone, "read-tree", "HEAD~1")  # the index now names blobs the clone does not have
    objects = object_files(clone)
    assert_nothing_runs(clone, tmp_path, markers_of(tmp_path))
    assert object_files(clone) == objects


def test_control_partial_clone_fetches_under_plain_git(tmp_path: Path) -> None:
    _origin, clone = partial_clone(tmp_path)
    objects = object_files(clone)
    git(clone, "cat-file", "-p", "HEAD~1:requirements.txt")
    assert object_files(clone) != objects  # plain git fetched a pack: kigate must not


def test_missing_blob_is_reported_not_fetched(tmp_path: Path) -> None:
    _origin, clone = partial_clone(tmp_path)
    git(clone, "read-tree", "HEAD~1")
    before = digest(clone)
    done, seen = probe(clone, tmp_path, "check", "--staged", "--format", "json", str(clone))
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert ("KG104", "requirements.txt") in {(f["rule"], f["path"]) for f in findings}
    assert_harmless(seen)
    assert digest(clone) == before
