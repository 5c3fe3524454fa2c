"""The rules every tree shares: names, excludes, containment, small-file reads."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kigate.names import display_name, raw_name, read_small
from kigate.tree import DEFAULT_EXCLUDES, inside, is_excluded


@given(st.text())
def test_display_name_round_trips_and_is_one_printable_line(name: str) -> None:
    shown = display_name(name)
    assert raw_name(shown) == name
    assert shown.isprintable()


def test_display_name_escapes() -> None:
    assert display_name("a\nb\\c\u202e\udcff") == "a\\nb\\\\c\\u202e\\xff"


def test_excludes() -> None:
    assert is_excluded("node_modules/x/openai.js", DEFAULT_EXCLUDES)
    assert not is_excluded("src/node_modules.py", DEFAULT_EXCLUDES)
    assert is_excluded("gen/a.py", ("gen/*",))
    assert is_excluded("a/b/c.py", ("a/b",))


def test_inside(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "out").symlink_to(tmp_path)
    root = (tmp_path / "in").resolve()
    assert inside(root, root / "x")
    assert not inside(root, root / "out" / "x")


def test_read_small_refuses_fifos_devices_and_big_files(tmp_path: Path) -> None:
    (tmp_path / "ok").write_bytes(b"12345")
    os.mkfifo(tmp_path / "fifo")
    assert read_small(tmp_path / "ok", 5) == b"12345"
    assert read_small(tmp_path / "ok", 4) is None
    assert read_small(tmp_path / "fifo", 10) is None
    assert read_small("/dev/zero", 10) is None
    assert read_small(tmp_path / "missing", 10) is None
