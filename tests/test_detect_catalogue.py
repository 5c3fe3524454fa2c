"""Signal catalogues: loading, matching rules, and one sentence for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from kigate import policy
from kigate.detect import catalogue
from kigate.errors import PolicyError

GOOD = 'kigate-signals = 1\necosystem = "pypi"\n'


def _load(tmp_path: Path, text: str) -> catalogue.Catalogue:
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    return catalogue.load(["c.toml"], tmp_path)


def test_names_are_normalised_and_prefixes_are_explicit(tmp_path: Path) -> None:
    cat = _load(
        tmp_path,
        GOOD + '[[match]]\ncategory = "llm-api"\nnames = ["Acme_LLM.Client"]\n'
        'prefixes = ["acme-ai-"]\nscope = "development"\n[imports]\nacme = "Acme_LLM.Client"\n',
    )
    rule = cat.match("pypi", "acme-llm-client")
    assert rule is not None and rule.category == "llm-api" and rule.scope == "development"
    assert cat.match("pypi", "acme-ai-x") is rule
    assert cat.match("pypi", "acme-a") is None  # no substring or partial-prefix match
    assert cat.match("pypi", "my-acme-ai-x") is None
    assert cat.imports("pypi") == {"acme": "acme-llm-client"}
    assert cat.match("npm", "acme-llm-client") is None


def test_every_builtin_catalogue_loads() -> None:
    cat = catalogue.load(policy.load().signals)
    assert {s.ecosystem for s in cat.signals} == set(catalogue.ECOSYSTEMS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "extra = 1\n", "unknown key 'extra' in the signal catalogue; known keys: "),
        ('kigate-signals = 2\necosystem = "pypi"\n', "signal catalogue format 2 is not supported"),
        ("kigate-signals = 1\n", "'ecosystem' in the signal catalogue must be a string"),
        ('kigate-signals = 1\necosystem = "pip"\n', "unknown ecosystem 'pip'"),
        (GOOD + "match = 3\n", "'match' in the signal catalogue must be an array of tables"),
        (GOOD + "[[match]]\nname = []\n", "unknown key 'match.name'"),
        (GOOD + '[[match]]\nnames = "x"\n', "'match.names' in the signal catalogue must be a list"),
        (GOOD + "[[match]]\ncategory = 1\n", "'match.category' in the signal catalogue must be a"),
        (GOOD + '[[match]]\nscope = "prod"\n', "scope 'prod' in the signal catalogue is not one"),
        (GOOD + '[[match]]\nprefixes = [""]\n', "an empty prefix in the signal catalogue"),
        (GOOD + "[imports]\nx = 1\n", "'imports' in the signal catalogue must be a table"),
        (GOOD + "[imports\n", "the signal catalogue is not valid TOML"),
    ],
)
def test_every_mistake_is_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        _load(tmp_path, text)
    assert caught.value.text.en.startswith(message)
    assert caught.value.path == str(tmp_path / "c.toml")


def test_a_missing_catalogue(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        catalogue.load(["nowhere.toml"], tmp_path)
    assert caught.value.text.en == (
        "signal catalogue 'nowhere.toml' is neither built in nor a readable file"
    )
