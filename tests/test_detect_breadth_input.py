"""Bad input for the detection-breadth parsers: a warning with a line, never a crash; pickles
are read without importing or running anything; links are judged by name, never followed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kigate import engine, policy, views
from kigate.detect import detect
from kigate.detect.pickles import modules
from kigate.tree import DEFAULT_EXCLUDES
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, git


def _scan(root: Path) -> tuple[list[str], list[tuple[str, int | None, str]]]:
    components, problems = detect(WorkTree(root), engine.load_catalogue(policy.load()))
    return [c.id for c in components], [(p.path, p.line, p.text.en) for p in problems]


def test_malformed_catalogs_manifests_and_rules_are_warnings_with_a_line(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo(
        {
            "gradle/libs.versions.toml": (
                '[versions]\nx = "1"\n[libraries\nopenai = "com.openai:openai-java:1"\n'
            ),
            "web/model.json": (
                '{"modelTopology": {},\n "weightsManifest": [{"paths": ["a.bin", oops]}]}'
            ),
            ".gitattributes": "*.onnx filter=lfs " + "x" * 5000 + "\n*.gguf filter=lfs\n",
            "src/lib.rs": "use async_openai::Client;\n",
        }
    )
    ids, problems = _scan(repo)
    assert ids == ["cargo:async-openai", "model:.gitattributes", "model:web/model.json"]
    assert problems == [
        (
            ".gitattributes",
            1,
            ".gitattributes line is too long or not UTF-8 and was not examined for Git LFS "
            "model rules",
        ),
        (
            "gradle/libs.versions.toml",
            3,
            "Gradle version catalog is not valid TOML and was not examined for AI components: "
            "Expected ']' at the end of a table declaration (at line 3, column 11)",
        ),
        (
            "web/model.json",
            2,
            "file looks like a TensorFlow.js model but its weights manifest could not be read: "
            "Expecting value",
        ),
    ]


def test_a_page_over_the_budget_that_loads_from_a_cdn_is_a_warning(make_repo: MakeRepo) -> None:
    script = '<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs"></script>\n'
    repo = make_repo(
        {"site/big.html": script + "<p>x</p>\n" * (600 << 10), "site/plain.html": "<p>x</p>\n"}
    )
    ids, problems = _scan(repo)
    assert ids == []
    assert problems == [
        (
            "site/big.html",
            None,
            "file larger than 4096 KiB was not examined for AI components",
        )
    ]


def test_a_pickle_is_read_without_importing_or_running_it(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    canary = tmp_path / "canary_site"
    canary.mkdir()
    marker = tmp_path / "imported"
    (canary / "kigate_canary.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        f"def boom(*a):\n    open({str(marker)!r}, 'w').close()\n",
        encoding="utf-8",
    )
    # GLOBAL kigate_canary.boom, called by REDUCE; then os.system; then an sklearn class.
    payload = (
        b"\x80\x02ckigate_canary\nboom\nq\x00X\x01\x00\x00\x00xq\x01\x85q\x02Rq\x03"
        b"cos\nsystem\nq\x04X\x0b\x00\x00\x00touch pwnedq\x05\x85q\x06Rq\x07"
        b"csklearn.tree._classes\nDecisionTreeClassifier\nq\x08)\x81q\x09."
    )
    repo = make_repo({"models/tree.pkl": payload})
    sys.path.insert(0, str(canary))
    try:
        ids, problems = _scan(repo)
    finally:
        sys.path.remove(str(canary))
    assert ids == ["model:models/tree.pkl"]
    assert problems == []
    assert not marker.exists() and not (repo / "pwned").exists()
    assert "kigate_canary" not in sys.modules
    assert list(modules(payload)) == ["kigate_canary", "os", "sklearn.tree._classes"]


def test_links_out_of_the_repository_are_never_followed(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "model.h5").write_bytes(b"\x89HDF\r\n\x1a\nmodel_config")
    (outside / "weights.onnx").write_bytes(b"\x08\x07")
    repo = make_repo({"README.md": "x\n"}, commit=False)
    os.symlink(outside / "model.h5", repo / "model.h5")
    os.symlink(outside / "weights.onnx", repo / "weights.onnx")
    os.symlink(outside, repo / "linked-dir")
    ids, problems = _scan(repo)
    assert ids == ["model:weights.onnx"]
    assert [(p, line) for p, line, _ in problems] == [("model.h5", None)]


NAMES = (
    "a.rs", "a.cs", "a.fs", "a.rb", "a.php", "a.swift", "a.R", "a.jl", "index.html", "app.mjs",
    "model.json", ".gitattributes", "libs.versions.toml", "build.gradle.kts", "m.h5", "m.hdf5",
    "m.pkl", "m.joblib", "pytorch_model.bin", "m.pt", "Cargo.toml", "package.json", "go.mod",
    "pom.xml", "main.tf", "main.bicep",
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600) | st.text(max_size=600).map(lambda t: t.encode("utf-8")))
def test_every_new_parser_survives_any_bytes(tmp_path_factory, data: bytes) -> None:
    root = tmp_path_factory.mktemp("bytes")
    for name in NAMES:
        (root / name).write_bytes(data)
    components, problems = detect(
        WorkTree(root, use_git=False), engine.load_catalogue(policy.load())
    )
    assert {p.path for p in problems} <= set(NAMES)
    assert all(e.path in NAMES for c in components for e in c.evidence)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_opcode_reading_never_fails(data: bytes) -> None:
    assert all(isinstance(m, str) for m in modules(b"\x80\x04" + data))


def test_links_in_the_index_are_judged_by_name_as_on_disk(make_repo: MakeRepo) -> None:
    repo = make_repo({"blobs/x": "not a model\n"}, commit=False)
    os.symlink("blobs/x", repo / "model.safetensors")
    os.symlink("blobs/x", repo / "weights.pkl")
    git(repo, "add", "-A")
    catalogue = engine.load_catalogue(policy.load())
    for tree in (WorkTree(repo), views.staged_tree(repo, DEFAULT_EXCLUDES)):
        components, problems = detect(tree, catalogue)
        assert [(c.id, c.evidence[0].match) for c in components] == [
            ("model:model.safetensors", "symbolic link")
        ]
        assert [(p.path, p.text.en[:45]) for p in problems] == [
            ("weights.pkl", "symbolic link with a model file's name whose ")
        ]


@pytest.mark.parametrize(
    ("url", "package"),
    [
        ("https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.17.0/dist/tf.min.js", "@tensorflow/tfjs"),
        ("https://unpkg.com/ml5@1/dist/ml5.min.js", "ml5"),
        ("https://esm.sh/v135/@google/generative-ai@0.21.0", "@google/generative-ai"),
        ("https://esm.sh/stable/openai@4", "openai"),
        ("https://esm.run/@mlc-ai/web-llm", "@mlc-ai/web-llm"),
        ("https://cdn.skypack.dev/@xenova/transformers", "@xenova/transformers"),
        ("https://ga.jspm.io/npm:onnxruntime-web@1.18.0/dist/ort.min.js", "onnxruntime-web"),
        ("//fastly.jsdelivr.net/npm/@mediapipe/tasks-vision/wasm", "@mediapipe/tasks-vision"),
        ("https://cdnjs.cloudflare.com/ajax/libs/tensorflow/4.17.0/tf.min.js", "@tensorflow/tfjs"),
        ("https://cdn.jsdelivr.net/npm/lodash@4/lodash.min.js", None),
        ("https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js", None),
    ],
)
def test_cdn_urls_name_their_npm_package(
    url: str, package: str | None, make_repo: MakeRepo
) -> None:
    repo = make_repo({"app.js": f"import x from '{url}';\n"})
    ids, problems = _scan(repo)
    assert ids == ([f"npm:{package}"] if package else [])
    assert problems == []
