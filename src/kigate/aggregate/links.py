"""A repository's web page from its remote: ``https`` for a known host, else nothing.

The governance view links each repository for the people who must act on it. A link is
only made where the form of the page is known (and never carries a user or password);
an unknown host or an odd path gives no link rather than a wrong or unsafe one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

KNOWN_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_SCP = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
_SAFE_PATH = re.compile(r"[\w.~-]+(?:/[\w.~-]+)+", re.ASCII)
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def _known(host: str) -> bool:
    # Self-hosted GitLab instances are commonly named gitlab.<organisation>.
    if not _HOST.fullmatch(host):
        return False
    return host in KNOWN_HOSTS or host.split(".", 1)[0] == "gitlab"


def web_link(remote: str | None) -> str | None:
    """``https://host/owner/name`` for a remote on a known host, else None."""
    if not remote or len(remote) > 2000:
        return None
    try:
        parts = urlsplit(remote)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. a broken IPv6 literal
        return None
    if parts.scheme in ("https", "http", "ssh", "git"):
        path = parts.path.lstrip("/")
    elif "://" not in remote and (scp := _SCP.match(remote)):
        host, path = scp.group("host").lower(), scp.group("path")
    else:
        return None
    path = path.removesuffix("/").removesuffix(".git")
    if not _known(host) or not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
        return None
    return f"https://{host}/{path}"
