"""Terminal and document injection, and faults of the environment kigate runs in.

Text a repository chose (manifest values, unknown keys, policy names, refs, remote URLs)
reaches a terminal without raw control characters and Markdown without a broken table or a
``javascript:`` link. A deleted working directory, an unwritable or closed stdout, no HOME,
a read-only or malformed cache: one sentence and a documented exit code, never a traceback.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kigate import cache, terminal
from tests.conftest import git
from tests.hostile_support import ai_repo, base_env, one_sentence, run_hostile

RAW = ("\x1b", "\x07", "\r", "\u202e", "\u2066", "\x9b")
EVIL = "\\u001b]8;;http://x\\u0007\\u001b[31mred\\u0007\\r\\u202e\\u2066\\u009b"

MANIFEST = f"""kigate = 1
[system]
name = "{EVIL}"
owner = "{EVIL}"
"{EVIL}" = 1

[[waivers]]
rule = "KG1|x](javascript:alert(1))\\u0007"
reason = "{EVIL}"
expires = 2020-01-01
"""


def assert_clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(char)


def test_the_sanitiser_escapes_what_a_terminal_obeys() -> None:
    shown = terminal.safe("a\x1b[2Jb\x07c\rd\u202ee\nf\tg\udc80")
    assert shown == "a\\e[2Jb\\ac\\rd\\u202ee\nf\tg\\x80"
    assert terminal.safe("x\ny", one_line=True) == "x\\ny"
    assert terminal.url("https://[broken/x.git") == "https://%5Bbroken/x.git"
    assert terminal.url("https://h/\x1b[31m") == "https://h/\\e[31m"
    assert terminal.url("https://github.com/o/r.git") == "https://github.com/o/r.git"


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "json", "sarif", "junit"])
def test_manifest_text_reaches_outputs_without_controls(tmp_path: Path, fmt: str) -> None:
    root = ai_repo(tmp_path, files={"ai-values.toml": MANIFEST})
    done = run_hostile(root, tmp_path, "check", "--format", fmt, str(root))
    assert_clean(done.stdout + done.stderr)
    if fmt == "markdown":
        assert "](javascript:" not in done.stdout
        for line in done.stdout.splitlines():
            if line.startswith("|"):
                assert line.endswith("|")


def test_names_from_settings_and_refs_reach_stderr_escaped(tmp_path: Path) -> None:
    root = ai_repo(tmp_path, files={".kigate.toml": f'policy = "{EVIL}"\n'})
    done = run_hostile(root, tmp_path, "check", str(root), allowed=(2,))
    sentence = one_sentence(done.stderr)
    assert "\\e" in sentence
    assert_clean(done.stderr)
    (root / ".kigate.toml").write_text(f'"{EVIL}" = 1\n', encoding="utf-8")
    done = run_hostile(root, tmp_path, "check", str(root), allowed=(2,))
    assert_clean(done.stderr)
    (root / ".kigate.toml").unlink()
    ref = "\x1b[31mref\x07\u202e"
    done = run_hostile(root, tmp_path, "check", "--base", ref, str(root), allowed=(2,))
    assert_clean(done.stderr)
    env = {**base_env(tmp_path), "PRE_COMMIT_FROM_REF": ref, "PRE_COMMIT_TO_REF": "HEAD"}
    hook = ["-c", "import sys; from kigate.hook import main; sys.exit(main(['--push']))"]
    done_hook = subprocess.run(
        [sys.executable, *hook],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done_hook.returncode == 2, done_hook.stderr
    assert "Traceback" not in done_hook.stderr
    assert_clean(done_hook.stderr)


@pytest.mark.parametrize(
    "url", ["https://[broken/x.git", "https://h/\x1b[31mx\x07", "git@h:\u202eo/r.git"]
)
def test_hostile_remote_urls(tmp_path: Path, url: str) -> None:
    root = ai_repo(tmp_path)
    git(root, "remote", "add", "origin", url)
    for fmt in ("text", "json", "markdown", "sarif"):
        done = run_hostile(root, tmp_path, "check", "--format", fmt, str(root), allowed=(1,))
        assert_clean(done.stdout + done.stderr)


# --- environment faults --------------------------------------------------------------------


def test_deleted_working_directory(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r})"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script + "; from kigate.cli import main; sys.exit(main(['check', '.']))",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        env=base_env(tmp_path),
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    one_sentence(done.stderr)
    assert root.is_dir()


@pytest.mark.parametrize("command", [("check",), ("scan", "--format", "json")])
def test_stdout_on_a_full_device(tmp_path: Path, command: tuple[str, ...]) -> None:
    root = ai_repo(tmp_path)
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = run_hostile(root, tmp_path, *command, str(root), stdout=full, allowed=(2,))
    assert "cannot be written" in one_sentence(done.stderr)


def test_stdout_a_closed_pipe(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run_hostile(
            root, tmp_path, "check", "--format", "json", str(root), stdout=write_end, allowed=(2,)
        )
    finally:
        os.close(write_end)
    assert "cannot be written" in one_sentence(done.stderr)


def test_home_unset(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    env = {k: v for k, v in base_env(tmp_path).items() if k not in ("HOME", "XDG_CACHE_HOME")}
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root), env=env)
    assert done.code == 1


def test_read_only_cache(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    env = base_env(tmp_path)
    folder = Path(env["XDG_CACHE_HOME"]) / "kigate"
    folder.mkdir(parents=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        done = run_hostile(root, tmp_path, "check", "--format", "json", str(root), env=env)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert done.code == 1
    assert '"pypi:openai"' in done.stdout


@pytest.mark.parametrize(
    "entries",
    [
        {"requirements.txt": "not a tuple"},
        {"requirements.txt": ("key", "not plain")},
        {"requirements.txt": ("key", ((1, 2),))},
        ["a", "list"],
    ],
)
def test_cache_entries_valid_by_checksum_but_of_the_wrong_shape(
    tmp_path: Path, entries: object
) -> None:
    root = ai_repo(tmp_path)
    env = base_env(tmp_path)
    run_hostile(root, tmp_path, "check", "--format", "json", str(root), env=env)  # fills it
    folder = Path(env["XDG_CACHE_HOME"]) / "kigate"
    (file,) = folder.glob("*.cache")
    head = file.read_bytes().split(b"\n\n", 1)[0].split(b"\n")
    body = marshal.dumps(entries)
    lines = [head[0], head[1], head[2], hashlib.sha256(body).hexdigest().encode()]
    file.write_bytes(b"\n".join(lines) + b"\n\n" + body)
    assert cache.MAGIC.startswith(head[0])
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root), env=env)
    assert done.code == 1
    assert '"pypi:openai"' in done.stdout
