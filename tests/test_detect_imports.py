"""Import extraction as a property: generated source files report exactly the AI packages
they import in code, and nothing from comments, strings or near-miss names."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kigate import engine, policy
from kigate.detect import detect
from kigate.worktree import WorkTree

PY_AI = {
    "openai": "pypi:openai",
    "anthropic": "pypi:anthropic",
    "sklearn.svm": "pypi:scikit-learn",
    "langchain_openai": "pypi:langchain-openai",
    "transformers": "pypi:transformers",
}
PY_OTHER = ("os", "json", "openapi_core", "torchlight", "aiohttp", "email_validator", "models")
JS_AI = {
    "openai": "npm:openai",
    "@anthropic-ai/sdk": "npm:@anthropic-ai/sdk",
    "@langchain/core/messages": "npm:@langchain/core",
    "ai": "npm:ai",
}
JS_OTHER = ("react", "openapi-types", "./openai", "aieditor", "@ai/fake", "ai-utils")


def _python_line(module: str, form: int) -> str:
    return (
        f"import {module}",
        f"import {module} as alias_{form}",
        f"from {module} import thing",
        f"    import {module}",
        f"import os, {module}",
        f"from {module} import (\n    a,\n    b,\n)",
    )[form]


def _python_noise(module: str, form: int) -> str:
    return (
        f"# import {module}",
        f"text = 'import {module}'",
        f'"""\nimport {module}\n"""',
        f"print('from {module} import x')",
    )[form]


def _js_line(spec: str, form: int) -> str:
    return (
        f"import x from '{spec}';",
        f'import {{ a, b }} from "{spec}";',
        f"const m = require('{spec}');",
        f"export * from '{spec}';",
        f"const lazy = await import('{spec}');",
        f"import '{spec}';",
    )[form]


def _js_noise(spec: str, form: int) -> str:
    return (
        f"// import x from '{spec}';",
        f"const label = '{spec}';",
        f"/* require('{spec}') */",
        f" * import x from '{spec}'",
        f"/*\nimport x from '{spec}';\n*/",
    )[form]


CATALOGUE = engine.load_catalogue(policy.load())
SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(PY_AI)), st.integers(0, 5)), max_size=4),
    st.lists(st.tuples(st.sampled_from(sorted(PY_AI)), st.integers(0, 3)), max_size=4),
    st.lists(st.sampled_from(PY_OTHER), max_size=4),
)
def test_python_imports(tmp_path_factory, real, noise, other) -> None:  # type: ignore[no-untyped-def]
    lines = [f"import {m}" for m in other]
    lines += [_python_noise(m, f) for m, f in noise]
    lines += [_python_line(m, f) for m, f in real]
    root = tmp_path_factory.mktemp("py")
    (root / "app.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    components, problems = detect(WorkTree(root, use_git=False), CATALOGUE)
    assert problems == ()
    assert {c.id for c in components} == {PY_AI[m] for m, _ in real}


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(JS_AI)), st.integers(0, 5)), max_size=4),
    st.lists(st.tuples(st.sampled_from(sorted(JS_AI)), st.integers(0, 4)), max_size=4),
    st.lists(st.sampled_from(JS_OTHER), max_size=4),
)
def test_javascript_imports(tmp_path_factory, real, noise, other) -> None:  # type: ignore[no-untyped-def]
    lines = ["const glob = 'src/**/*.js';"]
    lines += [f"import o{i} from '{s}';" for i, s in enumerate(other)]
    lines += [_js_noise(s, f) for s, f in noise]
    lines += [_js_line(s, f) for s, f in real]
    root = tmp_path_factory.mktemp("js")
    (root / "app.ts").write_text("\n".join(lines) + "\n", encoding="utf-8")
    components, problems = detect(WorkTree(root, use_git=False), CATALOGUE)
    assert problems == ()
    assert {c.id for c in components} == {JS_AI[s] for s, _ in real}
