"""Live-source switches read from the environment: mode, base URLs (mirrors, replay servers), keys, lists.

Keys are read here and nowhere else, and only ever leave this module inside a request: they are never logged,
stored in the warehouse, written to landing files or put in run metadata (see ``http.redact``)."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.settings import warehouse_path

SOURCE_ENV = "CHOKEPOINT_SOURCE"
MODES = ("snapshot", "live")
LANDING_ENV = "CHOKEPOINT_LANDING_DIR"

# Official hosts; each can be replaced by CHOKEPOINT_<SOURCE>_URL (a mirror, or the tests' replay server).
DEFAULT_BASE_URLS = {
    "comtrade": "https://comtradeapi.un.org",
    "census": "https://api.census.gov",
    "fedreg": "https://www.federalregister.gov",
    "sciencebase": "https://www.sciencebase.gov",
}
# Only these sources take a key; the others are keyless.
KEY_ENVS = {"comtrade": "CHOKEPOINT_COMTRADE_KEY", "census": "CHOKEPOINT_CENSUS_KEY"}


def source_mode(override: str | None = None) -> str:
    """'snapshot' (default) or 'live': run config wins over CHOKEPOINT_SOURCE."""
    mode = (override or os.environ.get(SOURCE_ENV) or "snapshot").strip().lower()
    if mode not in MODES:
        raise ValueError(f"{SOURCE_ENV} (or run config 'source') must be one of {MODES}, not {mode!r}")
    return mode


def base_url(source: str) -> str:
    return os.environ.get(f"CHOKEPOINT_{source.upper()}_URL", DEFAULT_BASE_URLS[source]).rstrip("/")


def api_key(source: str) -> str | None:
    env = KEY_ENVS.get(source)
    value = os.environ.get(env, "").strip() if env else ""
    return value or None


def landing_dir() -> Path:
    """Beside the warehouse by default, so a test's temporary warehouse gets its own store."""
    configured = os.environ.get(LANDING_ENV)
    return Path(configured).resolve() if configured else warehouse_path().parent / "landing"


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, not {raw!r}") from exc
