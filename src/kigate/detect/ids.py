"""Component ids as a manifest may write them: old ids renamed since (``crates:x`` is now
``cargo:x``, data in the catalogues' ``[aliases]``), and ecosystems whose names ignore case
(``nuget:azure.ai.openai`` is ``nuget:Azure.AI.OpenAI``). The rules call ``canonical`` so a
declared id matches the detected one, and name the new id in a note when an old one is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kigate.detect.catalogue import CASE_KEPT, Catalogue


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
