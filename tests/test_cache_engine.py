"""The cache in use: same results as without it, work only for changed files, never a write
into the repository, a damaged cache costs a note and nothing else, ``--no-cache``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from kigate import cache, engine, policy
from kigate.model import Text
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, git
from tests.test_hostile import digest

POLICY = policy.load()
FILES = {
    "requirements.txt": "openai\n",
    "app/main.py": "import os\nimport anthropic\n",
    "app/util.py": "import json\n",
    "web/package.json": '{"dependencies": {"openai": "^4"}}\n',
    "README.md": "A project.\n",
}


class CountingTree(WorkTree):
    """Counts which files detection reads."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.reads: Counter[str] = Counter()

    def read(self, path: str, limit: int) -> bytes | None:
        self.reads[path] += 1
        return super().read(path, limit)


def scan(root: Path, use_cache: bool = True) -> tuple[object, Counter[str], list[Text]]:
    tree = CountingTree(root)
    found = engine.scan(tree, POLICY, cache=use_cache)
    return (found.components, found.problems), tree.reads, list(found.notes)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def test_a_warm_run_reads_only_what_changed(make_repo: MakeRepo, cache_home: Path) -> None:
    repo = make_repo(FILES)
    cold, cold_reads, _ = scan(repo)
    assert cold == scan(repo, use_cache=False)[0]
    assert "app/main.py" in cold_reads
    warm, warm_reads, notes = scan(repo)
    assert warm == cold and notes == []
    assert "app/main.py" not in warm_reads and "app/util.py" not in warm_reads
    (repo / "app" / "util.py").write_text("import json\nimport torch\n", encoding="utf-8")
    changed, changed_reads, _ = scan(repo)
    assert "app/main.py" not in changed_reads
    assert changed_reads["app/util.py"] == 1
    assert changed == scan(repo, use_cache=False)[0]
    assert changed != cold


def test_the_cache_is_written_beside_never_into_the_repository(
    make_repo: MakeRepo, cache_home: Path, run_cli: Callable[..., Result]
) -> None:
    repo = make_repo(FILES)
    before = digest(repo)
    first = run_cli("check", "--format", "json", str(repo))
    second = run_cli("check", "--format", "json", str(repo))
    assert digest(repo) == before
    assert [p.suffix for p in (cache_home / "kigate").iterdir()] == [".cache"]
    drop = ("generated_at",)
    assert {k: v for k, v in json.loads(first.stdout).items() if k not in drop} == {
        k: v for k, v in json.loads(second.stdout).items() if k not in drop
    }
    assert first.exit_code == second.exit_code == 1


def test_no_cache_neither_reads_nor_writes_it(
    make_repo: MakeRepo, cache_home: Path, run_cli: Callable[..., Result]
) -> None:
    repo = make_repo(FILES)
    assert run_cli("check", "--no-cache", str(repo)).exit_code == 1
    assert run_cli("scan", "--no-cache", str(repo)).exit_code == 0
    assert not cache_home.exists()


def test_a_damaged_cache_is_a_note_on_stderr_and_the_same_result(
    make_repo: MakeRepo, cache_home: Path, run_cli: Callable[..., Result]
) -> None:
    repo = make_repo(FILES)
    clean = run_cli("check", str(repo))
    (stored,) = (cache_home / "kigate").iterdir()
    stored.write_bytes(stored.read_bytes()[:-10])
    damaged = run_cli("check", str(repo))
    assert damaged.stdout == clean.stdout
    assert damaged.stderr == (
        f"kigate: note: the cache {stored} is damaged (checksum); it is ignored and rebuilt\n"
    )
    assert run_cli("check", str(repo)).stderr == ""


def test_another_catalogue_is_another_namespace(make_repo: MakeRepo, cache_home: Path) -> None:
    repo = make_repo(FILES)
    scan(repo)
    narrow = policy.load("d64")
    tree = CountingTree(repo)
    found = engine.load_catalogue(narrow)
    other = engine.open_cache(tree, found)
    same = engine.open_cache(tree, engine.load_catalogue(POLICY))
    assert (other.namespace == same.namespace) == (
        [s.raw for s in found.signals] == [s.raw for s in engine.load_catalogue(POLICY).signals]
    )
    assert isinstance(same, cache.Cache) and same.get("app/main.py", None) is None


EDITS = st.lists(
    st.tuples(
        st.sampled_from([*sorted(FILES), "new/extra.py", "requirements-dev.txt"]),
        st.sampled_from(
            [b"", b"import torch\n", b"openai\n", b"\xff\xfe", b"import os\n", b"langchain\n", None]
        ),
    ),
    min_size=1,
    max_size=6,
)


@given(edits=EDITS, commit=st.booleans())
def test_cached_results_equal_fresh_ones_after_any_edits(
    edits: list[tuple[str, bytes | None]],
    commit: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    repo = tmp_path_factory.mktemp("edits") / "repo"
    repo.mkdir()
    for name, text in FILES.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    scan(repo)
    for name, text in edits:
        path = repo / name
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as handle:
                handle.write(text)
        if commit:
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "--allow-empty", "-m", "edit")
        assert scan(repo)[0] == scan(repo, use_cache=False)[0]


def test_a_cache_directory_inside_the_checked_one_is_not_used(
    make_repo: MakeRepo, run_cli: Callable[..., Result]
) -> None:
    repo = make_repo(FILES)
    before = digest(repo)
    result = run_cli("check", str(repo), env={"XDG_CACHE_HOME": str(repo / ".cache")})
    assert result.exit_code == 1
    assert result.stderr == (
        f"kigate: note: the cache directory {repo / '.cache' / 'kigate'} lies inside the "
        "checked directory; checking without cache (set XDG_CACHE_HOME elsewhere)\n"
    )
    assert digest(repo) == before
