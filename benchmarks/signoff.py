"""What verifying a sign-off adds to ``kigate check``.

    .venv/bin/python benchmarks/signoff.py [--repeat 5] [--signers 1 5]

Builds the complete example as a git repository in a temporary folder, signs its manifest with
N throwaway ed25519 keys (all in an allowed signers file outside the repository), and times
``kigate check`` (fresh process each run, median) with the default policy (no verification)
and with an organisation policy that verifies the sign-offs. Prints one line per case.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIGATE = [sys.executable, "-m", "kigate"]
OWNER = "ai-board@example.org"


def run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)


def median_ms(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def setup(work: Path, signers: int) -> tuple[Path, Path]:
    repo = work / f"repo{signers}"
    shutil.copytree(ROOT / "examples" / "complete", repo)
    run("git", "init", "-q", cwd=repo)
    lines = []
    for index in range(signers):
        key = work / f"key{signers}-{index}"
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key))
        public = " ".join(key.with_suffix(".pub").read_text().split()[:2])
        lines.append(f"{OWNER if index == 0 else f'signer{index}@example.org'} {public}")
    allowed = work / f"allowed{signers}"
    allowed.write_text("\n".join(lines) + "\n")
    policy = work / f"org{signers}.toml"
    policy.write_text(
        f'kigate-policy = 1\nextends = "demokratische-ki"\nallowed_signers = "{allowed}"\n'
    )
    for index in range(signers):
        run(
            *KIGATE,
            "sign",
            "--key",
            str(work / f"key{signers}-{index}"),
            "--policy",
            str(policy),
            str(repo),
        )
    run("git", "add", "-A", cwd=repo)
    run("git", "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "x", cwd=repo)
    return repo, policy


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--signers", type=int, nargs="+", default=[1, 5])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kigate-bench-signoff-") as tmp:
        for signers in args.signers:
            repo, policy = setup(Path(tmp), signers)
            plain = median_ms([*KIGATE, "check", "--no-cache", str(repo)], args.repeat)
            verified = median_ms(
                [*KIGATE, "check", "--no-cache", "--policy", str(policy), str(repo)], args.repeat
            )
            print(
                f"signers={signers}: check {plain:.0f} ms, with sign-off verification "
                f"{verified:.0f} ms (+{verified - plain:.0f} ms)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
