"""The parsed-TOML memo and the snapshot file: the same data as parsing, beside (never in)
the checked tree, and a damaged file is parsed or detected afresh, never trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kigate import engine, policy, snapshot, tomlmemo
from kigate._toml import tomllib
from tests.conftest import MakeRepo
from tests.test_hostile import digest

BIG = "\n".join(f'[table{i}]\nname = "value {i}"\nitems = [1, 2, {i}]\n' for i in range(60))

CHILD = """
import json, sys
from kigate import tomlmemo
doc = tomlmemo.loads(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"doc": doc, "memo": bool(tomlmemo._used)}))
"""


def child(text_file: Path, cache_home: Path) -> dict[str, object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(text_file)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_a_large_text_is_parsed_once_and_a_damaged_memo_is_parsed_afresh(
    tmp_path: Path,
) -> None:
    text_file = tmp_path / "big.toml"
    text_file.write_text(BIG, encoding="utf-8")
    home = tmp_path / "xdg"
    expected = tomllib.loads(BIG)
    assert child(text_file, home) == {"doc": expected, "memo": False}
    tomlmemo.loads(BIG)
    folder = home / "kigate-trees"
    tomlmemo.flush(folder)
    assert child(text_file, home) == {"doc": expected, "memo": True}
    memo = folder / "parsed-toml.cache"
    data = bytearray(memo.read_bytes())
    data[-5] ^= 0xFF
    memo.write_bytes(bytes(data))
    assert child(text_file, home) == {"doc": expected, "memo": False}


def test_a_damaged_snapshot_is_detected_afresh(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "own-cache"))
    repo = make_repo({"app.py": "import openai\n", "lib.py": "import os\n"})
    before = digest(repo)
    request = engine.CheckRequest(root=repo, policy=policy.load(), cache=True)
    first = engine.check(request).report
    (stored,) = snapshot.directory().glob(f"*.v{snapshot.FORMAT}.cache")
    stored.write_bytes(stored.read_bytes()[:-7])
    (repo / "lib.py").write_text("import anthropic\n", encoding="utf-8")
    again = engine.check(request).report
    cold = engine.check(engine.CheckRequest(root=repo, policy=policy.load())).report
    assert [c.id for c in again.components] == [c.id for c in cold.components]
    assert again.components == cold.components != first.components
    assert digest(repo) != before  # only lib.py, written by the test
    assert not any(p.name.endswith(".cache") for p in repo.rglob("*"))
