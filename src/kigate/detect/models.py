"""Model artefacts: weights by extension, confirmed by their header bytes; Git LFS pointers
for such paths; Hugging Face model cards; Ollama Modelfiles. Only headers are ever read."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kigate.detect.base import Context, component, extension
from kigate.detect.catalogue import Rule
from kigate.model import Component, Evidence, Scope

HEADER = 4096
PICKLE_HEADER = 64 << 10  # a pickle names the classes it holds near its start
CARD_BYTES = 64 << 10
LFS = b"version https://git-lfs.github.com/spec/"
HDF5 = b"\x89HDF\r\n\x1a\n"
# Module names in a pickle's opening bytes; protocols 0-3 glue the GLOBAL opcode "c" on.
_ML_MODULES = re.compile(
    rb"(?<![A-Za-z0-9_])c?(?:sklearn|torch|xgboost|lightgbm|catboost|keras|tensorflow|transformers)\b"
)
_CARD_KEYS = re.compile(r"^(library_name|pipeline_tag|base_model)\s*:\s*(.*)$", re.MULTILINE)
_FROM = re.compile(r"^\s*FROM\s+(\S+)", re.IGNORECASE | re.MULTILINE)


def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _pickle(head: bytes) -> bool:
    return len(head) > 1 and head[0] == 0x80 and 2 <= head[1] <= 5


def _hdf5(head: bytes) -> bool:
    # The superblock sits at 0 or after a user block of 512, 1024, 2048 bytes.
    return any(head[at : at + 8] == HDF5 for at in (0, 512, 1024, 2048))


def _safetensors(head: bytes) -> bool:
    size = int.from_bytes(head[:8], "little") if len(head) >= 9 else 0
    return 0 < size < (100 << 20) and head[8:9] == b"{"


def _protobuf(head: bytes) -> bool:
    return len(head) > 1 and head[0] in (0x08, 0x0A, 0x12)


def _compressed_pickle(head: bytes) -> bool:
    return _pickle(head) or head[:1] == b"x" or head.startswith((b"\x1f\x8b", b"\xfd7zXZ", b"BZh"))


# Header checks per extension; an extension a catalogue adds without a check counts as is.
CHECKS: dict[str, Callable[[bytes], bool]] = {
    ".gguf": lambda h: h.startswith(b"GGUF"),
    ".ggml": lambda h: h[:4] in (b"lmgg", b"fmgg", b"tjgg", b"algg", b"ggml", b"ggjt", b"GGUF"),
    ".safetensors": _safetensors,
    ".h5": _hdf5,
    ".hdf5": _hdf5,
    ".keras": lambda h: _zip(h) or _hdf5(h),
    ".pt": lambda h: _zip(h) or _pickle(h),
    ".pth": lambda h: _zip(h) or _pickle(h),
    ".ckpt": lambda h: _zip(h) or _pickle(h),
    ".bin": lambda h: _zip(h) or _pickle(h),
    ".onnx": lambda h: h[:1] == b"\x08",
    ".pb": _protobuf,
    ".mlmodel": lambda h: h[:1] == b"\x08",
    ".tflite": lambda h: h[4:8] == b"TFL3",
    ".joblib": _compressed_pickle,
    ".pkl": lambda h: _pickle(h) and bool(_ML_MODULES.search(h)),
    ".pickle": lambda h: _pickle(h) and bool(_ML_MODULES.search(h)),
    ".llamafile": lambda h: h.startswith((b"MZqFpD", b"MZ", b"\x7fELF")),
}
# Extensions too generic to trust everywhere: only these file names count.
_NAMED_ONLY = {
    ".bin": re.compile(r"^(?:pytorch_model|model|tf_model|flax_model)(?:-\d+-of-\d+)?\.bin$"),
    ".pb": re.compile(r"^(?:saved_model|.*(?:model|graph|frozen).*)\.pb$", re.IGNORECASE),
}


def _extensions(ctx: Context) -> frozenset[str]:
    known = ctx.state.get("model-artefacts.extensions")
    if not isinstance(known, frozenset):
        known = frozenset(
            n for r in ctx.catalogue.rules("model") for n in r.names if n.startswith(".")
        )
        ctx.state["model-artefacts.extensions"] = known
    return known


class Models:
    name = "model-artefacts"

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        lowered = base.lower()
        if lowered == "readme.md":
            return CARD_BYTES
        if lowered == "modelfile" or lowered.endswith(".modelfile"):
            return CARD_BYTES
        ext = extension(base)
        if not ext or ext not in _extensions(ctx) or not self._is_model_name(base, ext):
            return None
        return PICKLE_HEADER if ext in (".pkl", ".pickle") else HEADER

    def _is_model_name(self, base: str, ext: str) -> bool:
        named = _NAMED_ONLY.get(ext)
        return named is None or bool(named.match(base))

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        base = path.rsplit("/", 1)[-1]
        lowered = base.lower()
        if lowered == "readme.md":
            return self._card(ctx, path, data)
        if lowered == "modelfile" or lowered.endswith(".modelfile"):
            return self._modelfile(ctx, path, data)
        ext = extension(base)
        rule = ctx.catalogue.match("model", ext)
        if rule is None:
            return []
        if data.startswith(LFS):
            what = "git-lfs pointer"
        else:
            check = CHECKS.get(ext)
            if check is not None and not check(data[:PICKLE_HEADER]):
                return []
            what = f"{ext[1:]} header" if check is not None else f"{ext} file"
        return [self._artefact(path, rule, what)]

    def _artefact(self, path: str, rule: Rule, what: str, line: int | None = None) -> Component:
        return component("model", path, rule, Scope.PRODUCT, Evidence(path, line, what, "model"))

    def _card(self, ctx: Context, path: str, data: bytes) -> list[Component]:
        if not data.startswith(b"---"):
            return []
        text = data.decode("utf-8", "replace")
        end = text.find("\n---", 3)
        if end < 0:
            return []
        keys = list(_CARD_KEYS.finditer(text, 0, end))
        rule = ctx.catalogue.match("model", "model-card")
        if not keys or rule is None:
            return []
        first = keys[0]
        what = f"{first.group(1)}: {first.group(2).strip()}"[:120]
        return [self._artefact(path, rule, what, text.count("\n", 0, first.start()) + 1)]

    def _modelfile(self, ctx: Context, path: str, data: bytes) -> list[Component]:
        text = data.decode("utf-8", "replace")
        found = _FROM.search(text)
        rule = ctx.catalogue.match("model", "modelfile")
        if found is None or rule is None:
            return []
        line = text.count("\n", 0, found.start()) + 1
        return [self._artefact(path, rule, f"FROM {found.group(1)}", line)]


DETECTOR = Models()
