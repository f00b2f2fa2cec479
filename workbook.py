#!/usr/bin/env python3
"""Set up and run the workbook with nothing but Python (3.10-3.13) installed.

    python3 workbook.py lab        # create .venv, install, open JupyterLab on notebooks/ (offline)
    python3 workbook.py test       # create .venv, install, run unit tests + every notebook under nbval
    python3 workbook.py refresh    # re-execute notebooks offline and store their outputs
    python3 workbook.py serve      # run the offline Bedrock emulator on 127.0.0.1:8765
    python3 workbook.py bench      # run the benchmarks in bench/
    python3 workbook.py doctor     # is this machine ready for live mode? (--json, --allow-billed-probe)

Only the standard library is used here; everything else is installed into .venv from pyproject.toml.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".workbook-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env() -> None:
    """Create .venv and install the project (with test extras) unless pyproject.toml is unchanged."""
    if not (3, 10) <= sys.version_info[:2] <= (3, 13):
        sys.exit(f"The workbook supports Python 3.10 to 3.13; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the workbook and its dependencies into .venv ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def run(*args: str, env: dict | None = None) -> int:
    return subprocess.call([str(PYTHON), *args], cwd=ROOT, env={**os.environ, **(env or {})})


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command not in {"lab", "test", "refresh", "serve", "bench", "doctor"}:
        print(__doc__)
        return 0 if command in {"help", "-h", "--help"} else 2
    ensure_env()
    offline = {"BEDROCK_MODE": os.environ.get("BEDROCK_MODE", "offline")}
    if command == "lab":
        # Workshop VMs and containers often run as root, which JupyterLab refuses without this flag.
        as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        return run("-m", "jupyter", "lab", str(ROOT / "notebooks"), *as_root, *rest, env=offline)
    if command == "test":
        return run("-m", "pytest", *rest, env={"BEDROCK_MODE": "offline"})
    if command == "refresh":
        return run("-m", "helpers.refresh", *rest, env={"BEDROCK_MODE": "offline"})
    if command == "serve":
        return run("-m", "helpers.offline", *rest)
    if command == "doctor":  # checks the mode it is run in; exit status 1 when something blocks live use
        return run("-m", "helpers.doctor", *rest, env=offline)
    return run("bench/run.py", *rest, env={"BEDROCK_MODE": "offline"})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
