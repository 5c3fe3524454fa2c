"""Where kigate's shipped data lives: the policies, signal catalogues and plain git hooks.

Their single source is the top-level ``policies/`` and ``hooks/`` folders of the repository.
The wheel carries them inside the package (``kigate/policies``, ``kigate/hookscripts``, see
``pyproject.toml``); an editable install runs from ``src/`` and reads them from the checkout,
which ``importlib.resources`` alone cannot see. Locales, schemas and templates live inside the
package (``package_folder``).

An installed kigate is a folder on disk, so the data is reached through ``__file__``;
``importlib.resources`` (several milliseconds to import, paid by every commit hook) is
asked only when the package is not a plain folder (a zip import).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

HOOKS = ("pre-commit", "pre-push")


def package_folder(name: str) -> Traversable:
    """The folder ``name`` inside the kigate package (``locales``, ``schemas``, ...)."""
    here = Path(__file__).resolve().parent
    if here.is_dir():  # an installed wheel or a checkout: the folder may still be missing
        return here / name
    from importlib import resources

    return resources.files("kigate") / name


@functools.cache
def _folder(packaged: str, checkout: str) -> Traversable:
    """The packaged folder when it exists (wheel), else the checkout's top-level folder."""
    inside = package_folder(packaged)
    if inside.is_dir():
        return inside
    here = Path(__file__).resolve().parent
    # Only a source checkout (src layout next to pyproject.toml) may serve the data, so a
    # damaged installation never picks up an unrelated folder that happens to sit nearby.
    root = here.parent.parent
    source = root / checkout
    if here.parent.name == "src" and (root / "pyproject.toml").is_file() and source.is_dir():
        return source
    raise FileNotFoundError(f"kigate's data folder '{packaged}' is missing; reinstall kigate")


def policies() -> Traversable:
    """The folder of the shipped policies; its ``signals/`` holds the signal catalogues."""
    return _folder("policies", "policies")


def hook_script(name: str) -> bytes:
    """The plain git hook NAME (one of ``HOOKS``) as shipped, byte for byte."""
    if name not in HOOKS:
        raise ValueError(f"no shipped git hook named {name!r}")
    return (_folder("hookscripts", "hooks") / name).read_bytes()
