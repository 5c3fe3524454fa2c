"""Sources in, rows out: repositories are checked in parallel, reports read and validated.

A source that fails becomes an ``ErrorRow`` with its reason; it never aborts the run.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import __version__, config, engine, i18n, safeio
from kigate import policy as policy_mod
from kigate.aggregate import documents, reader
from kigate.aggregate.model import Aggregate, AspectColumn, Duplicate, ErrorRow, RepoRow
from kigate.errors import KigateError
from kigate.formats.json import to_dict
from kigate.model import Text
from kigate.tree import DEFAULT_EXCLUDES

MAX_LIST_BYTES = 4 << 20  # an @list file: one path a line
MAX_LIST_ENTRIES = 10_000  # sources named by one @list file
MAX_WALK_DEPTH = 64  # directory levels --recursive descends below a named folder

Progress = Callable[[], None]


@dataclass(frozen=True)
class Source:
    """One thing to read: a repository directory or a report file."""

    shown: str  # as the user (or the list file) named it
    path: Path
    kind: str  # "repository" or "report"


def _is_git_dir(path: Path) -> bool:
    # A ``.git`` entry is a directory in a clone and a file in a worktree or submodule.
    return (path / ".git").exists()


def work_tree_top(path: Path) -> Path | None:
    """The nearest directory at or above ``path`` that holds a ``.git`` entry."""
    here = path.resolve()
    return next((p for p in (here, *here.parents) if _is_git_dir(p)), None)


def find_repositories(top: Path) -> list[Path]:
    """Git repositories at or below ``top``; never descends into a found one or a link."""
    if _is_git_dir(top):
        return [top]
    found: list[Path] = []
    skip = set(DEFAULT_EXCLUDES)
    base_depth = str(top).rstrip(os.sep).count(os.sep)
    for dirpath, dirnames, _files in os.walk(top, followlinks=False):
        if dirpath.count(os.sep) - base_depth >= MAX_WALK_DEPTH:
            dirnames[:] = []  # os.walk is iterative; the bound keeps paths below PATH_MAX
            continue
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            child = here / name
            if name in skip or child.is_symlink():
                continue
            if _is_git_dir(child):
                found.append(child)
            else:
                keep.append(name)
        dirnames[:] = keep
    return found


def _list_entries(shown: str) -> tuple[list[str], Path] | ErrorRow:
    path = Path(shown[1:])
    try:
        text = safeio.read_text(path, MAX_LIST_BYTES)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.text(i18n.detect_language(None)) if isinstance(exc, safeio.Refused) else None
        reason = reason or getattr(exc, "strerror", None) or str(exc)
        return ErrorRow(shown, "list", i18n.t("aggregate.list_unreadable", reason=reason))
    lines = (line.strip() for line in text.splitlines())
    entries = [line for line in lines if line and not line.startswith("#")]
    if len(entries) > MAX_LIST_ENTRIES:
        text_ = i18n.t("hostile.list_entries", limit=MAX_LIST_ENTRIES)
        return ErrorRow(shown, "list", text_)
    return entries, path.parent


def expand(names: Iterable[str], recursive: bool) -> tuple[list[Source], list[ErrorRow]]:
    """Turn the command line's SOURCE arguments into sources and early error rows."""
    sources: list[Source] = []
    errors: list[ErrorRow] = []
    for name in names:
        if name.startswith("@"):
            listed = _list_entries(name)
            if isinstance(listed, ErrorRow):
                errors.append(listed)
                continue
            entries, base = listed
            for entry in entries:
                _expand_one(entry, base / entry, recursive, sources, errors)
        else:
            _expand_one(name, Path(name), recursive, sources, errors)
    return sources, errors


def _expand_one(
    shown: str, path: Path, recursive: bool, sources: list[Source], errors: list[ErrorRow]
) -> None:
    try:
        path.lstat()
    except (OSError, ValueError):  # missing, or a name beyond NAME_MAX / PATH_MAX
        errors.append(ErrorRow(shown, "path", i18n.t("aggregate.no_such_path")))
        return
    if path.is_dir():
        if recursive:
            found = find_repositories(path)
            if not found:
                errors.append(ErrorRow(shown, "path", i18n.t("aggregate.no_repositories")))
            for repo in found:
                sub = os.path.relpath(repo, path)
                label = shown if sub == "." else os.path.join(shown, sub)
                sources.append(Source(label, repo, "repository"))
        elif work_tree_top(path) is not None:
            sources.append(Source(shown, path, "repository"))
        else:
            errors.append(ErrorRow(shown, "repository", i18n.t("aggregate.not_a_repository")))
    elif path.exists():
        sources.append(Source(shown, path, "report"))
    else:
        errors.append(ErrorRow(shown, "path", i18n.t("aggregate.no_such_path")))


