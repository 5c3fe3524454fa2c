"""Property tests for detection with the cache: for any set of dependency files, notebooks and
sources (real snippets, mutated, or random bytes), a cold cached run, a warm one and a run
without cache find exactly the same components and problems."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kigate import detect, engine, policy
from kigate.cache import Cache
from kigate.worktree import WorkTree

CATALOGUE = engine.load_catalogue(policy.load())

SNIPPETS = {
    "requirements.txt": ["openai>=1\n", "-r requirements-dev.txt\ntorch\n", "-r requirements.txt"],
    "requirements-dev.txt": ["-r requirements.txt\npytest\n", "langchain\n"],
    "pyproject.toml": [
        '[project]\nname = "x"\ndependencies = ["anthropic"]\n',
        '[project.optional-dependencies]\ndev = ["openai"]\n',
    ],
    "setup.py": ["from setuptools import setup\nsetup(install_requires=['transformers'])\n"],
    "package.json": ['{"dependencies": {"openai": "^4", "react": "18"}}'],
    "go.mod": ["module x\n\nrequire github.com/sashabaranov/go-openai v1.0.0\n"],
    "src/app.py": ["import openai\n", "from torch import nn\n", "import os\n"],
    "src/app.ts": ["import OpenAI from 'openai';\n", "import x from 'react';\n"],
    "models/m.gguf": ["GGUF\x03\x00"],
    ".env": ["OPENAI_API_KEY=x\n"],
}


@st.composite
def notebooks(draw: st.DrawFn) -> str:
    sources = draw(st.lists(st.sampled_from(["import openai", "x = 1", "!pip install torch"])))
    cells = [{"cell_type": "code", "source": [s]} for s in sources]
    return json.dumps({"cells": cells, "nbformat": 4, "metadata": {}})


@st.composite
def content(draw: st.DrawFn, name: str) -> bytes:
    base = draw(st.sampled_from(SNIPPETS.get(name, ["import openai\n"])))
    if name.endswith(".ipynb"):
        base = draw(notebooks())
    kind = draw(st.sampled_from(["as is", "cut", "insert", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    data = base.encode("utf-8")
    at = draw(st.integers(0, len(data)))
    if kind == "cut":
        return data[:at]
    noise = draw(st.sampled_from([b"\xff", b"\n-r ", b"[", b'"', b"\x00", b"{", b"import "]))
    return data[:at] + noise + data[at:]


@st.composite
def trees(draw: st.DrawFn) -> dict[str, bytes]:
    names = draw(
        st.lists(st.sampled_from([*SNIPPETS, "nb/a.ipynb"]), min_size=1, max_size=6, unique=True)
    )
    return {name: draw(content(name)) for name in names}


def run(root: Path, store: Cache | None) -> tuple[object, object]:
    return detect.detect(WorkTree(root, use_git=False), CATALOGUE, cache=store)


@given(files=trees())
def test_cold_warm_and_uncached_detection_agree(
    files: dict[str, bytes], tmp_path_factory: object
) -> None:
    base = tmp_path_factory.mktemp("tree")  # type: ignore[attr-defined]
    root = base / "repo"
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    fresh = run(root, None)
    cold = Cache(root, "fuzz", base / "cache")
    assert run(root, cold) == fresh
    cold.save()
    warm = Cache(root, "fuzz", base / "cache")
    warm.load()
    assert run(root, warm) == fresh
    assert warm.misses == 0 and warm.notes == []
