"""Off-topic answers (KG118, a note) and answers filed under the wrong aspect (KG119).

Each aspect in the policy carries topic terms in German and English (word stems, matched
umlaut-folded, see ``wording.Topics``). An answer that touches none of its own aspect's terms
gets a note; one that touches none of its own but at least ``CLEAR`` of another aspect's
is misplaced and leaves its aspect unanswered. A ``not_applicable`` justification is not judged
by topic: saying why a topic does not arise need not name it. Terms are policy data an
organisation extends.
"""

from __future__ import annotations

import functools

from kigate import i18n
from kigate.manifest import AspectEntry
from kigate.model import Text
from kigate.policy import AspectDef
from kigate.rules.aspects import answer_problem
from kigate.rules.base import Context
from kigate.rules.substance import answer_text
from kigate.rules.wording import Topics, words

# Distinct terms of another aspect that make an answer clearly about it: real answers often
# touch one or two neighbouring topics in passing, an answer filed under the wrong aspect
# names its own topic again and again.
CLEAR = 3


@functools.cache
def topics(aspect: AspectDef) -> Topics:
    return Topics(aspect.terms)


def _tokens(entry: AspectEntry, text: str) -> tuple[str, ...]:
    """Everything the answer says: its text, measures and evidence names."""
    return words(" \n ".join((text, *entry.measures, *entry.evidence)))


def _examples(aspect: AspectDef) -> Text:
    return Text(en=", ".join(aspect.terms_en[:4]), de=", ".join(aspect.terms_de[:4]))


def _note(aspect: AspectDef) -> Text:
    examples = _examples(aspect)
    en = i18n.t("check.KG118", aspect=aspect.id, examples=examples.en).en
    de = i18n.t("check.KG118", aspect=aspect.id, examples=examples.de).de
    return Text(en=en, de=de)


def _elsewhere(ctx: Context, aspect: AspectDef, tokens: tuple[str, ...]) -> AspectDef | None:
    """The other aspect the tokens are clearly about, if any (the most terms wins)."""
    best: tuple[int, AspectDef] | None = None
    for other in ctx.policy.aspects:
        if other.id == aspect.id or not other.terms:
            continue
        count = len(topics(other).hits(tokens))
        if count >= CLEAR and (best is None or count > best[0]):
            best = (count, other)
    return best[1] if best else None


def off_topic(ctx: Context) -> None:
    """KG118 and KG119 for every answered aspect; KG118 once for an aspect without terms."""
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            found = answer_text(entry) if entry is not None else None
            if entry is None or found is None or (manifest.path, aspect.id) in ctx.unanswered:
                continue  # unanswered already (a copy, a placeholder, ...): one reason is enough
            if answer_problem(found[1], aspect, ctx, found[0]):
                continue
            name, text = found
            line = entry.line_of(name)
            if not aspect.terms:
                text_ = i18n.t("check.no_terms", aspect=aspect.id)
                ctx.add("KG118", text_, path=manifest.path, line=line, aspect=aspect.id)
                continue
            tokens = _tokens(entry, text)
            if topics(aspect).hits(tokens):
                continue
            if name == "justification":
                continue  # why a topic does not arise need not name the topic, nor avoid others
            other = _elsewhere(ctx, aspect, tokens)
            if other is None:
                ctx.add("KG118", _note(aspect), path=manifest.path, line=line, aspect=aspect.id)
            else:
                ctx.add(
                    "KG119",
                    i18n.t("check.KG119", aspect=aspect.id, other=other.id),
                    path=manifest.path,
                    line=line,
                    aspect=aspect.id,
                    uncovers=True,
                )
