"""Each file is read at most once per run, and model files only by their header."""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest

from kigate import engine, policy
from kigate.detect import detect
from kigate.detect.models import CHECKS
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo


class CountingTree(WorkTree):
    """The real working tree, remembering how often and how much of each file was read."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.reads: Counter[str] = Counter()
        self.bytes: Counter[str] = Counter()

    def read(self, path: str, limit: int) -> bytes | None:
        data = super().read(path, limit)
        self.reads[path] += 1
        self.bytes[path] += len(data or b"")
        return data


def test_every_file_is_read_at_most_once(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "app.py": "import openai\nURL = 'https://api.openai.com/v1'\n",
            "requirements.txt": "-r requirements/base.txt\n",
            "requirements-dev.txt": "-r requirements/base.txt\n-r requirements.txt\n",
            "requirements/base.txt": "torch\n",
            "docker-compose.yml": "services:\n  o:\n    image: ollama/ollama\n",
            "template.json": '{"Resources": {"E": {"Type": "AWS::SageMaker::Endpoint"}}}',
            "README.md": "---\nlibrary_name: transformers\n---\n",
            "AGENTS.md": "hello\n",
        }
    )
    tree = CountingTree(repo)
    components, _ = detect(tree, engine.load_catalogue(policy.load()))
    assert len(components) == 7
    assert max(tree.reads.values()) == 1
    assert "AGENTS.md" not in tree.reads  # the path alone decides


def test_a_large_model_costs_a_header_read(make_repo: MakeRepo) -> None:
    repo = make_repo({})
    with (repo / "big.safetensors").open("wb") as handle:
        header = b'{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}'
        handle.write(struct.pack("<Q", len(header)) + header)
        handle.truncate(1 << 30)
    tree = CountingTree(repo)
    components, problems = detect(tree, engine.load_catalogue(policy.load()))
    assert [c.id for c in components] == ["model:big.safetensors"]
    assert problems == ()
    assert tree.bytes["big.safetensors"] <= 4097


_SKLEARN = (
    b"\x80\x04\x95\x30\0\0\0\0\0\0\0\x8c\x1esklearn.linear_model._logistic\x94"
    b"\x8c\x12LogisticRegression\x94\x93\x94)\x81\x94."
)
_TORCH_ZIP = b"PK\x03\x04\x00\x00\x08\x00" + b"\0" * 22 + b"archive/data.pklFB\x00"
HEADERS = {
    ".gguf": (b"GGUF\x03\0\0\0", b"GGML-ish text"),
    ".ggml": (b"tjgg\x01\0\0\0", b"ggm"),
    ".safetensors": (struct.pack("<Q", 2) + b"{}", b"{}"),
    ".h5": (b"\x89HDF\r\n\x1a\n\0\0model_config\0{", b"\x89HDF\r\n\x1a\n\0\0data\0"),
    ".hdf5": (b"\0" * 512 + b"\x89HDF\r\n\x1a\nkeras_version", b"\0" * 600),
    ".keras": (b"PK\x03\x04", b"keras"),
    ".pt": (b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.", b"pt"),
    ".pth": (_TORCH_ZIP, b"\x80\x09"),
    ".ckpt": (_TORCH_ZIP, b"model_checkpoint_path"),
    ".bin": (_TORCH_ZIP, b"PK\x03\x04"),
    ".onnx": (b"\x08\x07", b"\x0a\x00"),
    ".pb": (b"\x0a\x05", b"text"),
    ".mlmodel": (b"\x08\x04", b"\x00"),
    ".tflite": (b"\x1c\0\0\0TFL3", b"\x1c\0\0\0TFL2"),
    ".joblib": (zlib.compress(_SKLEARN), b"{}"),
    ".pkl": (
        _SKLEARN,
        _SKLEARN.replace(b"sklearn.linear_model._logistic", b"pandas.core.frame.DataFram"),
    ),
    ".pickle": (b"\x80\x03ctorch._utils\n_rebuild_tensor_v2\nq\x00.", b"plain"),
    ".llamafile": (b"MZqFpD='", b"#!/bin/sh"),
}


def test_every_header_check_is_covered() -> None:
    assert set(HEADERS) == set(CHECKS)


@pytest.mark.parametrize("ext", sorted(HEADERS))
def test_model_header_confirms_or_rejects(ext: str, make_repo: MakeRepo) -> None:
    good, bad = HEADERS[ext]
    stem = {".bin": "pytorch_model", ".pb": "saved_model"}.get(ext, "weights")
    repo = make_repo({f"good/{stem}{ext}": good, f"bad/{stem}{ext}": bad})
    components, problems = detect(WorkTree(repo), engine.load_catalogue(policy.load()))
    assert [c.id for c in components] == [f"model:good/{stem}{ext}"]
    assert problems == ()
