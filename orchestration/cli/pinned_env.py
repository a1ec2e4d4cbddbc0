"""Side virtual environments with exact pins, kept apart from the project's lock: the Spark engine's
(.venv-spark: pyspark, dbt-spark) and the BI clients' the tests use (.venv-bi: Superset, SQLAlchemy 1.4, duckdb 1.x).

Each lives in ``<cache>/<name>-<hash of its requirements file>``, so a changed pin builds a new one and an unchanged
one is reused. They are installed with uv, which the Makefile installs into the project venv from its pin in
requirements.lock: it resolves and downloads in parallel, where pip goes one package at a time (the Spark env took
40-72 s with pip; the project venv 2 min 15 s with pip, 7 s with uv, the same versions installed)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

INSTALLED_MARK = ".installed"


def uv_executable() -> Path:
    """The uv of the venv this process runs in (Makefile: ``make setup`` installs it first)."""
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        raise RuntimeError(f"{uv} not found: run `make setup` (it installs uv from requirements.lock)")
    return uv


def env_folder(cache: Path, name: str, requirements: Path) -> Path:
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    return cache / f"{name}-{digest}"


def python_of(cache: Path, name: str, requirements: Path) -> Path:
    """The python of the side env ``name`` installed from ``requirements``, built on first use. Two processes asking
    at once (pytest-xdist workers) build it once: the other waits on the lock."""
    folder = env_folder(cache, name, requirements)
    python = folder / "bin" / "python"
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{folder}.lock"):
        if not (folder / INSTALLED_MARK).exists():
            _install(folder, python, requirements)
    return python


def _install(folder: Path, python: Path, requirements: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    uv = str(uv_executable())
    steps = ([uv, "venv", "--quiet", "--python", sys.executable, str(folder)],
             [uv, "pip", "install", "--quiet", "--python", str(python), "-r", str(requirements)])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step[:3])} for {folder.name} (pins: {requirements}) failed:\n"
                               f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    (folder / INSTALLED_MARK).write_text(f"installed in {time.monotonic() - started:.1f}s\n")
