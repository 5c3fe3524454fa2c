"""Malformed, binary, huge, non-UTF-8 and linked files: a warning each, never a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kigate import engine, policy
from kigate.detect import detect
from kigate.detect.base import MAX_HITS
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo


def _scan(root: Path, use_git: bool = True) -> tuple[list[str], list[str]]:
    components, problems = detect(
        WorkTree(root, use_git=use_git), engine.load_catalogue(policy.load())
    )
    return [c.id for c in components], [f"{p.path}: {p.text.en}" for p in problems]


def test_malformed_manifests_are_warnings_and_the_scan_goes_on(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "web/package.json": '{"dependencies": {"openai": ',
            "svc/pyproject.toml": "[project\ndependencies = ['torch']",
            "jvm/pom.xml": "<project><dependencies><dependency>",
            "nb/broken.ipynb": '{"cells": [{"cell_type": "code", "source": "import torch"',
            "ok/requirements.txt": "anthropic\n",
        }
    )
    ids, problems = _scan(repo)
    assert ids == ["pypi:anthropic"]
    assert problems == [
        "jvm/pom.xml: file is not well-formed XML and was not examined for AI components: "
        "no element found: line 1, column 35",
        "nb/broken.ipynb: notebook is not valid JSON and was not examined for AI components: "
        "Expecting ',' delimiter: line 1 column 58 (char 57)",
        "svc/pyproject.toml: file is not valid TOML and was not examined for AI components: "
        "Expected ']' at the end of a table declaration (at line 1, column 9)",
        "web/package.json: file is not valid JSON and was not examined for AI components: "
        "Expecting value: line 1 column 29 (char 28)",
    ]


def test_xml_entities_are_not_expanded(make_repo: MakeRepo) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<project>&b;</project>\n'
    )
    ids, problems = _scan(make_repo({"pom.xml": bomb}))
    assert ids == []
    assert problems == [
        "pom.xml: file declares a DTD or entities, which kigate does not process; "
        "it was not examined for AI components"
    ]


def test_binary_and_non_utf8_files(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "lib/blob.py": b"\x00\x01\x02import openai\x00",
            "requirements.txt": b"caf\xe9\nopenai\n",
            "legacy.py": "# -*- coding: latin-1 -*-\nimport torch\nname = 'caf\xe9'\n".encode(
                "latin-1"
            ),
        }
    )
    ids, problems = _scan(repo)
    assert ids == ["pypi:torch"]
    assert problems == [
        "lib/blob.py: file with a source extension holds binary data and was not examined "
        "for AI components",
        "requirements.txt: file is not UTF-8 text and was not examined for AI components",
    ]


def test_huge_model_file_is_read_by_its_header_only(make_repo: MakeRepo) -> None:
    repo = make_repo({"README.md": "# big\n"})
    weights = repo / "weights" / "llama.gguf"
    weights.parent.mkdir()
    with weights.open("wb") as handle:
        handle.write(b"GGUF\x03\x00\x00\x00")
        handle.truncate(2 << 30)  # 2 GiB, sparse: only the header is ever read
    big_source = repo / "big.py"
    big_source.write_bytes(b"import openai\n" + b"#" * (5 << 20))
    ids, problems = _scan(repo, use_git=False)
    assert ids == ["model:weights/llama.gguf"]
    assert problems == ["big.py: file larger than 4096 KiB was not examined for AI components"]


def test_a_million_repeated_imports_cost_a_bounded_look(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "gen.ts": "import x from 'openai';\n" * 150_000,
            "gen.py": "import anthropic  # https://api.anthropic.com\n" * 80_000,
            "gen.yaml": "OPENAI_API_KEY: x\n" * 100_000,
            "pyproject.toml": "[project]\ndependencies = [\n"
            + "".join(f'"langchain-x{i}",\n' for i in range(100_000))
            + "]\n",
            "big.ipynb": json.dumps(
                {
                    "cells": [
                        {"cell_type": "code", "source": f"import torch  # {i}"}
                        for i in range(50_000)
                    ]
                }
            ),
        },
        use_git=False,
    )
    ids, problems = _scan(repo, use_git=False)
    assert len(ids) == 4 + MAX_HITS
    assert ids[:3] == ["npm:openai", "pypi:anthropic", "pypi:langchain-x0"]
    assert ids[-2:] == ["pypi:torch", "service:openai"]
    assert problems == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_does_not_hang_the_walk(make_repo: MakeRepo) -> None:
    repo = make_repo({"app.py": "import anthropic\n"}, use_git=False)
    os.mkfifo(repo / "requirements.txt")
    ids, problems = _scan(repo, use_git=False)
    assert ids == ["pypi:anthropic"]
    assert problems == [
        "requirements.txt: file could not be read (not a regular file, a link out of the "
        "repository or a link loop) and was not examined for AI components"
    ]


def test_lock_files_are_not_read(make_repo: MakeRepo) -> None:
    lock = '{"packages": {"x": {"resolved": "https://api.openai.com/x"}}}' + " " * (5 << 20)
    ids, problems = _scan(make_repo({"package-lock.json": lock, "pnpm-lock.yaml": lock}))
    assert (ids, problems) == ([], [])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinks_out_of_the_repository_and_loops(make_repo: MakeRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "requirements.txt").write_text("openai\n", encoding="utf-8")
    repo = make_repo({"app.py": "import anthropic\n"}, commit=False)
    os.symlink(outside / "requirements.txt", repo / "requirements.txt")
    os.symlink("loop-b.py", repo / "loop-a.py")
    os.symlink("loop-a.py", repo / "loop-b.py")
    os.symlink(outside, repo / "linked-dir")
    for use_git in (True, False):
        ids, problems = _scan(repo, use_git=use_git)
        assert ids == ["pypi:anthropic"]
        unreadable = (
            "file could not be read (not a regular file, a link out of the repository or a "
            "link loop) and was not examined for AI components"
        )
        assert problems == [
            f"loop-a.py: {unreadable}",
            f"loop-b.py: {unreadable}",
            f"requirements.txt: {unreadable}",
        ]
    assert (outside / "requirements.txt").read_text(encoding="utf-8") == "openai\n"
