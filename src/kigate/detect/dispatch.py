"""Which detectors to ask about a file, from a table built once per run.

Asking each of some twenty detectors about every file cost more than reading the files. A
detector that declares its ``interest`` (the extensions, file names, name prefixes and
folders it may want; a superset of what its ``wants`` accepts) is asked about those files
only; one that declares nothing is asked about every file. ``wants`` still decides, so a
declaration can only make the run faster, never change what it finds. The table keeps the
detectors' order: components and problems come out as if every detector had been asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from kigate.detect.base import Context, Detector, Interest


def interest_of(detector: Detector, ctx: Context) -> Interest | None:
    """The detector's declared interest; None: ask it about every file."""
    declared = getattr(detector, "interest", None)
    return declared(ctx) if callable(declared) else None


class Dispatch:
    """For a file, the detectors that may want it, in the order they were given."""

    def __init__(self, detectors: Sequence[Detector], ctx: Context) -> None:
        self.detectors = tuple(detectors)
        always: list[int] = []
        by_ext: dict[str, set[int]] = {}
        by_name: dict[str, set[int]] = {}
        prefixes: list[tuple[str, int]] = []
        folders: list[tuple[str, int]] = []
        for index, detector in enumerate(self.detectors):
            interest = interest_of(detector, ctx)
            if interest is None:
                always.append(index)
                continue
            for ext in interest.extensions:
                by_ext.setdefault(ext.lower(), set()).add(index)
            for name in interest.names:
                by_name.setdefault(name.lower(), set()).add(index)
            prefixes.extend((p.lower(), index) for p in interest.prefixes)
            folders.extend(("/" + f.lower(), index) for f in interest.folders)
        self._always = frozenset(always)
        self._none = self._ordered(self._always)
        self._ext_indices = {ext: self._always | found for ext, found in by_ext.items()}
        self._by_ext = {ext: self._ordered(found) for ext, found in self._ext_indices.items()}
        self._by_name = {name: frozenset(found) for name, found in by_name.items()}
        self._prefixes = tuple(prefixes)
        self._prefix_test = tuple(p for p, _ in prefixes)
        self._folders = tuple(folders)
        self._in_folder: dict[str, frozenset[int]] = {}
        self._merged: dict[tuple[str, frozenset[int]], tuple[Detector, ...]] = {}

    def _ordered(self, indices: frozenset[int] | set[int]) -> tuple[Detector, ...]:
        return tuple(self.detectors[i] for i in sorted(indices))

    def candidates(self, path: str, base: str) -> tuple[Detector, ...]:
        """The detectors to ask about ``path`` (its file name ``base``)."""
        lowered = base.lower()
        dot = lowered.rfind(".")
        ext = lowered[dot:] if dot >= 0 else ""
        extra = self._by_name.get(lowered)
        if self._prefix_test and lowered.startswith(self._prefix_test):
            hits = frozenset(i for p, i in self._prefixes if lowered.startswith(p))
            extra = hits if extra is None else extra | hits
        if self._folders:
            inside = self._folder_hits(path)
            if inside:
                extra = inside if extra is None else extra | inside
        if not extra:
            return self._by_ext.get(ext, self._none)
        key = (ext, extra)
        merged = self._merged.get(key)
        if merged is None:
            have = self._ext_indices.get(ext, self._always)
            merged = self._merged[key] = self._ordered(have | extra)
        return merged

    def _folder_hits(self, path: str) -> frozenset[int]:
        # A folder entry ends with "/", so it can only match within the file's directory
        # part: one answer per directory, not per file.
        cut = path.rfind("/") + 1
        folder = path[:cut]
        hits = self._in_folder.get(folder)
        if hits is None:
            slashed = "/" + folder.lower()
            hits = frozenset(i for f, i in self._folders if f in slashed)
            self._in_folder[folder] = hits
        return hits
