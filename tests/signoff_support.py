"""Throwaway SSH keys, allowed signers files and organisation policies for sign-off tests."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

OWNER = "ai-board@example.org"


def keypair(folder: Path, name: str) -> tuple[Path, str]:
    """A new ed25519 key without passphrase: (private key file, public key line)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
        check=True,
        capture_output=True,
    )
    return key, key.with_suffix(".pub").read_text(encoding="utf-8").strip()


def allowed_signers(path: Path, entries: list[tuple[str, str]]) -> Path:
    """An OpenSSH allowed signers file: one ``identity key`` line per entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{identity} {' '.join(public.split()[:2])}" for identity, public in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def org_policy(folder: Path, **keys: str) -> Path:
    """An organisation policy extending the default, with the given top-level TOML lines."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "org.toml"
    body = "".join(f"{k} = {v}\n" for k, v in keys.items() if not k.startswith("table_"))
    tables = "".join(v for k, v in keys.items() if k.startswith("table_"))
    path.write_text('kigate-policy = 1\nextends = "demokratische-ki"\n' + body + tables, "utf-8")
    return path


def rules_of(result: Result) -> list[tuple[str, str]]:
    """(rule, severity) of every finding in a JSON report, in report order."""
    doc = json.loads(result.stdout)
    return [(f["rule"], f["severity"]) for f in doc["findings"]]


def signoff_rules(result: Result) -> list[tuple[str, str]]:
    return [r for r in rules_of(result) if r[0].startswith("KG16")]


RunCli = Callable[..., Result]
