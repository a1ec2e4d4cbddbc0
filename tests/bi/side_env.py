"""Side virtual environments for BI clients, so their pins (SQLAlchemy 1.4, duckdb 1.x ...) never touch the
project's. Cached under .venv-bi/<name>-<hash of its requirements>; built with pip on first use."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

from orchestration.settings import PROJECT_ROOT

ENVS = Path(__file__).parent / "envs"
CACHE = PROJECT_ROOT / ".venv-bi"


def python_of(name: str) -> Path:
    requirements = ENVS / f"{name}.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    folder = CACHE / f"{name}-{digest}"
    python = folder / "bin" / "python"
    CACHE.mkdir(exist_ok=True)
    # Two test workers (pytest-xdist) may ask for the same environment at once: one builds, the other waits.
    with FileLock(f"{folder}.lock"):
        if not (folder / ".installed").exists():
            _build(folder, python, requirements)
    return python


def _build(folder: Path, python: Path, requirements: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "-r", str(requirements)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pip install -r {requirements} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    (folder / ".installed").touch()


def run_probe(name: str, code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python_of(name)), "-c", code, *args], capture_output=True, text=True, timeout=300)
