"""``kigate init --update``: add what a manifest lacks, keep every other byte.

Newly detected components (purpose ``TODO``) and aspects the policy requires but the manifest
lacks are added with tomlkit, a style-preserving TOML library: answers, comments and layout
stay byte-for-byte. Nothing is ever removed. The caller writes the result atomically; this
module only computes it, and refuses (``UsageError``, one sentence) a manifest that cannot be
read as one, has merge conflicts, or is a link.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Table

from kigate import i18n, manifest
from kigate.errors import UsageError
from kigate.model import Component, Text
from kigate.names import read_small
from kigate.policy import AspectDef, Policy

TODO = "TODO"


@dataclass(frozen=True)
class Update:
    path: Path
    before: str
    after: str
    components: tuple[str, ...]  # ids added
    aspects: tuple[str, ...]  # ids added

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        name = self.path.name
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def read_existing(target: Path) -> str:
    """The manifest's text, or a one-sentence refusal: missing, a link, not a regular file,
    too large or not UTF-8."""
    if target.is_symlink():
        raise UsageError(i18n.t("init.update_symlink", path=str(target)))
    if not target.exists():
        raise UsageError(i18n.t("init.update_missing", path=str(target)))
    if not target.is_file():
        raise UsageError(i18n.t("init.not_regular", path=str(target)))
    data = read_small(target, manifest.MAX_BYTES)
    if data is None:
        raise UsageError(i18n.t("manifest.too_large", limit=manifest.MAX_BYTES // 1024))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(i18n.t("manifest.not_utf8"), path=str(target)) from None


def _refuse_unreadable(target: Path, text: str, policy: Policy) -> manifest.Manifest:
    parsed = manifest.parse(target.name, text.encode("utf-8"), policy)
    if parsed.valid:
        return parsed
    problem = parsed.problems[0]
    if problem.text.en == i18n.t("manifest.conflict").en:
        raise UsageError(i18n.t("init.update_conflict", path=str(target)))
    en, de = (
        i18n.t("init.update_invalid", path=str(target), line=problem.line, detail=detail)
        for detail in (problem.text.en, problem.text.de)
    )
    raise UsageError(Text(en=en.en, de=de.de))


def _component_table(comp: Component) -> Table:
    table = tomlkit.table()
    table.add("id", comp.id)
    purpose = tomlkit.string(TODO)
    where = comp.evidence[0].path if comp.evidence else ""
    purpose.comment(f"{comp.category}, {comp.scope.value}: {where}")
    table.add("purpose", purpose)
    table.add(tomlkit.nl())
    return table


def _aspect_table(aspect: AspectDef, lang: str) -> Table:
    table = tomlkit.table()
    table.add(tomlkit.comment(f"{aspect.title(lang)} — {aspect.description(lang)}"))
    for question in aspect.questions(lang):
        table.add(tomlkit.comment(f"  ? {question}"))
    table.add("status", "planned")
    table.add("statement", TODO)
    table.add("measures", tomlkit.array())
    table.add("evidence", tomlkit.array())
    if "owner" in aspect.required:
        table.add("owner", TODO)
    return table


def update(target: Path, policy: Policy, components: Sequence[Component], lang: str) -> Update:
    """What ``init --update`` would write: ``components`` not yet declared, aspects missing."""
    before = read_existing(target)
    parsed = _refuse_unreadable(target, before, policy)
    try:
        doc = tomlkit.parse(before)
    except (tomlkit.exceptions.TOMLKitError, RecursionError) as exc:  # what tomllib accepted
        detail = str(exc).split("\n")[0]
        raise UsageError(
            i18n.t("init.update_invalid", path=str(target), line=1, detail=detail)
        ) from None
    declared = {c.id for c in parsed.components}
    new = [c for c in components if c.id not in declared]
    if new:
        existing = doc.get("components")
        if isinstance(existing, AoT):
            for comp in new:
                existing.append(_component_table(comp))
        elif existing is None:
            doc.add("components", tomlkit.aot())
            for comp in new:
                doc["components"].append(_component_table(comp))
        else:
            new = []  # not an array of tables: the parser reports it; add nothing there
    missing = [a for a in policy.aspects if parsed.aspect(a.id) is None]
    if missing:
        aspects = doc.get("aspects")
        if aspects is None:
            aspects = tomlkit.table(is_super_table=True)
            doc.add("aspects", aspects)
        if isinstance(aspects, Table):
            for aspect in missing:
                aspects.add(aspect.id, _aspect_table(aspect, lang))
        else:
            missing = []
    after = doc.as_string() if (new or missing) else before
    return Update(target, before, after, tuple(c.id for c in new), tuple(a.id for a in missing))
