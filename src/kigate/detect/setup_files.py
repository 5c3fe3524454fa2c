"""setup.py (read with ``ast``, never executed), setup.cfg and conda environment files."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from kigate import i18n
from kigate.detect.base import Context, component
from kigate.detect.literals import Lazy
from kigate.detect.pyspec import Lines, Spec, group_scope, known, match
from kigate.model import Component, Evidence, Scope

NAMES = frozenset({"setup.py", "setup.cfg"})
_CONDA = Lazy(r"^(?:environment|conda)[\w.-]*\.ya?ml$", re.IGNORECASE)
_DEV_KEYWORDS = frozenset({"tests_require", "setup_requires"})


def is_conda(base: str) -> bool:
    return bool(_CONDA.match(base))


def scan(ctx: Context, path: str, text: str) -> Iterator[Component]:
    if path.endswith("setup.py"):
        yield from match(ctx, path, _setup_py(ctx, path, text))
    elif path.endswith("setup.cfg"):
        yield from match(ctx, path, _setup_cfg(ctx, path, text))
    else:
        yield from _conda(ctx, path, text)


def _setup_py(ctx: Context, path: str, text: str) -> Iterator[Spec]:
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        ctx.problem(path, i18n.t("detect.bad_python", detail=type(exc).__name__))
        return
    names: dict[str, ast.expr] = {}
    for statement in tree.body:
        # Module-level ``REQUIRES = [...]`` that setup() refers to by name.
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                names[target.id] = statement.value
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_setup(node.func)):
            continue
        for keyword in node.keywords:
            value = keyword.value
            if isinstance(value, ast.Name):
                value = names.get(value.id, value)
            if keyword.arg == "install_requires":
                yield from _literal_specs(value, Scope.PRODUCT)
            elif keyword.arg in _DEV_KEYWORDS:
                yield from _literal_specs(value, Scope.DEVELOPMENT)
            elif keyword.arg == "extras_require" and isinstance(value, ast.Dict):
                for key, listed in zip(value.keys, value.values, strict=True):
                    group = key.value if isinstance(key, ast.Constant) else ""
                    specs = names.get(listed.id, listed) if isinstance(listed, ast.Name) else listed
                    yield from _literal_specs(specs, group_scope(str(group)))


def _is_setup(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id == "setup"
    return isinstance(func, ast.Attribute) and func.attr == "setup"


def _literal_specs(node: ast.expr, scope: Scope) -> Iterator[Spec]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        for number, line in enumerate(node.value.splitlines()):
            if line.strip():
                yield Spec(line, node.lineno + number, scope)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for item in node.elts:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                yield Spec(item.value, item.lineno, scope)


def _setup_cfg(ctx: Context, path: str, text: str) -> Iterator[Spec]:
    import configparser  # only where a setup.cfg is met: it costs at import

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        ctx.problem(path, i18n.t("detect.bad_ini", detail=str(exc).splitlines()[0]))
        return
    lines = Lines(text)
    groups: list[tuple[str, Scope]] = []
    if parser.has_option("options", "install_requires"):
        groups.append((parser.get("options", "install_requires"), Scope.PRODUCT))
    for key in ("tests_require", "setup_requires"):
        if parser.has_option("options", key):
            groups.append((parser.get("options", key), Scope.DEVELOPMENT))
    if parser.has_section("options.extras_require"):
        for group, value in parser.items("options.extras_require"):
            groups.append((value, group_scope(group)))
    for value, scope in groups:
        for raw in value.replace(";", "\n;").splitlines():
            spec = raw.strip()
            if spec and not spec.startswith((";", "#")) and known(ctx, spec):
                yield Spec(spec, lines.of(spec.split()[0].split("[")[0]), scope)


_CONDA_ITEM = Lazy(r"^(\s*)-\s*([^\s#:]+)\s*(:)?")


def _conda(ctx: Context, path: str, text: str) -> Iterator[Component]:
    """``dependencies:`` items are conda packages; items under ``- pip:`` are PyPI names."""
    in_deps, pip_indent = False, -1
    pip_specs: list[Spec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            in_deps = line.startswith("dependencies:")
            pip_indent = -1
            continue
        item = _CONDA_ITEM.match(line)
        if not in_deps or item is None:
            continue
        indent, name, colon = len(item.group(1)), item.group(2), item.group(3)
        if colon and name == "pip":
            pip_indent = indent
            continue
        if pip_indent >= 0 and indent > pip_indent:
            pip_specs.append(Spec(line.split("-", 1)[1].strip(), number, Scope.PRODUCT))
            continue
        pip_indent = -1
        conda_name = re.split(r"[=<>!\s]", name.split("::")[-1], maxsplit=1)[0].lower()
        rule = ctx.catalogue.match("conda", conda_name)
        if rule is not None:
            evidence = Evidence(path, number, conda_name, "dependency")
            yield component("conda", conda_name, rule, Scope.PRODUCT, evidence)
    yield from match(ctx, path, iter(pip_specs))
