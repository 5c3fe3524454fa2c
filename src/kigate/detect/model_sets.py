"""Models that one file announces for others: Git LFS rules in ``.gitattributes`` that route
model files through LFS (evidence even when no model file is checked out), and TensorFlow.js
``model.json`` files with the weight shards their manifest names.

Both depend on which other files exist, so this detector is never cached (a Finisher): it
runs on these few small files in every run.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Iterator

from kigate import _json, i18n
from kigate.detect.base import Context, Interest, component, extension, line_at
from kigate.detect.literals import Lazy
from kigate.model import Component, Evidence, Scope

MAX_BYTES = 4 << 20
MAX_LINE = 4096
MAX_SHARDS = 64
# Formats that are models whatever their content: an LFS rule for them routes model weights.
# (.bin, .h5, .pkl, .pb are data as often: an LFS rule for them says nothing.)
LFS_MODEL_EXTENSIONS = frozenset(
    {".gguf", ".ggml", ".safetensors", ".onnx", ".tflite", ".mlmodel", ".llamafile", ".keras",
     ".nemo", ".caffemodel", ".pt", ".pth", ".ckpt"}
)  # fmt: skip
_TFJS_KEYS = Lazy(rb'"(modelTopology|weightsManifest)"\s*:')
_PATHS = Lazy(rb'"paths"\s*:\s*\[([^\]]{0,65536})\]')


def _is_tfjs_name(base: str) -> bool:
    lowered = base.lower()
    return lowered.endswith("model.json") or lowered == "weights_manifest.json"


class ModelSets:
    name = "model-sets"

    def interest(self, ctx: Context) -> Interest:
        # every name ending in "model.json" ends in ".json"
        return Interest(
            extensions=frozenset({".json"}),
            names=frozenset({".gitattributes", "weights_manifest.json"}),
        )

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        if base == ".gitattributes" or _is_tfjs_name(base):
            return MAX_BYTES
        return None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        attributes = path.rsplit("/", 1)[-1] == ".gitattributes"
        if len(data) > MAX_BYTES:
            if attributes:  # the host detector reports the size of JSON files
                ctx.problem(path, i18n.t("detect.too_large", limit=MAX_BYTES // 1024))
            return []
        if attributes:
            return list(self._lfs(ctx, path, data))
        return list(self._tfjs(ctx, path, data))

    def finish(self, ctx: Context) -> Iterable[Component]:
        return []

    def _lfs(self, ctx: Context, path: str, data: bytes) -> Iterator[Component]:
        rule = ctx.catalogue.match("model", "git-lfs-rule")
        if rule is None:
            return
        folder = path[: -len(".gitattributes")]
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if b"filter=lfs" not in raw:
                continue
            if len(raw) > MAX_LINE:
                ctx.problem(path, i18n.t("detection.bad_gitattributes"), number)
                continue
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                ctx.problem(path, i18n.t("detection.bad_gitattributes"), number)
                continue
            words = line.split()
            if not words or line.startswith("#") or "filter=lfs" not in words[1:]:
                continue
            pattern = words[0]
            if extension(pattern.rsplit("/", 1)[-1]) not in LFS_MODEL_EXTENSIONS:
                continue
            if _matches_a_file(ctx, folder, pattern):
                continue  # that file is reported itself, with its own evidence
            evidence = Evidence(path, number, line[:200], "model")
            yield component("model", path, rule, Scope.PRODUCT, evidence)

    def _tfjs(self, ctx: Context, path: str, data: bytes) -> Iterator[Component]:
        found = _TFJS_KEYS.search(data, 0, 1 << 20)
        rule = ctx.catalogue.match("model", "tfjs-model")
        if found is None or rule is None or not data.lstrip().startswith(b"{"):
            return
        what = f"tensorflow.js {found.group(1).decode()}"
        line = line_at(data, found.start())
        yield component("model", path, rule, Scope.PRODUCT, Evidence(path, line, what, "model"))
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        shards = 0
        for listing in _PATHS.finditer(data):
            try:
                names = _json.loads("[" + listing.group(1).decode("utf-8", "replace") + "]")
            except (ValueError, RecursionError) as exc:
                # the position inside the listing would mislead: the line says where
                detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)[:200]
                line = line_at(data, listing.start())
                ctx.problem(path, i18n.t("detection.bad_model_json", detail=detail), line)
                return
            for name in names:
                shard = _join(folder, name) if isinstance(name, str) else None
                if shard is None or not ctx.has_file(shard) or shards >= MAX_SHARDS:
                    continue
                shards += 1
                evidence = Evidence(shard, None, "tensorflow.js weight shard", "model")
                yield component("model", path, rule, Scope.PRODUCT, evidence)


def _join(folder: str, name: str) -> str | None:
    """``name`` relative to ``folder``, or None if it leaves the repository or is a URL."""
    if "://" in name or name.startswith("/"):
        return None
    parts: list[str] = [p for p in folder.split("/") if p]
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _by_extension(ctx: Context) -> dict[str, list[str]]:
    """The listed files by extension, built once per run (LFS rules name extensions)."""
    found = ctx.state.get("model-sets.by-extension")
    if not isinstance(found, dict):
        found = {}
        for file in ctx.files:
            found.setdefault(extension(file.rsplit("/", 1)[-1]), []).append(file)
        ctx.state["model-sets.by-extension"] = found
    return found


def _matches_a_file(ctx: Context, folder: str, pattern: str) -> bool:
    """Whether a listed file under ``folder`` matches the gitattributes ``pattern``."""
    anchored = "/" in pattern.rstrip("/")
    wanted = pattern.lstrip("/")
    ext = extension(wanted.rsplit("/", 1)[-1])
    for file in _by_extension(ctx).get(ext, ()):
        if not file.startswith(folder):
            continue
        rest = file[len(folder) :]
        subject = rest if anchored else rest.rsplit("/", 1)[-1]
        if fnmatch.fnmatchcase(subject, wanted.replace("**/", "*")):
            return True
    return False


DETECTOR = ModelSets()
