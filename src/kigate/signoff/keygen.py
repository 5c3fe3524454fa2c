"""``ssh-keygen -Y`` with a fixed argv: sign, find the principals of a signature, verify.

Every call names its files itself (a private temporary directory outside any repository),
never passes anything from a repository as an option, and runs with stdin closed unless the
data to verify is written there. A missing ``ssh-keygen`` is one sentence, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kigate import i18n
from kigate.errors import KigateError

_TIMEOUT = 60  # seconds; verifying one signature takes milliseconds
_SIGN_TIMEOUT = 600  # signing may wait for a passphrase typed on the terminal


class SignoffError(KigateError):
    """Signing or verifying cannot run (no ssh-keygen, unreadable key, bad allowed signers)."""


def executable() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise SignoffError(i18n.t("binding.no_ssh_keygen"))
    return found


def _quiet_env() -> dict[str, str]:
    """Verification needs nothing from the caller's environment but a locale."""
    return {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C"}


def _run(
    argv: list[str], data: bytes | None, env: dict[str, str], timeout: int
) -> tuple[int, bytes, bytes]:
    try:
        done = subprocess.run(
            argv,
            input=data,
            stdin=None if data is not None else subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SignoffError(i18n.t("binding.keygen_timeout", seconds=timeout)) from None
    except OSError as exc:
        raise SignoffError(
            i18n.t("binding.keygen_failed", reason=exc.strerror or str(exc))
        ) from None
    return done.returncode, done.stdout, done.stderr


def _first_line(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "?"


def sign(key: Path, namespace: str, data: bytes) -> str:
    """The armored signature of ``data`` by ``key`` (private, or public with its agent)."""
    exe = executable()
    if not key.is_file():
        raise SignoffError(i18n.t("binding.key_missing", path=str(key)))
    with tempfile.TemporaryDirectory(prefix="kigate-sign-") as tmp:
        message = Path(tmp) / "content"
        message.write_bytes(data)
        # Signing is the user's own act: their agent (SSH_AUTH_SOCK) and terminal stay usable.
        argv = [exe, "-Y", "sign", "-n", namespace, "-f", str(key.absolute()), str(message)]
        code, _, err = _run(argv, None, dict(os.environ), _SIGN_TIMEOUT)
        signature = Path(tmp) / "content.sig"
        if code != 0 or not signature.is_file():
            raise SignoffError(
                i18n.t("binding.sign_failed", path=str(key), reason=_first_line(err))
            )
        return signature.read_text(encoding="ascii", errors="replace")


def principals(allowed: Path, signature: Path) -> tuple[str, ...]:
    """The identities in ``allowed`` whose key made ``signature`` (none: an unknown key)."""
    argv = [executable(), "-Y", "find-principals", "-f", str(allowed), "-s", str(signature)]
    code, out, _ = _run(argv, None, _quiet_env(), _TIMEOUT)
    if code != 0:
        return ()
    names = out.decode("utf-8", "replace").split()
    return tuple(dict.fromkeys(n for n in names if n))


def verify(allowed: Path, identity: str, namespace: str, signature: Path, data: bytes) -> bool:
    """True when ``signature`` over ``data`` is valid and made by ``identity``'s allowed key."""
    argv = [
        executable(), "-Y", "verify", "-f", str(allowed), "-I", identity,
        "-n", namespace, "-s", str(signature),
    ]  # fmt: skip
    code, _, _ = _run(argv, data, _quiet_env(), _TIMEOUT)
    return code == 0
