"""Signed sign-off: ``kigate sign``, ``kigate verify`` and KG160-KG164 in ``kigate check``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import MakeRepo, git
from tests.gates_support import commit, complete_files
from tests.signoff_support import (
    OWNER,
    RunCli,
    allowed_signers,
    keypair,
    org_policy,
    signoff_rules,
)


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "keys"
    return {name: keypair(folder, name) for name in ("owner", "stranger")}


@pytest.fixture
def policy(tmp_path: Path, keys: dict[str, tuple[Path, str]]) -> Path:
    """An organisation policy trusting the owner's key, kept outside every repository."""
    signers = allowed_signers(tmp_path / "org" / "allowed_signers", [(OWNER, keys["owner"][1])])
    return org_policy(tmp_path / "org", allowed_signers=json.dumps(str(signers)))


def check(run_cli: RunCli, root: Path, policy: Path, *extra: str) -> list[tuple[str, str]]:
    result = run_cli("check", "--format", "json", "--policy", str(policy), *extra, str(root))
    assert result.exit_code in (0, 1), result.output
    return signoff_rules(result)


def sign(run_cli: RunCli, root: Path, policy: Path, key: Path, *extra: str) -> str:
    result = run_cli("sign", "--key", str(key), "--policy", str(policy), *extra, str(root))
    assert result.exit_code == 0, result.output
    return result.output


