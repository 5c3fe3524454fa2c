"""The AI inventory as a CycloneDX 1.6 BOM (JSON), built with cyclonedx-python-lib.

Packages become ``library`` components with a purl, model files ``machine-learning-model``
components, container images ``container`` components, and components of category
``ai-service`` (API hosts, cloud AI resources) ``services``. Each component
carries kigate's id as its bom-ref and its evidence as occurrences. What the code can do in
the EU AI Act's sense (``kigate scan``'s capabilities) describes the whole subject, so each is
a property of the BOM's metadata (``kigate:capability:<id>``) with its evidence, not a
component. Findings are not part of a BOM: use json or sarif for those.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from kigate import i18n
from kigate.errors import UsageError
from kigate.formats._text import xml_text
from kigate.formats.base import HOMEPAGE, RenderOptions
from kigate.model import Component, Report, Scope

# kigate ecosystems and the purl type that names their packages.
PURL_TYPES = {
    "pypi": "pypi",
    "npm": "npm",
    "go": "golang",
    "golang": "golang",
    "cran": "cran",
    "julia": "julia",
    "maven": "maven",
    "crates": "cargo",
    "cargo": "cargo",
    "nuget": "nuget",
    "gem": "gem",
    "composer": "composer",
    "conda": "conda",
    "huggingface": "huggingface",
    "docker": "docker",
    "github-action": "github",
}
MODEL_CATEGORIES = {"model-artefact", "model"}
SERVICE_CATEGORIES = {"ai-service"}
CONTAINER_ECOSYSTEMS = {"docker", "container"}
CAPABILITY = "capability"  # ``capabilities.ECOSYSTEM``: what the code can do, not a part


def require_library() -> None:
    """The optional library is imported only when a BOM is asked for; without it, one sentence."""
    try:
        import cyclonedx.model.bom  # noqa: F401
    except ImportError:
        raise UsageError(i18n.t("cyclonedx.missing")) from None


def purl(component: Component) -> Any:
    """The package URL of a package component, or None for files, services and configs."""
    from packageurl import PackageURL

    kind = PURL_TYPES.get(component.ecosystem)
    if kind is None or not component.name:
        return None
    namespace, _, name = component.name.rpartition(":" if kind == "maven" else "/")
    try:
        found = PackageURL(type=kind, namespace=namespace or None, name=name)
        found.to_string()  # a name purl normalises away (only whitespace) fails only here
    except (ValueError, TypeError):  # not a name purl can express: the BOM goes without one
        return None
    return found


def kind(component: Component) -> str:
    """``service``, ``machine-learning-model``, ``container``, ``application`` or ``library``."""
    if component.category in SERVICE_CATEGORIES:
        return "service"
    if component.category in MODEL_CATEGORIES or component.ecosystem in ("model", "huggingface"):
        return "machine-learning-model"
    if component.ecosystem in CONTAINER_ECOSYSTEMS:
        return "container"
    if component.category == "assistant-config":
        return "application"
    return "library"


def _properties(component: Component, *, evidence: bool = False) -> list[Any]:
    from cyclonedx.model import Property

    values = {
        "kigate:id": component.id,
        "kigate:category": component.category,
        "kigate:ecosystem": component.ecosystem,
        "kigate:scope": component.scope.value,
    }
    if evidence:
        # CycloneDX 1.6 gives services no evidence, so their occurrences become properties.
        values.update(
            {f"kigate:evidence:{i}": _where(e) for i, e in enumerate(component.evidence, 1)}
        )
    return [Property(name=k, value=_clean(v)) for k, v in values.items()]


def _where(evidence: Any) -> str:
    line = f":{evidence.line}" if evidence.line else ""
    return f"{evidence.path}{line} ({evidence.family}: {evidence.match})"


def _clean(text: str) -> str:
    # The library also writes XML; keep every value representable there too.
    return xml_text(text)


def _component(component: Component) -> Any:
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentScope, ComponentType
    from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence

    occurrences = [
        Occurrence(
            location=_clean(e.path),
            line=e.line,
            additional_context=_clean(f"{e.family}: {e.match}"),
        )
        for e in component.evidence
    ]
    return CdxComponent(
        name=_clean(component.name or component.id),
        type=ComponentType(kind(component)),
        bom_ref=_clean(component.id),
        purl=purl(component),
        scope=(
            ComponentScope.EXCLUDED
            if component.scope is Scope.DEVELOPMENT
            else ComponentScope.REQUIRED
        ),
        evidence=ComponentEvidence(occurrences=occurrences) if occurrences else None,
        properties=_properties(component),
    )


def _service(component: Component) -> Any:
    from cyclonedx.model.service import Service

    return Service(
        name=_clean(component.name or component.id),
        bom_ref=_clean(component.id),
        properties=_properties(component, evidence=True),
    )


def _capability(component: Component) -> Any:
    from cyclonedx.model import Property

    where = "; ".join(_where(e) for e in component.evidence)
    value = f"{component.name}: {where}" if where else component.name
    return Property(name=f"kigate:{component.id}", value=_clean(value))


def serial(report: Report) -> uuid.UUID:
    """The same run always gets the same serial number; another run or commit a new one."""
    key = "\x1f".join(
        (report.repo.root_name, report.repo.commit or "", report.generated_at, report.tool_version)
    )
    # a repository name may carry undecodable bytes (lone surrogates): uuid5 needs UTF-8
    safe = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{HOMEPAGE}/bom/{safe}")


def build(report: Report) -> Any:
    """The BOM as cyclonedx-python-lib objects."""
    require_library()
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentType

    tool = CdxComponent(name="kigate", version=report.tool_version, type=ComponentType.APPLICATION)
    subject = CdxComponent(
        name=_clean(report.repo.root_name),
        type=ComponentType.APPLICATION,
        bom_ref="kigate:repository",
        version=report.repo.commit,
    )
    when = datetime.fromisoformat(report.generated_at.replace("Z", "+00:00"))
    metadata = BomMetaData(component=subject, timestamp=when)
    metadata.tools.components.add(tool)
    bom = Bom(serial_number=serial(report), metadata=metadata)
    parts = []
    for component in report.components:
        if component.ecosystem == CAPABILITY:
            # What the code can do (EU AI Act capabilities, ``kigate scan``) is no component
            # of the software: it describes the whole subject, so it is the BOM's own property.
            metadata.properties.add(_capability(component))
        elif kind(component) == "service":
            service = _service(component)
            bom.services.add(service)
            parts.append(service)
        else:
            part = _component(component)
            bom.components.add(part)
            parts.append(part)
    bom.register_dependency(subject, parts)
    return bom


def render(report: Report, options: RenderOptions) -> str:
    bom = build(report)
    from cyclonedx.output.json import JsonV1Dot6

    text: str = JsonV1Dot6(bom).output_as_string(indent=2)
    return text + "\n"
