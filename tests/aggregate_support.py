"""Helpers of the aggregate tests: example organisations and JSON reports on disk."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from kigate import engine
from kigate import policy as policy_mod
from kigate.formats.json import to_dict
from tests.conftest import MakeRepo, example_files


def write_report(repo: Path, target: Path) -> dict[str, Any]:
    """What ``kigate check --format json --output target`` writes for ``repo``."""
    document = to_dict(
        engine.check(engine.CheckRequest(repo, policy_mod.load(None), shown=".")).report
    )
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return document


def organisation(make_repo: MakeRepo, tmp_path: Path) -> list[str]:
    """Three repositories (complete, incomplete, no AI) and two CI reports of two others."""
    make_repo(example_files("complete"), name="org/complete")
    make_repo(example_files("incomplete"), name="org/incomplete")
    make_repo(example_files("no-ai"), name="org/no-ai")
    ci_a = make_repo(example_files("complete"), name="ci/service-a")
    ci_b = make_repo(example_files("incomplete"), name="ci/service-b")
    (tmp_path / "reports").mkdir()
    write_report(ci_a, tmp_path / "reports" / "service-a.json")
    write_report(ci_b, tmp_path / "reports" / "service-b.json")
    return [
        "org/complete",
        "org/incomplete",
        "org/no-ai",
        "reports/service-a.json",
        "reports/service-b.json",
    ]


# --- a throwaway PostgreSQL server for the history tests -------------------------------------
#
# KIGATE_TEST_POSTGRES names a server (a postgresql:// URL of a user who may create
# databases). Without it, the tests start their own cluster from Debian's ``postgresql``
# package in a temporary directory on a free local port, as a non-root user (initdb refuses
# root; as root we run it as ``nobody``), and stop it when the test session ends.

POSTGRES_ENV = "KIGATE_TEST_POSTGRES"
PG_USER, PG_PASSWORD = "kigate", "s3cret-Pa55"


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner() -> dict[str, Any]:
    import os

    return {"user": "nobody", "group": "nogroup"} if os.geteuid() == 0 else {}


@functools.cache
def postgres_server() -> str | None:
    """The URL of a PostgreSQL server for tests, or None when none can be had."""
    import atexit
    import os
    import shutil
    import subprocess
    import tempfile

    given = os.environ.get(POSTGRES_ENV)
    if given:
        return given
    binaries = _pg_bin()
    if binaries is None:
        return None
    home = Path(tempfile.mkdtemp(prefix="kigate-pg-"))
    owner = _as_owner()
    if owner:
        shutil.chown(home, owner["user"], owner["group"])
    (home / "pw").write_text(PG_PASSWORD + "\n", encoding="utf-8")
    if owner:
        shutil.chown(home / "pw", owner["user"], owner["group"])
    port = _free_port()
    data = home / "data"
    run = functools.partial(
        subprocess.run, check=True, capture_output=True, text=True, cwd=home, **owner
    )
    run([str(binaries / "initdb"), "-D", str(data), "-U", PG_USER, "--pwfile", str(home / "pw"),
         "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8",
         "--no-instructions"])  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={home}"
    run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-o", options,
         "-w", "-t", "60", "start"])  # fmt: skip

    def stop() -> None:
        subprocess.run(
            [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True, check=False, cwd=home, **owner,
        )  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{port}/postgres"


def fresh_database(server: str) -> str:
    """A new, empty database on ``server``; its URL (same credentials)."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "kigate_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name))


# --- a governance team's organisation: 22 repositories ------------------------------------
#
# AI with complete, partial and missing manifests, repositories without AI, four owners,
# every risk class and none, remotes on known hosts (with and without credentials), an
# internal host and no remote; ``pypi:openai`` is shared by most. Commits carry fixed dates,
# so commit ids (and whole outputs) are the same in every run.

FIXED_DATE = "2026-05-04T09:00:00+00:00"
HOSTILE = '<script>alert("owner")</script>"><img src=x onerror=alert(1)>'


def toml_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def fixed_git(repo: Path, *args: str) -> None:
    import os
    import subprocess

    env = {
        **os.environ, "GIT_AUTHOR_NAME": "Org", "GIT_AUTHOR_EMAIL": "org@example.org",
        "GIT_COMMITTER_NAME": "Org", "GIT_COMMITTER_EMAIL": "org@example.org",
        "GIT_AUTHOR_DATE": FIXED_DATE, "GIT_COMMITTER_DATE": FIXED_DATE,
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent),
    }  # fmt: skip
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo, env=env, check=True, capture_output=True,
    )  # fmt: skip


