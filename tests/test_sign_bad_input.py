"""Sign-off with bad input: one sentence, the rule's finding or exit 2; never a traceback,
never a write outside the approvals folder, never through a link."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import MakeRepo
from tests.gates_support import complete_files
from tests.signoff_support import OWNER, RunCli, allowed_signers, keypair, org_policy, rules_of


@pytest.fixture
def owner_key(tmp_path: Path) -> tuple[Path, str]:
    return keypair(tmp_path / "keys", "owner")


@pytest.fixture
def policy(tmp_path: Path, owner_key: tuple[Path, str]) -> Path:
    signers = allowed_signers(tmp_path / "org" / "allowed_signers", [(OWNER, owner_key[1])])
    return org_policy(tmp_path / "org", allowed_signers=json.dumps(str(signers)))


def one_sentence(output: str) -> str:
    assert output.startswith("kigate: ") and output.count("\n") == 1, output
    assert "Traceback" not in output
    return output[len("kigate: ") : -1]


def test_missing_ssh_keygen_is_one_sentence(
    make_repo: MakeRepo, run_cli: RunCli, owner_key, policy: Path, tmp_path: Path
) -> None:
    signed = make_repo(complete_files())
    key, ref = str(owner_key[0]), str(policy)
    assert run_cli("sign", "--key", key, "--policy", ref, str(signed)).exit_code == 0
    only_git = tmp_path / "only-git"
    only_git.mkdir()
    (only_git / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    env = {"PATH": str(only_git)}
    fresh = make_repo(complete_files())
    result = run_cli("sign", "--key", key, "--policy", ref, str(fresh), env=env)
    assert result.exit_code == 2
    assert one_sentence(result.output).startswith("ssh-keygen was not found on PATH; install")
    assert not (fresh / ".kigate").exists()
    checked = run_cli("check", "--policy", ref, str(signed), env=env)
    assert checked.exit_code == 2
    assert one_sentence(checked.output).startswith("ssh-keygen was not found on PATH")


def test_malformed_signature_file_is_the_rules_finding(
    make_repo: MakeRepo, run_cli: RunCli, policy: Path
) -> None:
    files = complete_files()
    files[".kigate/approvals/manifest.0000000000000000.toml"] = (
        "kigate-signoff = 1\nsignature = 3\n"
    )
    root = make_repo(files)
    result = run_cli("check", "--policy", str(policy), str(root))
    assert result.exit_code == 0
    assert (
        "ai-values.toml:1: KG162 warning the sign-off "
        ".kigate/approvals/manifest.0000000000000000.toml of ai-values.toml cannot be read "
        "as a kigate sign-off"
    ) in result.output.splitlines()


def test_binary_signature_file_is_the_rules_finding(
    make_repo: MakeRepo, run_cli: RunCli, policy: Path
) -> None:
    files = complete_files()
    files[".kigate/approvals/manifest.x.toml"] = b"\xff\xfe\x00garbage"
    root = make_repo(files)
    result = run_cli("check", "--format", "json", "--policy", str(policy), str(root))
    assert [r for r in rules_of(result) if r[0].startswith("KG16")] == [("KG162", "warning")]


def test_malformed_allowed_signers_is_one_sentence(
    make_repo: MakeRepo, run_cli: RunCli, owner_key, tmp_path: Path
) -> None:
    signers = tmp_path / "org" / "allowed_signers"
    signers.parent.mkdir()
    signers.write_text(f"# keys\n{OWNER} {owner_key[1]}\nbob@example.org not-a-key\n", "utf-8")
    policy = org_policy(tmp_path / "org", allowed_signers=json.dumps(str(signers)))
    root = make_repo(complete_files())
    result = run_cli("check", "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert one_sentence(result.output) == (
        f"{signers}: line 3 is not an allowed signers entry (identity, optional options, "
        "key type, key)"
    )


def test_unreadable_allowed_signers_is_one_sentence(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    policy = org_policy(tmp_path / "org", allowed_signers='"missing_signers"')
    root = make_repo(complete_files())
    result = run_cli("verify", "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert one_sentence(result.output) == (
        f"the allowed signers file {tmp_path / 'org' / 'missing_signers'} cannot be read: "
        "No such file or directory"
    )


def test_fifo_as_allowed_signers_is_not_read(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    fifo = tmp_path / "org" / "fifo"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    policy = org_policy(tmp_path / "org", allowed_signers=json.dumps(str(fifo)))
    result = run_cli("check", "--policy", str(policy), str(make_repo(complete_files())))
    assert result.exit_code == 2
    assert "is not a regular UTF-8 text file" in one_sentence(result.output)


@pytest.mark.parametrize("linked", [".kigate", ".kigate/approvals"])
def test_signing_never_writes_through_a_link(
    make_repo: MakeRepo, run_cli: RunCli, owner_key, policy: Path, tmp_path: Path, linked: str
) -> None:
    root = make_repo(complete_files())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = root / linked
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("sign", "--key", str(owner_key[0]), "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert one_sentence(result.output) == (
        f"{link} is a link or not a folder; kigate writes sign-offs only into a real "
        ".kigate/approvals folder"
    )
    assert list(elsewhere.iterdir()) == []


def test_missing_key_file_and_missing_manifest(
    make_repo: MakeRepo, run_cli: RunCli, owner_key, policy: Path, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    missing = tmp_path / "nokey"
    result = run_cli("sign", "--key", str(missing), "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert one_sentence(result.output) == f"the key file {missing} does not exist or is not a file"
    empty = make_repo({"README.md": "x\n"})
    result = run_cli("sign", "--key", str(owner_key[0]), str(empty))
    assert result.exit_code == 2
    assert one_sentence(result.output).startswith(f"{empty} holds no ai-values.toml")


def test_a_file_that_is_no_key_cannot_sign(
    make_repo: MakeRepo, run_cli: RunCli, policy: Path, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    public = tmp_path / "not-a-key"
    public.write_text("hello\n", encoding="utf-8")
    env = {"SSH_AUTH_SOCK": ""}
    result = run_cli("sign", "--key", str(public), "--policy", str(policy), str(root), env=env)
    assert result.exit_code == 2
    assert one_sentence(result.output).startswith(f"ssh-keygen could not sign with {public}: ")
    assert not (root / ".kigate" / "approvals").exists() or not any(
        (root / ".kigate" / "approvals").iterdir()
    )


def test_signatures_without_a_trust_anchor_are_unchecked(
    make_repo: MakeRepo, run_cli: RunCli, owner_key, policy: Path
) -> None:
    root = make_repo(complete_files())
    run_cli("sign", "--key", str(owner_key[0]), str(root))
    result = run_cli("check", "--format", "json", str(root))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [f["rule"] for f in doc["findings"]] == []
    assert {u["reason"] for u in doc["unchecked"]} == {
        "sign-offs were found, but the policy names no allowed_signers file, so who signed "
        "cannot be verified"
    }


def test_verify_without_a_manifest_is_one_sentence(
    make_repo: MakeRepo, run_cli: RunCli, policy: Path
) -> None:
    root = make_repo({"README.md": "x\n"})
    result = run_cli("verify", "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert one_sentence(result.output) == f"{root} holds no valid ai-values.toml to verify"


def test_owner_signers_must_list_identities(run_cli: RunCli, tmp_path: Path) -> None:
    policy = org_policy(tmp_path / "org", table_owners='[owner_signers]\n"board" = "alice"\n')
    result = run_cli("policy", "validate", str(policy))
    assert result.exit_code == 1
    assert "owner_signers.board" in result.output


def test_required_signoff_without_a_trust_anchor_is_unchecked(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    policy = org_policy(tmp_path / "org", require_signoff="true")
    result = run_cli(
        "check", "--format", "json", "--policy", str(policy), str(make_repo(complete_files()))
    )
    unchecked = json.loads(result.stdout)["unchecked"]
    assert unchecked[0]["reason"].startswith("the policy requires sign-off but names no")
    assert [u["rule"] for u in unchecked] == [
        "KG160", "KG161", "KG162", "KG163", "KG164",
    ]  # fmt: skip


def test_a_linked_record_file_is_replaced_never_written_through(
    make_repo: MakeRepo, run_cli: RunCli, owner_key, policy: Path, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    key, ref = str(owner_key[0]), str(policy)
    assert run_cli("sign", "--key", key, "--policy", ref, str(root)).exit_code == 0
    (record,) = (root / ".kigate" / "approvals").iterdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    record.unlink()
    record.symlink_to(outside)
    assert run_cli("sign", "--key", key, "--policy", ref, str(root)).exit_code == 0
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert record.is_file() and not record.is_symlink()
    assert sorted(p.name for p in record.parent.iterdir()) == [record.name]  # no temporary left


def test_record_names_reach_the_terminal_escaped(
    make_repo: MakeRepo, run_cli: RunCli, policy: Path
) -> None:
    files = complete_files()
    files[".kigate/approvals/manifest.\x1b[2J\u202e.toml"] = "not a record\n"
    root = make_repo(files, use_git=False)
    result = run_cli("verify", "--policy", str(policy), str(root))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "manifest.\\x1b[2J\\u202e.toml" in result.output