def check_repository(
    source: Source,
    policy_ref: str | None,
    lang: str,
    load_policy: Callable[[str | None], policy_mod.Policy] = policy_mod.load,
) -> RepoRow | ErrorRow:
    """Check one repository in this process, as ``kigate check`` would (its own settings)."""
    try:
        settings = config.load(source.path)
        policy = load_policy(policy_ref or settings.policy)
        request = engine.CheckRequest(
            source.path, policy, shown=source.shown, excludes=settings.exclude
        )
        report = engine.check(request).report
    except KigateError as exc:
        return ErrorRow(source.shown, source.kind, Text(exc.sentence("en"), exc.sentence("de")))
    except Exception as exc:  # one broken repository must not end the organisation's run
        detail = f"{type(exc).__name__}: {exc}"
        return ErrorRow(source.shown, source.kind, i18n.t("aggregate.internal", error=detail))
    top = work_tree_top(source.path)
    inner = source.path.resolve().relative_to(top).as_posix() if top else "."
    document = to_dict(report, lang)
    return reader.row(document, source.shown, source.kind, None if inner == "." else inner)


def read_report(source: Source) -> tuple[list[RepoRow], dict[str, str]] | ErrorRow:
    """A report's row, or every counted row of an aggregate document (version 1 or 2)."""
    try:
        document = reader.load(source.path)
    except reader.ReportProblem as exc:
        return ErrorRow(source.shown, source.kind, exc.text)
    if document["format"] == documents.FORMAT:
        return documents.rows(document, source.shown)
    repository = document["repository"]
    # reports that name their directory inside the repository say it; older ones are read
    # from the path the check was given
    if "subdir" in repository:
        inner = repository["subdir"] or None
    else:
        inner = reader.project_path(repository["path"])
    return [reader.row(document, source.shown, source.kind, inner)], reader.titles(document)


def _run(
    sources: list[Source], policy_ref: str | None, lang: str, jobs: int, progress: Progress | None
) -> Iterator[tuple[list[RepoRow], dict[str, str]] | RepoRow | ErrorRow]:
    repos = [s for s in sources if s.kind == "repository"]
    # Most repositories share a policy: read and resolve each one once per run.
    load_policy = functools.cache(policy_mod.load)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        # Threads, not processes: measured faster here (benchmarks/aggregate.py), as a check
        # spends much of its time in git subprocesses and a worker pool would pay start-up
        # and pickling; the rows stay in this process.
        futures = [pool.submit(check_repository, s, policy_ref, lang, load_policy) for s in repos]
        for source in sources:
            if source.kind == "report":
                yield read_report(source)
                if progress:
                    progress()
        for future in futures:
            yield future.result()
            if progress:
                progress()


def collect(
    names: Iterable[str],
    *,
    recursive: bool = False,
    jobs: int = 1,
    policy_ref: str | None = None,
    lang: str = "en",
    progress: Callable[[int], Progress | None] | None = None,
    generated_at: str | None = None,
) -> Aggregate:
    """Read every source; ``progress(total)`` may return a callback called per source."""
    sources, errors = expand(names, recursive)
    tick = progress(len(sources)) if progress else None
    rows: list[RepoRow] = []
    titles: dict[str, str] = {}
    for result in _run(sources, policy_ref, lang, jobs, tick):
        if isinstance(result, ErrorRow):
            errors.append(result)
        elif isinstance(result, RepoRow):
            rows.append(result)
        else:
            rows.extend(result[0])
            for key, value in result[1].items():
                titles.setdefault(key, value)
    kept, duplicates = deduplicate(rows)
    return Aggregate(
        tool_version=__version__,
        generated_at=generated_at or engine.now_utc(),
        aspects=columns(kept, titles, policy_ref),
        rows=tuple(sorted(kept, key=lambda r: r.sort_key)),
        errors=tuple(sorted(errors, key=lambda e: e.source)),
        duplicates=duplicates,
    )


def deduplicate(rows: list[RepoRow]) -> tuple[list[RepoRow], tuple[Duplicate, ...]]:
    """Two reports of one repository and commit: both rows stay, the newer one counts."""
    best: dict[tuple[str, str], RepoRow] = {}
    for row in rows:
        if row.commit is None:
            continue
        key = (row.repository, row.commit)
        current = best.get(key)
        if current is None or (row.generated_at, row.source) > (
            current.generated_at,
            current.source,
        ):
            best[key] = row
    dropped = tuple(
        Duplicate(row.source, best[(row.repository, row.commit)].source)
        for row in rows
        if row.commit is not None and best[(row.repository, row.commit)] is not row
    )
    return rows, tuple(sorted(dropped, key=lambda d: d.source))


def columns(
    rows: list[RepoRow], report_titles: dict[str, str], policy_ref: str | None
) -> tuple[AspectColumn, ...]:
    """The policy's aspects first, then any others the rows carry; titles in both languages
    from the policy or another built-in one, else as the report wrote them."""
    seen = {aspect for row in rows for aspect, _status in row.aspects}
    ordered: list[str] = []
    known: dict[str, Text] = {}
    for index, ref in enumerate((policy_ref, *policy_mod.builtin_names())):
        try:
            policy: Any = policy_mod.load(ref)
        except KigateError:
            continue
        for aspect in policy.aspects:
            known.setdefault(aspect.id, aspect.title)
            if index == 0 and aspect.id in seen:
                ordered.append(aspect.id)
    ordered += sorted(seen - set(ordered))
    return tuple(
        AspectColumn(a, known.get(a) or Text.same(report_titles.get(a, a))) for a in ordered
    )
