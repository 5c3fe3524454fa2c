"""Model artefacts: weights by extension, confirmed by their header bytes; Git LFS pointers
for such paths; Hugging Face model cards; Ollama Modelfiles. Only headers are ever read.

Where an extension is shared with data (.h5, .pkl, .bin, .pt), the content alone decides:
Keras attributes in the HDF5 header, a pickle's opcode stream naming an ML class (read, never
unpickled), a torch zip. A symbolic link is never followed: named like an unambiguous format it
is a model by its name, else a warning that it was not examined."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kigate import i18n
from kigate.detect.base import PATH_ONLY, Context, Interest, component, extension, is_link
from kigate.detect.catalogue import Rule
from kigate.detect.literals import Lazy
from kigate.detect.pickles import TORCH_MAGIC, inflate, references
from kigate.model import Component, Evidence, Scope

HEADER = 4096
PICKLE_HEADER = 64 << 10  # a pickle names the classes it holds near its start
HDF5_HEADER = 256 << 10  # the root group's attributes (Keras' model_config) come first
CARD_BYTES = 64 << 10
LFS = b"version https://git-lfs.github.com/spec/"
HDF5 = b"\x89HDF\r\n\x1a\n"
# Attribute and group names only Keras / TensorFlow write into an HDF5 file.
_KERAS_ATTRIBUTES = Lazy(
    rb"model_config|keras_version|layer_names|weight_names|training_config"
    rb"|_layer_checkpoint_dependencies|model_weights"
)
# Packages whose classes in a pickle make it a model: the catalogue's frameworks and model
# libraries (as import names), and these that are ML whatever catalogue is in use.
_ML_CATEGORIES = frozenset({"ml-framework", "model-library"})
_ML_TOPS = frozenset({"sklearn", "torch", "xgboost", "lightgbm", "catboost", "keras", "tensorflow"})
_CARD_KEYS = Lazy(r"^(library_name|pipeline_tag|base_model)\s*:\s*(.*)$", re.MULTILINE)
_FROM = Lazy(r"^\s*FROM\s+(\S+)", re.IGNORECASE | re.MULTILINE)


def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _hdf5(head: bytes) -> bool:
    # The superblock sits at 0 or after a user block of 512, 1024, 2048 bytes.
    return any(head[at : at + 8] == HDF5 for at in (0, 512, 1024, 2048))


def _safetensors(head: bytes) -> bool:
    size = int.from_bytes(head[:8], "little") if len(head) >= 9 else 0
    return 0 < size < (100 << 20) and head[8:9] == b"{"


def _protobuf(head: bytes) -> bool:
    return len(head) > 1 and head[0] in (0x08, 0x0A, 0x12)


def _keras_hdf5(head: bytes) -> bool:
    # HDF5 alone is scientific data as often as a model: Keras attributes decide.
    return _hdf5(head) and _KERAS_ATTRIBUTES.search(head) is not None


def _torch_zip(head: bytes) -> bool:
    # torch.save() and TorchScript write a zip whose records name data.pkl.
    return _zip(head) and b"data.pkl" in head


def _gguf_or_ggml(head: bytes) -> bool:
    return head[:4] in (b"GGUF", b"lmgg", b"fmgg", b"tjgg", b"algg", b"ggml", b"ggjt")


def _ml_pickle(head: bytes, tops: frozenset[str]) -> bool:
    """A pickle (maybe compressed) that names a class of an ML package, or legacy torch."""
    if TORCH_MAGIC in head[:64]:
        return True
    return references(inflate(head), tops) is not None


def _weights(head: bytes, tops: frozenset[str]) -> bool:
    """.pt, .pth, .ckpt, .bin: a torch zip, a pickle of ML classes, safetensors or GGUF."""
    return _torch_zip(head) or _safetensors(head) or _gguf_or_ggml(head) or _ml_pickle(head, tops)


# Header checks per extension, given the header and the top-level names of the ML packages;
# an extension a catalogue adds without a check counts as is. Where the extension is shared
# with data (.h5, .pkl, .bin, .pt), the content alone decides.
Check = Callable[[bytes, frozenset[str]], bool]
CHECKS: dict[str, Check] = {
    ".gguf": lambda h, _: h.startswith(b"GGUF"),
    ".ggml": lambda h, _: _gguf_or_ggml(h),
    ".safetensors": lambda h, _: _safetensors(h),
    ".h5": lambda h, _: _keras_hdf5(h),
    ".hdf5": lambda h, _: _keras_hdf5(h),
    ".keras": lambda h, _: _zip(h) or _keras_hdf5(h),
    ".pt": _weights,
    ".pth": _weights,
    ".ckpt": _weights,
    ".bin": _weights,
    ".onnx": lambda h, _: h[:1] == b"\x08",
    ".pb": lambda h, _: _protobuf(h),
    ".mlmodel": lambda h, _: h[:1] == b"\x08",
    ".tflite": lambda h, _: h[4:8] == b"TFL3",
    ".joblib": _ml_pickle,
    ".pkl": _ml_pickle,
    ".pickle": _ml_pickle,
    ".llamafile": lambda h, _: h.startswith((b"MZqFpD", b"MZ", b"\x7fELF")),
}
_PICKLED = frozenset({".pkl", ".pickle", ".joblib"})
_WEIGHTS = frozenset({".pt", ".pth", ".ckpt", ".bin"})
# Extensions whose bytes decide; a file of such a name that cannot be read is a warning,
# one of the others (.gguf, .onnx, ...) is a model by its name.
AMBIGUOUS = frozenset({".h5", ".hdf5", ".pb", *_PICKLED, *_WEIGHTS})
# Extensions too generic to trust everywhere: only these file names count.
_NAMED_ONLY = {
    ".pb": Lazy(r"^(?:saved_model|.*(?:model|graph|frozen).*)\.pb$", re.IGNORECASE),
}


def ml_tops(ctx: Context) -> frozenset[str]:
    """Top-level import names of the ML packages in the catalogue (``sklearn``, ``torch``)."""
    known = ctx.state.get("model-artefacts.ml-tops")
    if not isinstance(known, frozenset):
        tops = set(_ML_TOPS)
        for rule in ctx.catalogue.rules("pypi"):
            if rule.category in _ML_CATEGORIES:
                tops.update(n.replace("-", "_") for n in rule.names)
        for module, package in ctx.catalogue.imports("pypi").items():
            found = ctx.catalogue.match("pypi", package)
            if found is not None and found.category in _ML_CATEGORIES:
                tops.add(module.split(".")[0])
        known = ctx.state["model-artefacts.ml-tops"] = frozenset(tops)
    return known


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

    def interest(self, ctx: Context) -> Interest:
        return Interest(
            extensions=_extensions(ctx) | {".modelfile"},
            names=frozenset({"readme.md", "modelfile"}),
        )

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        lowered = base.lower()
        if lowered == "readme.md":
            return CARD_BYTES
        if lowered == "modelfile" or lowered.endswith(".modelfile"):
            return CARD_BYTES
        ext = extension(base)
        if not ext or ext not in _extensions(ctx) or not self._is_model_name(base, ext):
            return None
        if is_link(ctx, path):
            return PATH_ONLY  # named like a model: reported by name, the target not examined
        if ext in (".h5", ".hdf5", ".keras"):
            return HDF5_HEADER
        return PICKLE_HEADER if ext in _PICKLED or ext in _WEIGHTS else HEADER

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
        if is_link(ctx, path):
            if ext in AMBIGUOUS:
                ctx.problem(path, i18n.t("detection.link_not_examined"))
                return []
            return [self._artefact(path, rule, "symbolic link")]
        if data.startswith(LFS):
            what = "git-lfs pointer"
        else:
            check = CHECKS.get(ext)
            if check is not None and not check(data[:HDF5_HEADER], ml_tops(ctx)):
                return []
            what = f"{ext[1:]} header" if check is not None else f"{ext} file"
        return [self._artefact(path, rule, what)]

    def unexamined(self, path: str, ctx: Context) -> list[Component] | None:
        """A file of a model's name that could not be read (a dangling link, a link in the
        index): a model by its name where the name says it, else None (a warning)."""
        base = path.rsplit("/", 1)[-1]
        ext = extension(base)
        rule = ctx.catalogue.match("model", ext)
        if rule is None or ext in AMBIGUOUS or ext not in _extensions(ctx):
            return None
        return [self._artefact(path, rule, "unreadable file, by its name")]

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
