""" "Did you mean …?": the closest known name for a misspelt key, aspect id or value.

One helper for manifests, settings and policies, so a typo reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from kigate import i18n
from kigate.model import Text

_CUTOFF = 0.6  # difflib's ratio; below it a suggestion misleads more than it helps
_MAX_NAME = 200  # a longer "key" is no typo of a known one; never compare it


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name`` (case-insensitive), or None when none is close."""
    if len(name) > _MAX_NAME:
        return None
    choices = {k.lower(): k for k in known}
    import difflib  # only a misspelt key pays for it

    found = difflib.get_close_matches(name.lower(), list(choices), n=1, cutoff=_CUTOFF)
    return choices[found[0]] if found else None


def hint(name: str, known: Iterable[str]) -> Text:
    """ " (did you mean 'x'?)" to append to a message, or an empty text."""
    listed = tuple(known)
    match = name if name in listed else closest(name, listed)
    if match is None:
        return Text.same("")
    return i18n.t("suggest.did_you_mean", name=match)


def with_hint(text: Text, name: str, known: Iterable[str]) -> Text:
    """``text`` followed by the suggestion for ``name``, if there is one."""
    extra = hint(name, known)
    return Text(en=text.en + extra.en, de=text.de + extra.de)
