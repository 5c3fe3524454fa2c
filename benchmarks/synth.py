"""Deterministic synthetic repositories for benchmarks (1k, 10k, 100k files, ...).

The mix looks like a real polyglot monorepo: packages with Python, TypeScript, Go and Java
sources, manifests, docs, configuration, images, a few model files (one sparse and large)
and a small share of files that really use AI. Same ``files`` and ``seed`` -> same bytes.

    python benchmarks/synth.py /tmp/synth-10k --files 10000 --seed 1 [--git]

or, from another benchmark::

    from synth import generate
    generate(Path("/tmp/synth"), files=10_000, seed=1)
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

WORDS = (
    "model", "order", "invoice", "customer", "account", "ai", "torch", "openapi", "session",
    "token", "cache", "build", "report", "value", "price", "stock", "user", "queue", "event",
    "handler", "service", "client", "route", "schema", "policy", "review", "transformer",
    "pipeline", "vector", "store", "agent", "prompt", "chain", "email", "validator",
)  # fmt: skip
PY_STDLIB = ("os", "sys", "json", "re", "logging", "pathlib", "typing", "dataclasses", "asyncio")
PY_AI = ("openai", "anthropic", "torch", "transformers", "langchain_openai", "sklearn.pipeline")
JS_LIBS = ("react", "express", "lodash", "zod", "./util", "../model", "axios")
JS_AI = ("openai", "@anthropic-ai/sdk", "@langchain/openai", "ai")
GO_AI = ("github.com/sashabaranov/go-openai", "github.com/tmc/langchaingo/llms")
AI_SHARE = 0.01  # one file in a hundred really uses AI


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _python(rng: random.Random) -> str:
    lines = [f'"""{_sentence(rng)}."""', ""]
    lines += [f"import {m}" for m in rng.sample(PY_STDLIB, 3)]
    if rng.random() < AI_SHARE:
        lines.append(f"import {rng.choice(PY_AI)}")
    for i in range(rng.randint(3, 25)):
        lines += [
            "",
            f"def {rng.choice(WORDS)}_{i}(value: int) -> int:",
            f'    """{_sentence(rng, 8)}."""',
            f"    # {_sentence(rng, 6)}",
            f"    return value * {i} + len({_sentence(rng, 2)!r})",
        ]
    return "\n".join(lines) + "\n"


def _typescript(rng: random.Random) -> str:
    libs = [*rng.sample(JS_LIBS, 3)]
    if rng.random() < AI_SHARE:
        libs.append(rng.choice(JS_AI))
    lines = [f"import {{ x{i} }} from '{lib}';" for i, lib in enumerate(libs)]
    for i in range(rng.randint(3, 25)):
        lines += [
            f"// {_sentence(rng, 6)}",
            f"export function {rng.choice(WORDS)}{i}(a: number): number {{",
            f"  return a * {i} + '{_sentence(rng, 3)}'.length;",
            "}",
        ]
    return "\n".join(lines) + "\n"


def _go(rng: random.Random) -> str:
    imports = ['"fmt"', '"strings"']
    if rng.random() < AI_SHARE:
        imports.append(f'"{rng.choice(GO_AI)}"')
    body = "\n".join(
        f'func F{i}() string {{ return strings.ToUpper("{_sentence(rng, 4)}") }}'
        for i in range(rng.randint(3, 20))
    )
    return (
        "package pkg\n\nimport (\n\t"
        + "\n\t".join(imports)
        + f"\n)\n\nvar _ = fmt.Sprint\n{body}\n"
    )


def _java(rng: random.Random) -> str:
    extra = (
        "import dev.langchain4j.model.chat.ChatLanguageModel;\n" if rng.random() < AI_SHARE else ""
    )
    methods = "\n".join(
        f'    public String m{i}() {{ return "{_sentence(rng, 4)}"; }}'
        for i in range(rng.randint(3, 20))
    )
    head = f"package org.example;\n\nimport java.util.List;\n{extra}\n"
    return head + f"public class C {{\n{methods}\n}}\n"


def _markdown(rng: random.Random) -> str:
    paras = [_sentence(rng, 40) for _ in range(rng.randint(2, 10))]
    return "# " + _sentence(rng, 4) + "\n\n" + "\n\n".join(paras) + "\n"


def _yaml(rng: random.Random) -> str:
    return "\n".join(f"{rng.choice(WORDS)}_{i}: {_sentence(rng, 3)}" for i in range(30)) + "\n"


def _json(rng: random.Random) -> str:
    items = ", ".join(f'"{rng.choice(WORDS)}{i}": "{_sentence(rng, 3)}"' for i in range(30))
    return "{" + items + "}\n"


def _png(rng: random.Random) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(500, 8000))


Maker = Callable[[random.Random], "str | bytes"]
MIX: tuple[tuple[str, float, Maker], ...] = (
    (".py", 0.34, _python),
    (".ts", 0.20, _typescript),
    (".go", 0.06, _go),
    (".java", 0.06, _java),
    (".md", 0.12, _markdown),
    (".yaml", 0.08, _yaml),
    (".json", 0.08, _json),
    (".png", 0.06, _png),
)


def _manifest(rng: random.Random, package: int) -> dict[str, str]:
    ai = package % 10 == 3  # a tenth of the packages declares AI
    sdk = ', "@anthropic-ai/sdk": "^0.27"' if ai else ""
    return {
        "requirements.txt": "requests\nflask\n" + ("openai>=1\n" if ai else "openapi-core\n"),
        "package.json": f'{{"name": "p{package}", "dependencies": {{"react": "^18"{sdk}}}}}\n',
    }


def generate(root: Path, files: int, seed: int = 1) -> None:
    """Write ``files`` files below ``root`` (which must not exist or be empty)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    per_package = 200
    written = 0
    package = 0
    while written < files:
        base = f"packages/p{package:04d}"
        for name, text in _manifest(rng, package).items():
            if written < files:
                _write(root / base / name, text)
                written += 1
        for i in range(min(per_package, files - written)):
            ext, maker = _pick(rng)
            sub = rng.choice(("src", "src/core", "lib", "tests", "docs"))
            _write(root / base / sub / f"{rng.choice(WORDS)}_{i}{ext}", maker(rng))
            written += 1
        package += 1
    # Model artefacts: small real headers, and one 2 GiB sparse file only a header-reader survives.
    models = root / "models"
    models.mkdir(exist_ok=True)
    _write(models / "ranker.onnx", b"\x08\x07\x12\x07pytorch" + rng.randbytes(4096))
    with (models / "llm.gguf").open("wb") as handle:
        handle.write(b"GGUF\x03\x00\x00\x00")
        handle.truncate(2 << 30)


def _pick(rng: random.Random) -> tuple[str, Maker]:
    roll = rng.random()
    for ext, share, maker in MIX:
        if roll < share:
            return ext, maker
        roll -= share
    return MIX[0][0], MIX[0][2]


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def commit(root: Path) -> None:
    """Make ``root`` a git repository with everything committed (git grep needs the index)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    # The sparse 2 GiB model stays untracked (kigate still lists it): hashing it is slow.
    add = ["add", "-A", "--", ".", ":!models/llm.gguf"]
    for args in (["init", "-q"], add, ["commit", "-q", "-m", "synthetic"]):
        subprocess.run(
            ["git", "-c", "init.defaultBranch=main", *args], cwd=root, env=env, check=True
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--git", action="store_true", help="also git init and commit")
    args = parser.parse_args(argv)
    if args.root.exists() and any(args.root.iterdir()):
        print(f"{args.root}: not empty; choose a new directory", file=sys.stderr)
        return 2
    generate(args.root, args.files, args.seed)
    if args.git:
        commit(args.root)
    print(f"{args.root}: {args.files} files (seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
