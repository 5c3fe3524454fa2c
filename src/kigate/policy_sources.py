"""Where a policy's text comes from and how ``extends`` chains are merged: a built-in name
or a file, read within a byte budget, parsed within the TOML shape budgets, its base merged
under it (aspects by id, topic terms added), cycles and depth refused. Data, never code."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from kigate import i18n, safeio, shipped
from kigate._toml import TooComplex, loads, tomllib
from kigate.errors import PolicyError

MAX_POLICY_BYTES = 1 << 20
MAX_EXTENDS_DEPTH = 16


def builtin_names() -> tuple[str, ...]:
    folder = shipped.policies()
    return tuple(sorted(e.name[:-5] for e in folder.iterdir() if e.name.endswith(".toml")))


def read_source(ref: str, relative_to: Path | None) -> tuple[str, str]:
    """Return (canonical source, text) for a built-in name or a file path."""
    if ref in builtin_names():
        entry = shipped.policies() / f"{ref}.toml"
        return ref, entry.read_text(encoding="utf-8")
    path = Path(ref).expanduser()
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    try:
        text = safeio.read_text(path, MAX_POLICY_BYTES)
    except safeio.Refused as exc:
        if exc.reason == "missing":
            names = ", ".join(builtin_names())
            raise PolicyError(i18n.t("policy.not_found", ref=ref, names=names)) from None
        if exc.reason == "too_large":
            raise PolicyError(i18n.t("policy.too_large"), path=str(path)) from None
        raise PolicyError(exc.text, path=str(path)) from None
    except UnicodeDecodeError:
        raise PolicyError(i18n.t("policy.not_utf8"), path=str(path)) from None
    return str(path.resolve()), text


def parse(source: str, text: str) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = loads(text)
    except TooComplex as exc:
        raise PolicyError(exc.text, path=source) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(i18n.t("policy.invalid_toml", detail=str(exc)), path=source) from None
    return doc


def _str_id(aspect: dict[str, Any]) -> bool:
    return isinstance(aspect.get("id"), str)


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child values override single values of the base; aspects merge by id."""
    out = copy.deepcopy(base)
    for key, value in child.items():
        if key == "aspects" and isinstance(value, list) and isinstance(out.get(key), list):
            # only string ids can match; validation reports any other id afterwards
            by_id = {a["id"]: a for a in out[key] if isinstance(a, dict) and _str_id(a)}
            for aspect in value:
                if isinstance(aspect, dict) and _str_id(aspect) and aspect["id"] in by_id:
                    merged = _merge(by_id[aspect["id"]], aspect)
                    by_id[aspect["id"]].clear()
                    by_id[aspect["id"]].update(merged)
                else:
                    out[key].append(copy.deepcopy(aspect))
        elif key == "terms" and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _more_terms(out[key], value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _more_terms(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """An extending policy adds topic terms to its base's, language by language."""
    out = copy.deepcopy(base)
    for lang, terms in child.items():
        known = out.get(lang)
        if isinstance(known, list) and isinstance(terms, list):
            out[lang] = known + [t for t in terms if t not in known]
        else:
            out[lang] = copy.deepcopy(terms)
    return out


def resolve(
    ref: str, relative_to: Path | None, seen: tuple[str, ...]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    source, text = read_source(ref, relative_to)
    if source in seen:
        raise PolicyError(i18n.t("policy.extends_cycle", chain=" -> ".join((*seen, source))))
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise PolicyError(i18n.t("policy.extends_deep", n=MAX_EXTENDS_DEPTH), path=source)
    raw = parse(source, text)
    parent_ref = raw.get("extends")
    if not isinstance(parent_ref, str):
        return raw, (source,)
    here = None if source in builtin_names() else Path(source).parent
    base, chain = resolve(parent_ref, here, (*seen, source))
    merged = _merge(base, {k: v for k, v in raw.items() if k != "extends"})
    if "id" not in raw:
        merged["id"] = Path(source).stem
    return merged, (source, *chain)
