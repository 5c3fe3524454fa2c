"""Component ids as a manifest may write them: old ids renamed since (``crates:x`` is now
``cargo:x``, data in the catalogues' ``[aliases]``), and ecosystems whose names ignore case
(``nuget:azure.ai.openai`` is ``nuget:Azure.AI.OpenAI``). The rules call ``canonical`` so a
declared id matches the detected one; ``rename_notes`` names the new id for every old one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from kigate import i18n, shipped
from kigate._toml import tomllib
from kigate.detect.catalogue import CASE_KEPT, Catalogue
from kigate.model import Text


@functools.cache
def shipped_aliases() -> dict[str, str]:
    """The ``[aliases]`` of every shipped signal catalogue: kigate's own id changes, which hold
    whatever catalogues a policy names."""
    table: dict[str, str] = {}
    for file in sorted((shipped.policies() / "signals").iterdir(), key=lambda f: f.name):
        if file.name.endswith(".toml"):
            aliases = tomllib.loads(file.read_text(encoding="utf-8")).get("aliases", {})
            table.update(aliases if isinstance(aliases, dict) else {})
    return table


def renamed(aliases: Mapping[str, str], declared: str) -> str | None:
    """The id an old ``declared`` id became, or None if it is not an old id."""
    exact = aliases.get(declared)
    if exact is not None:
        return exact
    ecosystem, sep, rest = declared.partition(":")
    prefix = aliases.get(f"{ecosystem}:") if sep else None
    return f"{prefix}{rest}" if prefix is not None else None


def canonical(
    catalogue: Catalogue | Mapping[str, str], declared: str, detected: Iterable[str] = ()
) -> tuple[str, str | None]:
    """(the id ``declared`` stands for, the new id if ``declared`` is an old one).

    For an ecosystem that ignores case, a detected id that differs only in case is the one.
    """
    aliases = catalogue.aliases() if isinstance(catalogue, Catalogue) else catalogue
    new = renamed(aliases, declared)
    wanted = new if new is not None else declared
    ecosystem = wanted.partition(":")[0]
    if ecosystem in CASE_KEPT:
        folded = wanted.casefold()
        for found in detected:
            if found.casefold() == folded:
                return found, new
    return wanted, new


def rename_notes(declared: Iterable[tuple[str, int | None, str]]) -> list[Text]:
    """A note for every (manifest path, line, id) that names a component by an old id."""
    notes = []
    for path, line, old in declared:
        new = canonical(shipped_aliases(), old)[1]
        if new is not None:
            text = i18n.t("detection.renamed_id", old=old, new=new)
            where = f"{path}:{line}: " if line else f"{path}: "
            notes.append(Text(en=where + text.en, de=where + text.de))
    return notes
