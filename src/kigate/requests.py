"""What a check is asked and what it answers: ``CheckRequest`` / ``InventoryRequest`` in,
``CheckResult`` out. Plain data, so a caller can build a request without loading detection.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from kigate.model import Report, Text
from kigate.policy import Policy
from kigate.tree import DEFAULT_EXCLUDES, Tree


class Mode(enum.Enum):
    """Which files a check judges: the working tree, or what the next commit contains."""

    WORKTREE = "worktree"
    STAGED = "staged"


@dataclass(frozen=True)
class CheckRequest:
    """Everything one check of one project needs; the defaults are a plain ``kigate check``.

    ``mode=STAGED`` judges the index instead of the working tree; ``base`` names a ref whose
    findings are compared, so every finding says whether this change introduced it;
    ``history`` runs the rules that need git history (KG131); ``trailers`` counts AI
    assistants named in commit trailers as development-scope components; ``cache`` answers
    unchanged files from the user's cache directory (never from or into the repository).
    ``shown`` is how the project is named in the report (default: ``root``); ``tree``
    replaces the files ``mode`` would list (tests and benchmarks count reads with it).
    """

    root: Path
    policy: Policy
    shown: str | None = None
    today: dt.date | None = None
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    tree: Tree | None = None
    mode: Mode = Mode.WORKTREE
    base: str | None = None
    history: bool = True
    trailers: bool = False
    cache: bool = False


@dataclass(frozen=True)
class InventoryRequest:
    """Detection only (``kigate scan``): which project, with which signals, named how."""

    root: Path
    policy: Policy
    shown: str | None = None
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    tree: Tree | None = None
    cache: bool = False


@dataclass(frozen=True)
class CheckResult:
    """A finished report, and notes for the person running it (e.g. a damaged cache was
    ignored) that never change the result."""

    report: Report
    notes: tuple[Text, ...] = ()
