"""KG170: declared risk held against what the code does; ``scan`` lists the capabilities."""

from __future__ import annotations

import json

import pytest

from tests.conftest import MakeRepo, complete_manifest
from tests.signoff_support import RunCli

FACE_APP = "import face_recognition\n\nfaces = face_recognition.face_locations(image)\n"


def manifest(risk_class: str | None) -> str:
    text = complete_manifest()
    line = 'risk_class = "limited"\n'
    assert line in text
    replacement = f'risk_class = "{risk_class}"\n' if risk_class else ""
    text = text.replace(line, replacement)
    return text.replace(
        '[[components]]\nid = "pypi:openai"',
        '[[components]]\nid = "pypi:face-recognition"\npurpose = "Find faces in photos"\n\n'
        '[[components]]\nid = "pypi:openai"',
    )


def kg170(run_cli: RunCli, root) -> list[dict[str, object]]:
    result = run_cli("check", "--format", "json", str(root))
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "KG170"]


@pytest.mark.parametrize("declared", ["minimal", "limited", None])
def test_face_recognition_under_a_low_risk_class_is_a_finding(
    make_repo: MakeRepo, run_cli: RunCli, declared: str | None
) -> None:
    root = make_repo(
        {"ai-values.toml": manifest(declared), "app.py": FACE_APP, "requirements.txt": "openai\n"}
    )
    (finding,) = kg170(run_cli, root)
    assert finding["severity"] == "warning"
    assert finding["path"] == "ai-values.toml"
    assert finding["component"] == "pypi:face-recognition"
    assert finding["message"] == (
        "pypi:face-recognition (app.py:1) points to biometric identification (face recognition): "
        "high-risk under the EU AI Act Annex III 1(a), or prohibited under Art. 5(1)(e), "
        f"Art. 5(1)(h) depending on the use, but [system] risk_class is {declared or '-'}; "
        "review the risk class (an orientation, not legal advice)"
    )


@pytest.mark.parametrize("declared", ["high", "unacceptable"])
def test_face_recognition_declared_high_is_no_finding(
    make_repo: MakeRepo, run_cli: RunCli, declared: str
) -> None:
    root = make_repo(
        {"ai-values.toml": manifest(declared), "app.py": FACE_APP, "requirements.txt": "openai\n"}
    )
    assert kg170(run_cli, root) == []


def test_german_message_and_explain(make_repo: MakeRepo, run_cli: RunCli) -> None:
    root = make_repo({"ai-values.toml": manifest("minimal"), "app.py": FACE_APP})
    result = run_cli("check", "--lang", "de", str(root))
    (line,) = [ln for ln in result.output.splitlines() if "KG170" in ln]
    assert line == (
        "ai-values.toml:8: KG170 Warnung pypi:face-recognition (app.py:1) deutet auf "
        "biometrische Identifizierung (Gesichtserkennung): nach EU AI Act hochriskant "
        "(Annex III 1(a)) oder je nach Einsatz verboten (Art. 5(1)(e), Art. 5(1)(h)), aber "
        "[system] risk_class ist minimal; prüfe die Risikoklasse (eine Orientierung, keine "
        "Rechtsberatung)"
    )
    explained = run_cli("explain", "KG170", "--lang", "en")
    assert explained.output.startswith(
        "KG170 (risk-class-below-capability) — Declared risk class below what the code does\n"
    )


def test_a_development_only_use_is_no_finding(make_repo: MakeRepo, run_cli: RunCli) -> None:
    files = {
        "ai-values.toml": manifest("minimal"),
        "pyproject.toml": (
            '[project]\nname = "x"\nversion = "1"\n'
            '[dependency-groups]\ndev = ["face-recognition"]\n'
        ),
    }
    assert kg170(run_cli, make_repo(files)) == []


def test_a_waiver_silences_the_finding(make_repo: MakeRepo, run_cli: RunCli) -> None:
    text = manifest("limited") + (
        '\n[[waivers]]\nrule = "KG170"\nreason = "Faces are only blurred, never identified"\n'
        'expires = 2099-01-31\napproved_by = "ai-board@example.org"\n'
    )
    root = make_repo({"ai-values.toml": text, "app.py": FACE_APP})
    (finding,) = kg170(run_cli, root)
    assert finding["waived"] is True


def test_cloud_face_api_in_terraform_is_found(make_repo: MakeRepo, run_cli: RunCli) -> None:
    files = {
        "ai-values.toml": manifest("minimal"),
        "infra/main.tf": (
            'resource "aws_rekognition_collection" "faces" {\n  collection_id = "x"\n}\n'
        ),
    }
    findings = kg170(run_cli, make_repo(files))
    assert [f["component"] for f in findings] == ["cloud:aws-ai-services"]


def test_scan_lists_capabilities_as_their_own_category(
    make_repo: MakeRepo, run_cli: RunCli
) -> None:
    root = make_repo({"app.py": "from deepface import DeepFace\n", "requirements.txt": "fer\n"})
    result = run_cli("scan", "--no-cache", str(root))
    assert result.exit_code == 0
    assert result.output == (
        "5 AI components found.\n"
        "\n"
        "biometrics\n"
        "  pypi:deepface  (product)\n"
        "    app.py:1  import: from deepface import DeepFace\n"
        "  pypi:fer  (product)\n"
        "    requirements.txt:1  dependency: fer\n"
        "\n"
        "high-risk-capability\n"
        "  capability:biometric-identification  (product)\n"
        "    app.py:1  capability: pypi:deepface (Annex III 1(a))\n"
        "  capability:biometric-categorisation  (product)\n"
        "    app.py:1  capability: pypi:deepface (Annex III 1(b))\n"
        "  capability:emotion-recognition  (product)\n"
        "    app.py:1  capability: pypi:deepface (Annex III 1(c))\n"
        "    requirements.txt:1  capability: pypi:fer (Annex III 1(c))\n"
    )


def test_rule_unit_on_a_parsed_manifest_without_a_repository() -> None:
    import datetime as dt

    from kigate import manifest as manifest_mod
    from kigate import policy as policy_mod
    from kigate.model import Component, Evidence, Scope
    from kigate.rules.base import Context
    from kigate.rules.run import apply

    default = policy_mod.load()
    face = Component(
        "pypi:insightface", "insightface", "pypi", "biometrics", Scope.PRODUCT,
        (Evidence("svc/app.py", 3, "import insightface", "import"),),
    )  # fmt: skip
    text = '[system]\nname = "x"\nrisk_class = "limited"\n'
    manifests = [
        manifest_mod.parse("svc/ai-values.toml", text.encode(), default),
        manifest_mod.parse("ai-values.toml", text.replace("limited", "high").encode(), default),
    ]
    ctx = Context(default, dt.date(2026, 12, 1), None, [face], manifests)
    findings = apply(ctx, ("KG170",))
    assert [(f.path, f.line, f.component) for f in findings] == [
        ("svc/ai-values.toml", 3, "pypi:insightface"),
        ("svc/ai-values.toml", 3, "pypi:insightface"),
    ]
    assert [f.message.en.split(" points to ")[1].split(":")[0] for f in findings] == [
        "biometric identification (face recognition)",
        "biometric categorisation (age, gender or ethnicity from faces)",
    ]
