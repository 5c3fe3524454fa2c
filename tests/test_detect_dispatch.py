"""The fast paths of detection find exactly what the slow ones did.

The dispatch table asks a detector only about the files it declared an interest in; each
declaration must cover every file its ``wants`` accepts. The prefilters (a host's last label,
a CDN URL's hint, import lines found by a search for ``import``) and the trie-shaped
alternations must be conditions the full patterns imply, or equal to them.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kigate import engine, policy
from kigate.detect import _detectors, browser, containers, detect, hosts, source_imports
from kigate.detect.base import Context
from kigate.detect.catalogue import Catalogue
from kigate.detect.dispatch import Dispatch, interest_of
from kigate.detect.literals import by_first_byte, on_lines_with, trie
from kigate.model import Component
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "repos"
CATALOGUE: Catalogue = engine.load_catalogue(policy.load())


def _fixture_paths() -> set[str]:
    paths: set[str] = set()
    for index, file in enumerate((FIXTURES / "cases.py", FIXTURES / "breadth.py")):
        spec = importlib.util.spec_from_file_location(f"kigate_dispatch_cases{index}", file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        for case in module.CASES:
            paths.update(case.files)
            paths.update(getattr(case, "links", {}))
    return paths


def _declared_names(ctx: Context) -> set[str]:
    """Every name, extension, prefix and folder some detector declares, as file names."""
    names: set[str] = set()
    for detector in _detectors():
        interest = interest_of(detector, ctx)
        assert interest is not None, f"{detector.name} declares no interest"
        names.update(interest.names)
        for ext in interest.extensions:
            names.update({f"x{ext}", ext, f"a.b{ext}", f"x{ext}.bak"})
        for prefix in interest.prefixes:
            names.update({prefix, f"{prefix}.local", f"{prefix}x", f"x{prefix}"})
        for folder in interest.folders:
            names.update({f"{folder}x.md", f"sub/{folder}deep/x.txt", folder.rstrip("/")})
    return names


def _variants(name: str) -> set[str]:
    spelled = {name, name.lower(), name.upper(), name.title(), name.swapcase()}
    placed = {f"{d}{n}" for n in spelled for d in ("", "a/", "tests/", "requirements/", ".x/")}
    return placed


TRICKY = {
    "requirements/.txt", ".txt", ".in", "Dockerfile.dev", "x.Dockerfile", "dockerfile",
    ".env", ".env.local", "prod.env", "README.MD", "readme.md", "Modelfile", "x.modelfile",
    "libs.versions.toml", "tfjs/model.json", "weights_manifest.json", "my_model.json",
    "environment.yml", "conda-env.yaml", "saved_model.pb", "data.pb", "model.GGUF",
    "package-lock.json", "yarn.lock", ".github/workflows/ci.yml", "Makefile", "Procfile",
    ".cursor/rules/a.mdc", ".github/copilot-instructions.md", "x.R", "x.Rmd", "noext", ".",
    "a.", "..", "x..env",
}  # fmt: skip


def _corpus(ctx: Context) -> list[str]:
    paths = _fixture_paths() | TRICKY
    for name in _declared_names(ctx) | TRICKY:
        paths |= _variants(name)
    return sorted(p for p in paths if p and not p.endswith("/"))


def _asked(detectors: tuple[object, ...], path: str, ctx: Context) -> list[object]:
    base = path.rsplit("/", 1)[-1]
    return [d for d in detectors if d.wants(path, base, ctx) is not None]  # type: ignore[attr-defined]


def test_the_table_offers_every_detector_that_wants_a_file(tmp_path: Path) -> None:
    ctx = Context(tree=WorkTree(tmp_path, use_git=False), files=(), catalogue=CATALOGUE)
    detectors = _detectors()
    dispatch = Dispatch(detectors, ctx)
    corpus = _corpus(ctx)
    assert len(corpus) > 2000
    for path in corpus:
        base = path.rsplit("/", 1)[-1]
        offered = dispatch.candidates(path, base)
        assert list(offered) == sorted(offered, key=detectors.index), path
        assert _asked(offered, path, ctx) == _asked(detectors, path, ctx), path


_PATH_PIECES = ["a", "/", ".", "x", "requirements", ".env", "Dockerfile", "model", ".json",
                ".py", ".cursor", "rules", ".github", "AGENTS.md", "txt", ".in", "-", "_",
                "README.md"]  # fmt: skip


@given(st.lists(st.sampled_from(_PATH_PIECES), min_size=1, max_size=8))
def test_the_table_agrees_with_asking_everyone_on_any_path(parts: list[str]) -> None:
    path = "".join(parts).strip("/").replace("//", "/")
    if not path:
        return
    ctx = Context(tree=WorkTree(Path("/nonexistent"), use_git=False), files=(), catalogue=CATALOGUE)
    detectors = _detectors()
    offered = Dispatch(detectors, ctx).candidates(path, path.rsplit("/", 1)[-1])
    assert _asked(offered, path, ctx) == _asked(detectors, path, ctx)


class _EveryPath:
    """A detector that declares nothing: it must be asked about every file."""

    name = "every-path"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        self.asked.append(path)
        return None

    def scan(self, path: str, data: bytes, ctx: Context) -> list[Component]:
        return []


def test_a_detector_that_declares_nothing_is_asked_about_every_file(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo({"a.py": "import openai\n", "b/c.unknown": "x", "Makefile": "all:\n"})
    spy = _EveryPath()
    components, _ = detect(WorkTree(repo), CATALOGUE, (*_detectors(), spy))
    assert spy.asked == ["Makefile", "a.py", "b/c.unknown"]
    assert [c.id for c in components] == ["pypi:openai"]


# --- literal sets --------------------------------------------------------------------------

_WORDS = st.lists(st.text("ab.c", min_size=0, max_size=4).map(str.encode), min_size=1, max_size=6)
_TEXT = st.text("ab.c '/x\n", max_size=40).map(str.encode)
_AFTER = [b"", rb"(?![\w.])", rb"(?:/[^'\s]*)?'", rb"(?:\.[\w.]+)?(?![\w])"]


def _flat(words: list[bytes]) -> bytes:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return b"|".join(re.escape(w) for w in ordered)


@given(_WORDS, _TEXT, st.sampled_from(_AFTER))
def test_a_trie_matches_as_the_longest_first_list(
    words: list[bytes], text: bytes, after: bytes
) -> None:
    fast = re.compile(b"'?(" + trie(words) + b")" + after)
    slow = re.compile(b"'?(" + _flat(words) + b")" + after)
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
        (m.span(), m.groups()) for m in slow.finditer(text)
    ]


@given(_WORDS, _TEXT)
def test_patterns_by_first_byte_find_what_the_list_finds(words: list[bytes], text: bytes) -> None:
    present = [w for w in words if w]
    patterns = by_first_byte(words, rb"(?![\w-])")
    slow = re.compile(b"(?:" + _flat(present) + rb")(?![\w-])") if present else None
    expected = slow is not None and slow.search(text) is not None
    assert any(p.search(text) for p in patterns) == expected


def test_a_long_word_makes_a_plain_alternation_not_a_deep_trie() -> None:
    long = b"a" * 5000
    pattern = re.compile(trie([long, b"ab"]))
    assert pattern.fullmatch(long) and pattern.fullmatch(b"ab")


# --- import lines --------------------------------------------------------------------------

_PY_PIECES = ["import ", "from ", "openai", "torch", "sklearn.linear_model", " as x", ", ",
              "\n", " ", "\t", "(", "os", "'''", "#", "import", "x"]  # fmt: skip


@given(st.lists(st.sampled_from(_PY_PIECES), max_size=30))
def test_import_lines_are_found_as_a_walk_over_every_position_finds_them(
    pieces: list[str],
) -> None:
    data = "".join(pieces).encode()
    pats = source_imports.build(CATALOGUE)
    for pattern in (pats.python, pats.jvm):
        assert pattern is not None
        walked = [(m.span(), m.groups()) for m in on_lines_with(b"import", pattern, data)]
        assert walked == [(m.span(), m.groups()) for m in pattern.finditer(data)]


# --- hosts and CDN URLs -------------------------------------------------------------------


def _hosts() -> list[str]:
    return sorted({h for r in CATALOGUE.rules("service") for h in r.hosts})


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_hosts()).map(lambda h: h.replace("*.", "eu.")),
            st.sampled_from(["x", ".", "-", "/", ":", " ", "\n", "a.", "com", "ai", "_"]),
        ),
        max_size=12,
    )
)
def test_the_host_prefilter_drops_only_files_without_a_host(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    pattern = hosts.build(CATALOGUE)
    assert pattern is not None
    always = hosts.HostPattern(
        (re.compile(b""),), pattern.anchors, pattern.regex, pattern.exact, pattern.suffixes
    )
    assert list(hosts.find_hosts(pattern, data)) == list(hosts.find_hosts(always, data))


_CDN = ["https://cdn.jsdelivr.net/npm/", "//unpkg.com/", "https://esm.sh/v135/", "esm.run/",
        "https://cdn.skypack.dev/", "https://ga.jspm.io/npm:", "https://jspm.dev/",
        "https://cdnjs.cloudflare.com/ajax/libs/", "fastly.jsdelivr.net/npm/"]  # fmt: skip


@pytest.mark.parametrize("prefix", _CDN)
def test_every_cdn_url_carries_the_hint(prefix: str) -> None:
    for rest in ("@tensorflow/tfjs@4", "onnxruntime-web/dist/ort.js", "x"):
        url = (prefix + rest).encode()
        if browser._URL.search(url):
            assert browser._URL_HINT.search(url), url


@given(st.lists(st.sampled_from([*_CDN, "x", "/", ".", "'", '"', " ", "\n", "@a/b"]), max_size=8))
def test_no_cdn_url_without_the_hint(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    if browser._URL.search(data):
        assert browser._URL_HINT.search(data)


def test_the_corpus_covers_each_declaration_kind() -> None:
    # guards the guard: the equivalence test above sees names, extensions, prefixes, folders
    ctx = Context(tree=WorkTree(Path("/nonexistent"), use_git=False), files=(), catalogue=CATALOGUE)
    interests = [interest_of(d, ctx) for d in _detectors()]
    kinds = [(i.names, i.extensions, i.prefixes, i.folders) for i in interests if i is not None]
    assert all(any(kind[n] for kind in kinds) for n in range(4))
    assert list(itertools.chain.from_iterable(k[3] for k in kinds))


_YAML = ["services:\n", "  app:\n", "    image: ollama/ollama\n", "    environment:\n",
         "      - OPENAI_API_KEY=x\n", "      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n",
         "      - name: HF_TOKEN\n", "x_y: 1\n", "uses: actions/ai-inference@v1\n", "# c\n",
         "IMAGE: x\n", "export GROQ_API_KEY=1\n", "OPENAI_KEY=2\n", " ", "\n"]  # fmt: skip


@given(
    st.lists(st.sampled_from(_YAML), max_size=10),
    st.sampled_from(["compose.yml", ".env", ".github/workflows/ci.yml", "Dockerfile"]),
)
def test_the_key_hint_skips_only_files_without_a_key(lines: list[str], path: str) -> None:
    data = "".join(lines).encode()
    tree = WorkTree(Path("/nonexistent"), use_git=False)
    fast = Context(tree=tree, files=(), catalogue=CATALOGUE)
    slow = Context(tree=tree, files=(), catalogue=CATALOGUE)
    slow.state["containers.env-hint"] = re.compile(b"")  # every file may hold a key
    assert list(containers.DETECTOR.scan(path, data, fast)) == list(
        containers.DETECTOR.scan(path, data, slow)
    )
    assert fast.problems == slow.problems
