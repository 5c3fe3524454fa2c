"""``kigate export``: a schema'd, versioned evidence bundle whose hashes match the files."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from tests.conftest import MakeRepo, complete_manifest
from tests.gates_support import complete_files
from tests.signoff_support import OWNER, RunCli, allowed_signers, keypair, org_policy


def schema(name: str) -> dict[str, Any]:
    text = (resources.files("kigate") / "schemas" / name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(document: dict[str, Any]) -> None:
    report = schema("report-v1.schema.json")
    registry = Registry().with_resource(report["$id"], Resource.from_contents(report))
    bundle = schema("export-v1.schema.json")
    jsonschema.Draft202012Validator.check_schema(bundle)
    jsonschema.Draft202012Validator(bundle, registry=registry).validate(document)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bundle_validates_and_its_hashes_match(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    key, public = keypair(tmp_path / "keys", "owner")
    signers = allowed_signers(tmp_path / "org" / "allowed_signers", [(OWNER, public)])
    policy = org_policy(tmp_path / "org", allowed_signers=json.dumps(str(signers)))
    manifest = (
        complete_manifest()
        .replace('owner = "ai-board@example.org"\n', 'owner = "ai-board@example.org"\n', 1)
        .replace(
            "[aspects.competencies]\n",
            '[aspects.competencies]\nevidence = ["https://example.org/training", "docs/gone.md"]\n',
        )
    )
    files = {**complete_files(), "ai-values.toml": manifest}
    root = make_repo(files)
    assert run_cli("sign", "--key", str(key), "--policy", str(policy), str(root)).exit_code == 0
    result = run_cli("export", "--policy", str(policy), str(root))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    validate(doc)
    assert (doc["format"], doc["format_version"]) == ("kigate-export", 1)
    assert doc["allowed_signers"] == str(signers)
    (entry,) = doc["manifests"]
    assert entry["sha256"] == sha(root / "ai-values.toml")
    assert entry["content"] == manifest
    (signoff,) = entry["signoffs"]
    assert (signoff["subject"], signoff["state"], signoff["identities"]) == (
        "manifest",
        "ok",
        [OWNER],
    )
    record = root / signoff["file"]
    assert signoff["sha256"] == sha(record)
    assert signoff["record"] == record.read_text(encoding="utf-8")
    kinds = [(e["aspect"], e["kind"], e.get("path")) for e in doc["evidence"]]
    assert kinds == [
        ("risks", "file", "docs/ai/risk-assessment.md"),
        ("non_discrimination", "file", "docs/ai/bias-tests.md"),
        ("competencies", "url", None),
        ("competencies", "missing", "docs/gone.md"),
    ]
    for item in doc["evidence"]:
        if item["kind"] == "file":
            target = root / item["path"]
            assert (item["sha256"], item["bytes"]) == (sha(target), target.stat().st_size)
    assert doc["report"]["format"] == "kigate-report"
    assert [f["rule"] for f in doc["report"]["findings"]] == ["KG120"]


def test_signed_bundle_verifies_with_ssh_keygen(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    key, public = keypair(tmp_path / "keys", "owner")
    root = make_repo(complete_files())
    out = tmp_path / "bundle.json"
    result = run_cli("export", "--output", str(out), "--sign", str(key), str(root))
    assert result.exit_code == 0
    validate(json.loads(out.read_text(encoding="utf-8")))
    signers = allowed_signers(tmp_path / "signers", [(OWNER, public)])
    verify = [
        "ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", OWNER,
        "-n", "kigate-export@v1", "-s", f"{out}.sig",
    ]  # fmt: skip
    done = subprocess.run(verify, input=out.read_bytes(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    out.write_bytes(out.read_bytes().replace(b"kigate-export", b"kigate-exporT", 1))
    done = subprocess.run(verify, input=out.read_bytes(), capture_output=True, check=False)
    assert done.returncode != 0


def test_unsigned_signoffs_without_trust_have_no_state(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    key, _ = keypair(tmp_path / "keys", "owner")
    root = make_repo(complete_files())
    assert run_cli("sign", "--key", str(key), str(root)).exit_code == 0
    doc = json.loads(run_cli("export", str(root)).stdout)
    validate(doc)
    assert doc["allowed_signers"] is None
    assert [s["state"] for s in doc["manifests"][0]["signoffs"]] == [None]


def test_sign_without_output_is_one_sentence(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    root = make_repo(complete_files())
    result = run_cli("export", "--sign", str(tmp_path / "key"), str(root))
    assert result.exit_code == 2
    assert result.output == (
        "kigate: --sign needs --output FILE: the signature is written beside the bundle as "
        "FILE.sig\n"
    )


def test_schema_command_prints_the_export_schema() -> None:
    from click.testing import CliRunner

    from kigate.cli import cli

    result = CliRunner().invoke(cli, ["schema", "export"], catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.output) == schema("export-v1.schema.json")
