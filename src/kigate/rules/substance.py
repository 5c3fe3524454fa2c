"""Substance beyond form (KG114-KG117): copied answers, claims without proof, plans without
a date or overdue, evidence that says nothing.

A copy (KG114) leaves every aspect it appears under unanswered; the others are warnings:
the aspect is answered, but the answer is weaker than it claims.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator

from kigate import i18n
from kigate.doctemplates import is_unedited_template
from kigate.manifest import AspectEntry, Manifest
from kigate.policy import AspectDef
from kigate.rules.base import Context, is_placeholder
from kigate.rules.evidence import evidence_problem
from kigate.rules.wording import Topics, content_words, jaccard, shingles, words

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?[^\\]")
EVIDENCE_BYTES = 64 * 1024  # enough to see whether a document says anything
_PLANS = ("in_progress", "planned")


def _entries(ctx: Context) -> Iterator[tuple[Manifest, AspectEntry, AspectDef]]:
    """Answered aspects: one already unanswered needs an answer first, not more advice."""
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            if entry is not None and (manifest.path, aspect.id) not in ctx.unanswered:
                yield manifest, entry, aspect


def answer_text(entry: AspectEntry) -> tuple[str, str] | None:
    """(field, text) a person wrote as the answer: the justification of a not-applicable
    aspect, the statement of any other."""
    name = "justification" if entry.status == "not_applicable" else "statement"
    text = getattr(entry, name)
    return (name, text) if isinstance(text, str) else None


@functools.cache
def _template_words(policy_aspects: tuple[AspectDef, ...]) -> Topics:
    """Every aspect's title words and topic terms: what a template swaps between aspects
    ("We take <transparency> seriously ...")."""
    stems: list[str] = []
    for aspect in policy_aspects:
        stems += [*aspect.terms, *words(aspect.title.en), *words(aspect.title.de)]
        stems += aspect.id.split("_")
    return Topics(s for s in stems if len(s) > 3)


def _fingerprints(text: str, template: Topics) -> tuple[frozenset[int], frozenset[int]]:
    """Shingles of the text, and of the text without the words a template would swap."""
    tokens = words(text)
    bare = [t for t in tokens if not template.matches(t)]
    return shingles(tokens), (shingles(bare) if len(bare) >= 4 else frozenset())


def copied_answers(ctx: Context) -> None:
    """KG114: the same or nearly the same answer under two or more aspects."""
    threshold = ctx.policy.similarity_threshold
    template = _template_words(ctx.policy.aspects)
    for manifest in ctx.valid_manifests:
        answers = []
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            found = answer_text(entry) if entry is not None else None
            # every text but a placeholder: a copied phrase is a copy, however generic it is
            if entry is None or found is None or is_placeholder(found[1], ctx.policy):
                continue
            answers.append((entry, found[0], _fingerprints(found[1], template)))
        best: dict[str, tuple[float, str]] = {}
        for i, (first, _, (full_a, bare_a)) in enumerate(answers):
            for second, _, (full_b, bare_b) in answers[i + 1 :]:
                alike = max(jaccard(full_a, full_b), jaccard(bare_a, bare_b))
                if alike < threshold:
                    continue
                for one, two in ((first, second), (second, first)):
                    if alike > best.get(one.id, (0.0, ""))[0]:
                        best[one.id] = (alike, two.id)
        for entry, name, _ in answers:
            if entry.id in best:
                alike, copy_of = best[entry.id]
                percent = round(alike * 100)
                ctx.add(
                    "KG114",
                    i18n.t("check.KG114", aspect=entry.id, other=copy_of, percent=percent),
                    path=manifest.path,
                    line=entry.line_of(name),
                    aspect=entry.id,
                    uncovers=True,
                )


def unproven_claims(ctx: Context) -> None:
    """KG115: ``implemented`` with neither measures nor evidence."""
    for manifest, entry, _ in _entries(ctx):
        if entry.status == "implemented" and not entry.measures and not entry.evidence:
            ctx.add(
                "KG115",
                i18n.t("check.KG115", aspect=entry.id),
                path=manifest.path,
                line=entry.line_of("status"),
                aspect=entry.id,
            )


def undated_plans(ctx: Context) -> None:
    """KG116: in progress or planned without a ``due`` date, or with one in the past."""
    for manifest, entry, _ in _entries(ctx):
        if entry.status not in _PLANS:
            continue
        if entry.due is None:
            text = i18n.t("check.KG116_missing", aspect=entry.id, status=entry.status)
            line = entry.line_of("status")
        elif entry.due < ctx.today:
            text = i18n.t(
                "check.KG116_overdue", aspect=entry.id, status=entry.status, due=entry.due
            )
            line = entry.line_of("due")
        else:
            continue
        ctx.add("KG116", text, path=manifest.path, line=line, aspect=entry.id)


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_MARKUP = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),  # comments
    (re.compile(r"^[^\n]*\n(=+|-+)[ \t]*$", re.MULTILINE), ""),  # setext headings
    (re.compile(r"^[ \t]{0,3}(#{1,6}[ \t][^\n]*|#{1,6}|=+|-+|\*+|_+)[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"<[^>\n]{0,200}>"), " "),  # tags
    (re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\n]{0,500}\)"), r"\1"),  # links keep their text
)


def says_nothing(data: bytes, ctx: Context) -> bool:
    """True when a document is empty, or holds nothing but headings, markup or a placeholder.
    A file kigate cannot read as text (a PDF, an image) is taken as given."""
    if b"\0" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n"))
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return not content_words(text) or is_placeholder(text, ctx.policy)


def empty_evidence(ctx: Context) -> None:
    """KG117: an evidence file that exists but says nothing."""
    tree = ctx.tree
    if tree is None:
        return
    for manifest, entry, _ in _entries(ctx):
        for item in entry.evidence:
            if _URL.match(item) or evidence_problem(item, manifest.directory, tree):
                continue  # a URL (kigate never goes on the network) or KG120's case
            target = posixpath.normpath(posixpath.join(manifest.directory, item))
            data = tree.read(target, EVIDENCE_BYTES)
            # an unedited ``init --docs`` template says nothing either: templates move no aspect
            template = data is not None and is_unedited_template(data, ctx.policy)
            if data is not None and (template or says_nothing(data, ctx)):
                key = "binding.KG117_template" if template else "check.KG117"
                ctx.add(
                    "KG117",
                    i18n.t(key, aspect=entry.id, path=item),
                    path=manifest.path,
                    line=entry.line_of("evidence"),
                    aspect=entry.id,
                )
