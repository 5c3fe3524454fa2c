"""Where a finding's file lives for the consumer: from the repository root, or on its web host."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urlsplit

from kigate.formats._text import original_bytes
from kigate.model import Report

_SCP = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):(?P<path>[^/].*)$")


def repo_path(report: Report, path: str) -> str:
    """``path`` from the repository root, also when a subdirectory (a monorepo package) is checked.

    Consumers such as GitHub resolve paths against the repository root.
    """
    prefix = report.repo.subdir
    if not prefix:
        return path
    # A manifest above a checked package is named "../ai-values.toml" from the package.
    return posixpath.normpath(f"{prefix}/{path}") if path.startswith("../") else f"{prefix}/{path}"


def web_base(remote: str | None) -> tuple[str, str] | None:
    """``(https://host/org/repo, flavour)`` for GitHub and GitLab remotes, else None.

    User and password are dropped even if a caller forgot to strip them.
    """
    if not remote:
        return None
    scp = _SCP.match(remote)
    if scp:
        host, path = scp.group("host"), scp.group("path")
    else:
        try:
            parts = urlsplit(remote)
            parts.hostname  # noqa: B018 - raises ValueError for a malformed host
        except ValueError:
            return None
        if parts.scheme not in ("https", "http", "ssh", "git") or not parts.hostname:
            return None
        host, path = parts.hostname, parts.path.lstrip("/")
    path = path.removesuffix("/").removesuffix(".git")
    if not path or not re.fullmatch(r"[\w.~/-]+", path):
        return None
    if host == "github.com":
        return f"https://{host}/{path}", "github"
    if "gitlab" in host.split("."):
        return f"https://{host}/{path}", "gitlab"
    return None


def blob_url(report: Report, path: str, line: int | None) -> str | None:
    """A link to the file at the checked commit, or None (no known host or no commit)."""
    base = web_base(report.repo.remote_url)
    if base is None or not report.repo.commit:
        return None
    url, flavour = base
    blob = "blob" if flavour == "github" else "-/blob"
    anchor = f"#L{line}" if line else ""
    where = quote(original_bytes(repo_path(report, path)), safe="/")
    return f"{url}/{blob}/{report.repo.commit}/{where}{anchor}"