def test_signed_manifest_has_no_finding_and_verifies(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    root = make_repo(complete_files())
    assert check(run_cli, root, policy) == [("KG160", "warning")]
    output = sign(run_cli, root, policy, keys["owner"][0])
    (record,) = (root / ".kigate" / "approvals").iterdir()
    assert record.name.startswith("manifest.") and record.suffix == ".toml"
    assert output.startswith(f"{record}: signed ai-values.toml as key SHA256:")
    written = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    assert sorted(w for w in written if not w.startswith(".git/")) == sorted(
        [*complete_files(), f".kigate/approvals/{record.name}"]
    )
    assert check(run_cli, root, policy) == []
    verified = run_cli("verify", "--policy", str(policy), str(root))
    assert verified.exit_code == 0
    lines = verified.output.splitlines()
    signers = policy.parent / "allowed_signers"
    assert lines[0] == f"Sign-offs of ai-values.toml (allowed signers: {signers})"
    assert re.fullmatch(
        r"  valid: \.kigate/approvals/manifest\.[0-9a-f]{16}\.toml — key SHA256:\S+, "
        rf"signed \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ, by {re.escape(OWNER)}",
        lines[1],
    )
    assert lines[2:] == ["ai-values.toml: signed by its owner, current and trusted."]


def test_one_changed_byte_makes_the_signoff_stale(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    root = make_repo(complete_files())
    sign(run_cli, root, policy, keys["owner"][0])
    manifest = root / "ai-values.toml"
    manifest.write_bytes(manifest.read_bytes() + b" ")
    assert check(run_cli, root, policy) == [("KG161", "warning")]
    assert run_cli("verify", "--policy", str(policy), str(root)).exit_code == 1


def test_a_policy_change_makes_the_signoff_stale(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    sign(run_cli, root, policy, keys["owner"][0])
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text + 'version = "2027.1"\n', encoding="utf-8")
    assert check(run_cli, root, policy) == [("KG161", "warning")]


def test_key_not_in_allowed_signers_is_untrusted(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    root = make_repo(complete_files())
    sign(run_cli, root, policy, keys["stranger"][0])
    assert check(run_cli, root, policy) == [("KG162", "warning")]
    result = run_cli("check", "--policy", str(policy), str(root))
    (line,) = [ln for ln in result.output.splitlines() if "KG162" in ln]
    assert "is not trusted by the allowed signers" in line


def test_a_trusted_signer_who_is_not_the_owner(
    make_repo: MakeRepo, run_cli: RunCli, keys, tmp_path: Path
) -> None:
    signers = allowed_signers(
        tmp_path / "org" / "allowed_signers", [("alice@example.org", keys["stranger"][1])]
    )
    policy = org_policy(tmp_path / "org", allowed_signers=json.dumps(str(signers)))
    root = make_repo(complete_files())
    sign(run_cli, root, policy, keys["stranger"][0])
    assert check(run_cli, root, policy) == [("KG163", "warning")]
    mapped = org_policy(
        tmp_path / "org2",
        allowed_signers=json.dumps(str(signers)),
        table_owners=f'[owner_signers]\n"{OWNER}" = ["alice@example.org"]\n',
    )
    sign(run_cli, root, mapped, keys["stranger"][0])
    assert check(run_cli, root, mapped) == []


def test_require_signoff_makes_the_findings_errors(
    make_repo: MakeRepo, run_cli: RunCli, keys, tmp_path: Path
) -> None:
    signers = allowed_signers(tmp_path / "org" / "allowed_signers", [(OWNER, keys["owner"][1])])
    policy = org_policy(
        tmp_path / "org", allowed_signers=json.dumps(str(signers)), require_signoff="true"
    )
    root = make_repo(complete_files())
    result = run_cli("check", "--policy", str(policy), str(root))
    assert result.exit_code == 1
    assert "ai-values.toml:1: KG160 error ai-values.toml is not signed" in result.output
    sign(run_cli, root, policy, keys["owner"][0])
    assert run_cli("check", "--policy", str(policy), str(root)).exit_code == 0


def test_allowed_signers_added_by_the_change_is_not_trusted_under_base(
    make_repo: MakeRepo, run_cli: RunCli, keys, tmp_path: Path
) -> None:
    policy = org_policy(tmp_path / "org", allowed_signers_in_base='".kigate/allowed_signers"')
    files = complete_files()
    files[".kigate/allowed_signers"] = f"{OWNER} {keys['owner'][1]}\n"
    root = make_repo(files)
    git(root, "checkout", "-q", "-b", "feature")
    # The change replaces the trusted key by its own and signs with it.
    commit(root, {".kigate/allowed_signers": f"{OWNER} {keys['stranger'][1]}\n"})
    sign(run_cli, root, policy, keys["stranger"][0])
    commit(root, {})
    assert check(run_cli, root, policy, "--base", "main") == [("KG162", "warning")]
    # The owner's signature verifies against the base commit's file.
    sign(run_cli, root, policy, keys["owner"][0])
    assert check(run_cli, root, policy, "--base", "main") == []


def test_allowed_signers_only_in_the_change_is_one_sentence(
    make_repo: MakeRepo, run_cli: RunCli, keys, tmp_path: Path
) -> None:
    policy = org_policy(tmp_path / "org", allowed_signers_in_base='".kigate/allowed_signers"')
    root = make_repo(complete_files())
    git(root, "checkout", "-q", "-b", "feature")
    commit(root, {".kigate/allowed_signers": f"{OWNER} {keys['stranger'][1]}\n"})
    sign(run_cli, root, policy, keys["stranger"][0])
    result = run_cli("check", "--base", "main", "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert result.output == (
        "kigate: the allowed signers file main:.kigate/allowed_signers does not exist "
        "in the base commit\n"
    )


def test_without_base_the_signoff_is_unchecked_not_passed(
    make_repo: MakeRepo, run_cli: RunCli, keys, tmp_path: Path
) -> None:
    policy = org_policy(tmp_path / "org", allowed_signers_in_base='".kigate/allowed_signers"')
    root = make_repo(complete_files())
    result = run_cli("check", "--format", "json", "--policy", str(policy), str(root))
    unchecked = json.loads(result.stdout)["unchecked"]
    assert [u["rule"] for u in unchecked] == ["KG160", "KG161", "KG162", "KG163", "KG164"]
    assert unchecked[0]["reason"].endswith("run with --base REF to verify sign-offs")


def test_allowed_signers_inside_the_repository_is_refused(
    make_repo: MakeRepo, run_cli: RunCli, keys, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    inside = allowed_signers(root / "signers", [(OWNER, keys["owner"][1])])
    policy = org_policy(tmp_path / "org", allowed_signers=json.dumps(str(inside)))
    result = run_cli("check", "--policy", str(policy), str(root))
    assert result.exit_code == 2
    assert result.output.startswith(f"kigate: the allowed signers file {inside} lies inside")
    assert result.output.count("\n") == 1


def test_signed_waiver_verifies(make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path) -> None:
    files = complete_files()
    files["ai-values.toml"] = str(files["ai-values.toml"]) + (
        '\n[[waivers]]\nrule = "KG131"\nreason = "Reviewed at the board meeting"\n'
        f'expires = 2099-01-31\napproved_by = "{OWNER}"\n'
    )
    root = make_repo(files)
    sign(run_cli, root, policy, keys["owner"][0])
    assert check(run_cli, root, policy) == [("KG164", "warning")]
    sign(run_cli, root, policy, keys["owner"][0], "--waiver", "KG131")
    assert check(run_cli, root, policy) == []
    result = run_cli("verify", "--policy", str(policy), str(root))
    assert result.exit_code == 0
    assert f"  waiver for KG131 (approved_by {OWNER}): valid" in result.output.splitlines()
    # Another approver's name on the same signature no longer holds.
    manifest = root / "ai-values.toml"
    text = manifest.read_text(encoding="utf-8").replace(
        f'approved_by = "{OWNER}"', 'approved_by = "ceo@example.org"'
    )
    manifest.write_text(text, encoding="utf-8")
    sign(run_cli, root, policy, keys["owner"][0])
    assert check(run_cli, root, policy) == [("KG164", "warning")]


def test_staged_check_judges_the_signoff_in_the_index(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    root = make_repo(complete_files())
    sign(run_cli, root, policy, keys["owner"][0])
    assert check(run_cli, root, policy, "--staged") == [("KG160", "warning")]
    git(root, "add", ".kigate")
    assert check(run_cli, root, policy, "--staged") == []
    manifest = root / "ai-values.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(root, "add", "ai-values.toml")
    assert check(run_cli, root, policy, "--staged") == [("KG161", "warning")]


def test_german_finding_and_verify_output(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    root = make_repo(complete_files())
    result = run_cli("check", "--lang", "de", "--policy", str(policy), str(root))
    assert (
        "ai-values.toml:1: KG160 Warnung ai-values.toml ist nicht signiert; die verantwortliche "
        f"Stelle {OWNER} signiert es mit `kigate sign --key SCHLÜSSEL`"
    ) in result.output.splitlines()
    sign(run_cli, root, policy, keys["stranger"][0])
    verified = run_cli("verify", "--lang", "de", "--policy", str(policy), str(root))
    assert verified.exit_code == 1
    assert verified.output.splitlines()[1].startswith(
        "  Schlüssel nicht unter den erlaubten Signierenden: .kigate/approvals/manifest."
    )


def test_a_package_manifest_signed_in_place_verifies_from_the_top_and_inside(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    files = {f"svc/{name}": content for name, content in complete_files().items()}
    root = make_repo(files)
    sign(run_cli, root / "svc", policy, keys["owner"][0])
    assert (root / "svc" / ".kigate" / "approvals").is_dir()
    assert check(run_cli, root, policy) == []
    assert check(run_cli, root / "svc", policy) == []
    # The same record moved beside another manifest does not sign that one.
    other = root / "other"
    other.mkdir()
    (other / "ai-values.toml").write_bytes((root / "svc" / "ai-values.toml").read_bytes())
    (other / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (other / ".kigate").mkdir()
    (other / ".kigate" / "approvals").mkdir()
    (record,) = (root / "svc" / ".kigate" / "approvals").iterdir()
    (other / ".kigate" / "approvals" / record.name).write_bytes(record.read_bytes())
    assert check(run_cli, root, policy) == [("KG161", "warning")]


def test_a_manifest_above_the_checked_directory_is_unchecked_not_unsigned(
    make_repo: MakeRepo, run_cli: RunCli, keys, policy: Path
) -> None:
    files = complete_files()
    files["svc/requirements.txt"] = "openai\n"
    root = make_repo(files)
    sign(run_cli, root, policy, keys["owner"][0])
    assert check(run_cli, root, policy) == []
    result = run_cli("check", "--format", "json", "--policy", str(policy), str(root / "svc"))
    doc = json.loads(result.stdout)
    assert [f["rule"] for f in doc["findings"] if f["rule"].startswith("KG16")] == []
    reasons = {u["reason"] for u in doc["unchecked"] if u["rule"].startswith("KG16")}
    assert reasons == {
        "../ai-values.toml lies above the checked directory; its sign-off is verified when "
        "the directory holding it is checked"
    }
