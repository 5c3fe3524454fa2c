"""Where kigate keeps what it remembers: the user's cache directory, nothing else imported
(``tomlmemo`` needs it before any other kigate module is loaded)."""

from __future__ import annotations

import os
from pathlib import Path


def directory() -> Path:
    """``$XDG_CACHE_HOME/kigate``, else ``~/.cache/kigate``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: relative values are invalid, ignore them
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kigate"


def snapshots() -> Path:
    """Beside the per-file cache (``~/.cache/kigate-trees``): each folder bounds its own size."""
    return directory().with_name("kigate-trees")
