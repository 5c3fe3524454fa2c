"""Where kigate's shipped data lives: the policies, signal catalogues and plain git hooks.

Their single source is the top-level ``policies/`` and ``hooks/`` folders of the repository.
The wheel carries them inside the package (``kigate/policies``, ``kigate/hookscripts``, see
``pyproject.toml``); an editable install runs from ``src/`` and reads them from the checkout,
which ``importlib.resources`` alone cannot see. Locales, schemas and templates live inside the
package and are read with ``importlib.resources`` directly.
"""

from __future__ import annotations

import functools
import sys
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

HOOKS = ("pre-commit", "pre-push")


@functools.cache
def _folder(packaged: str, checkout: str) -> Traversable:
    """The packaged folder when it exists (wheel), else the checkout's top-level folder."""
    inside = resources.files("kigate") / packaged
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