def _complete(system: str, owner: str, risk: str | None, today: Any) -> dict[str, str | bytes]:
    files = example_files("complete", today)
    manifest = str(files["ai-values.toml"])
    manifest = manifest.replace('name = "Support assistant"', f'name = "{toml_text(system)}"', 1)
    manifest = manifest.replace(
        'owner = "ai-board@example.org"\nlast', f'owner = "{toml_text(owner)}"\nlast', 1
    )
    risk_line = f'risk_class = "{risk}"\n' if risk else ""
    files["ai-values.toml"] = manifest.replace('risk_class = "limited"\n', risk_line, 1)
    return files


def _partial(system: str, owner: str, risk: str | None, today: Any) -> dict[str, str | bytes]:
    files = _complete(system, owner, risk, today)
    manifest = str(files["ai-values.toml"])
    cut = manifest.index("[aspects.participation]")
    files["ai-values.toml"] = manifest[:cut].replace(
        'status = "implemented"\nstatement = "Every agent',
        'status = "planned"\nstatement = "Every agent',
        1,
    )
    return files


def _missing(extra: str = "") -> dict[str, str | bytes]:
    files = example_files("complete")
    del files["ai-values.toml"]
    files["requirements.txt"] = str(files["requirements.txt"]) + extra
    return files


# name, kind, system, owner, risk class, remote
ORGANISATION: tuple[tuple[str, str, str, str, str | None, str | None], ...] = (
    ("credit-scoring", "complete", "Credit pre-check", "risk-office@example.org", "high",
     "git@github.com:example-org/credit-scoring.git"),
    ("hiring-screen", "partial", "CV pre-screening", "hr-it@example.org", "high",
     "https://ci-bot:glpat-SECRET@gitlab.com/example-org/hiring-screen.git"),
    ("emotion-detect", "partial", "Emotion detection pilot", "lab@example.org", "unacceptable",
     "ssh://git@codeberg.org/example-org/emotion-detect.git"),
    ("support-assistant", "complete", "Support assistant", "ai-board@example.org", "limited",
     "https://github.com/example-org/support-assistant"),
    ("chat-widget", "complete", "Website chat", "web@example.org", "limited",
     "https://bitbucket.org/example-org/chat-widget.git"),
    ("translation", "partial", "Document translation", "ai-board@example.org", "limited",
     "git@github.com:example-org/translation.git"),
    ("search-ranking", "complete", "Intranet search", "web@example.org", "minimal",
     "git@gitlab.example-org.de:platform/search-ranking.git"),
    ("spam-filter", "complete", "Mail spam filter", "it-ops@example.org", "minimal",
     "https://git.internal.example/it/spam-filter.git"),
    ("code-review-bot", "partial", "Review helper", "dev-tools@example.org", None, None),
    ("meeting-notes", "complete", HOSTILE, HOSTILE, "limited",
     "git@github.com:example-org/meeting-notes.git"),
    ("forecasting", "missing", "", "", None, "git@github.com:example-org/forecasting.git"),
    ("invoice-ocr", "missing", "", "", None, "https://github.com/example-org/invoice-ocr.git"),
    ("data-lake-tools", "missing", "", "", None, None),
    ("docs-site", "no-ai", "", "", None, "git@github.com:example-org/docs-site.git"),
    ("intranet", "no-ai", "", "", None, "https://gitlab.com/example-org/intranet.git"),
    ("billing", "no-ai", "", "", None, None),
    ("hr-portal", "no-ai", "", "", None, "git@github.com:example-org/hr-portal.git"),
    ("mobile-app", "complete", "Mobile assistant", "mobile@example.org", "limited",
     "git@github.com:example-org/mobile-app.git"),
    ("fraud-alerts", "partial", "Fraud alerts", "risk-office@example.org", "high",
     "git@github.com:example-org/fraud-alerts.git"),
    ("energy-report", "complete", "Energy report", "it-ops@example.org", "minimal", None),
    ("legal-drafts", "partial", "Contract drafting", "legal@example.org", None,
     "git@github.com:example-org/legal-drafts.git"),
    ("design-assets", "no-ai", "", "", None, None),
)  # fmt: skip


def build_organisation(base: Path, today: Any) -> list[str]:
    """The organisation under ``base``; returns the repository directories, as given."""
    from tests.conftest import write_files

    made = []
    for name, kind, system, owner, risk, remote in ORGANISATION:
        if kind == "complete":
            files = _complete(system, owner, risk, today)
        elif kind == "partial":
            files = _partial(system, owner, risk, today)
        elif kind == "missing":
            files = _missing("anthropic>=0.30\n" if name == "forecasting" else "")
        else:
            files = example_files("no-ai")
        if name in ("chat-widget", "mobile-app"):
            files["package.json"] = '{"dependencies": {"@anthropic-ai/sdk": "^0.30.0"}}\n'
        root = base / name
        root.mkdir(parents=True)
        write_files(root, files)
        fixed_git(root, "init", "-q")
        if remote:
            fixed_git(root, "remote", "add", "origin", remote)
        fixed_git(root, "add", "-A")
        fixed_git(root, "commit", "-q", "-m", "initial")
        made.append(str(root))
    return made
