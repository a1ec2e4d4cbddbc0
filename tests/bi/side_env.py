"""Side virtual environments for BI clients, so their pins (SQLAlchemy 1.4, duckdb 1.x ...) never touch the
project's. Cached under .venv-bi/<name>-<hash of its requirements> (orchestration/cli/pinned_env.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from orchestration.cli import pinned_env
from orchestration.settings import PROJECT_ROOT

ENVS = Path(__file__).parent / "envs"
CACHE = PROJECT_ROOT / ".venv-bi"


def python_of(name: str) -> Path:
    return pinned_env.python_of(CACHE, name, ENVS / f"{name}.txt")


def run_probe(name: str, code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python_of(name)), "-c", code, *args], capture_output=True, text=True, timeout=300)
