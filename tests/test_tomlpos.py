"""Line numbers for TOML keys, which tomllib does not give."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from kigate._toml import tomllib
from kigate.tomlpos import line_of, locate

DOC = '''kigate = 1
# a comment with key = "value"
[system]
name = "x" # trailing
description = """first
fake = "not a key"
"""
tags = [
  "a", # other = 1
  "b",
]
[[components]]
id = "a"
[[components]]
id = "b"
[aspects."werte definieren"]
status.sub = 1
inline = { a = 1 }
'''


def test_locate_records_tables_keys_and_array_entries() -> None:
    assert tomllib.loads(DOC)  # the scanner is only asked about documents tomllib accepts
    assert locate(DOC) == {
        ("kigate",): 1,
        ("system",): 3,
        ("system", "name"): 4,
        ("system", "description"): 5,
        ("system", "tags"): 8,
        ("components",): 12,
        ("components", 0): 12,
        ("components", 0, "id"): 13,
        ("components", 1): 14,
        ("components", 1, "id"): 15,
        ("aspects",): 16,
        ("aspects", "werte definieren"): 16,
        ("aspects", "werte definieren", "status"): 17,
        ("aspects", "werte definieren", "status", "sub"): 17,
        ("aspects", "werte definieren", "inline"): 18,
    }


def test_line_of_falls_back_to_the_nearest_parent() -> None:
    lines = locate(DOC)
    assert line_of(lines, ("aspects", "werte definieren", "inline", "a")) == 18
    assert line_of(lines, ("nothing",), default=7) == 7


_keys = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
_values = st.one_of(
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.text(alphabet=string.ascii_letters + " #=[]{}'", max_size=12).map(lambda s: '"' + s + '"'),
    st.lists(st.integers(min_value=0, max_value=9), max_size=3).map(
        lambda xs: "[\n  " + ",\n  ".join(map(str, xs)) + "\n]"
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_keys, st.dictionaries(_keys, _values, max_size=5), max_size=5))
def test_every_generated_key_is_found_on_its_line(tables: dict[str, dict[str, str]]) -> None:
    out: list[str] = []
    expected: dict[tuple[str, ...], int] = {}
    for table, values in tables.items():
        out.append(f"[{table}]")
        expected[(table,)] = len(out)
        for key, value in values.items():
            out.append(f"{key} = {value}")
            expected[(table, key)] = len(out)
            out[-1:] = out[-1].split("\n")
    text = "\n".join(out) + "\n"
    tomllib.loads(text)
    found = locate(text)
    for path, line in expected.items():
        assert found[path] == line
