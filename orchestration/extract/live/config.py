"""Live-source switches (declared in orchestration/settings.py): mode, base URLs (mirrors, replay servers), keys.

Keys are read through ``api_key`` and nowhere else, and only ever leave this module inside a request: they are never
logged, stored in the warehouse, written to landing files or put in run metadata (see ``http.redact``)."""

from __future__ import annotations

from pathlib import Path

from orchestration import settings

SOURCE_ENV = settings.SOURCE.name
MODES = ("snapshot", "live")


def source_mode(override: str | None = None) -> str:
    """'snapshot' (default) or 'live': run config wins over CHOKEPOINT_SOURCE."""
    mode = (override or settings.SOURCE.get()).strip().lower()
    if mode not in MODES:
        raise ValueError(f"{SOURCE_ENV} (or run config 'source') must be one of {MODES}, not {mode!r}")
    return mode


def base_url(source: str) -> str:
    return settings.base_url(source)


def api_key(source: str) -> str | None:
    return settings.api_key(source)


def landing_dir() -> Path:
    """Beside the warehouse by default, so a test's temporary warehouse gets its own store."""
    return settings.landing_dir()
