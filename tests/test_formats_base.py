"""The formats' plug-in point: one list, a Renderer interface, no reach into detection or git."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from importlib import resources

import pytest

from kigate.formats import FORMAT_NAMES, FORMATS, SCAN_FORMAT_NAMES, format_named, renderer
from kigate.formats.base import Renderer
from kigate.formats.registry import Format

PACKAGE = resources.files("kigate") / "formats"
# Formats read a finished report: detection, git, the engine and the CLI are out of reach.
FORBIDDEN = ("kigate.detect", "kigate.repo", "kigate.git", "kigate.engine", "kigate.cli", "git",
             "click", "subprocess")  # fmt: skip


def forbidden(names: set[str] | list[str]) -> set[str]:
    return {m for m in names if m in FORBIDDEN or m.startswith(tuple(f + "." for f in FORBIDDEN))}


def modules() -> list[str]:
    return sorted(p.name[:-3] for p in PACKAGE.iterdir() if p.name.endswith(".py"))


def imported(source: str) -> set[str]:
    """Every module a file imports, at the top or deferred inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_every_format_module_is_in_the_one_list_and_every_entry_is_a_module() -> None:
    public = {m for m in modules() if not m.startswith("_") and m not in {"base", "registry"}}
    assert {f.module.rsplit(".", 1)[1] for f in FORMATS} == public
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    assert tuple(f.name for f in FORMATS if f.check) == FORMAT_NAMES
    assert tuple(f.name for f in FORMATS if f.inventory) == SCAN_FORMAT_NAMES


@pytest.mark.parametrize("entry", FORMATS, ids=lambda f: f.name)
def test_every_entry_names_renderers_of_the_interface(entry: Format) -> None:
    for attribute in (entry.check, entry.inventory):
        if attribute is None:
            continue
        render: Renderer = entry.load(attribute)
        parameters = list(inspect.signature(render).parameters)
        assert parameters == ["report", "options"], (entry, attribute)


@pytest.mark.parametrize("name", modules())
def test_formats_never_import_detection_git_or_the_cli(name: str) -> None:
    source = (PACKAGE / f"{name}.py").read_text("utf-8")
    assert forbidden(imported(source)) == set(), name


def test_only_the_text_format_is_for_people() -> None:
    assert [f.name for f in FORMATS if f.for_people] == ["text"]
    assert format_named("text").for_people


def test_an_unknown_or_unoffered_format_is_refused() -> None:
    with pytest.raises(KeyError):
        format_named("pdf")
    with pytest.raises(KeyError):
        renderer("pdf")


def test_no_format_loads_detection_or_git_even_indirectly() -> None:
    """What the imports above reach in turn: a fresh interpreter imports every format."""
    probe = (
        "import importlib, json, sys\n"
        "from kigate.formats.registry import FORMATS\n"
        "for f in FORMATS: importlib.import_module(f.module)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert "kigate.formats.cyclonedx" in loaded
    assert forbidden(loaded) == set()
