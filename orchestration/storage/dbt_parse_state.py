"""dbt's parse state for one warehouse (``<warehouse>.partial_parse.msgpack``), so each dbt step parses only what
changed (~1 s) instead of the whole project (~5 s).

dbt keeps a parse state only for the profile it was parsed under: it stores a hash of the profile's connection info,
of which the warehouse path is part, and parses everything again when the hash differs. So a warehouse with no state
of its own yet (a new one, which falls back to the project's `make manifest` state, or a copy of another, whose state
was parsed for the original's path) paid a full parse on its first dbt step: every test that builds or copies a
warehouse, the benchmark, a deployment's first refresh.

Such a state is re-labelled here for the current path, only when that is exactly what dbt would have produced:
- the state's recorded origin (``<state>.origin.json``: the profile's environment inputs it was parsed under, written
  by each dbt step and by `make manifest`) reproduces the hash stored in it, so nothing else differs;
- the old and new warehouse file share a name, so dbt's ``database`` (the file's stem), which every compiled
  relation name carries, is the same;
- nothing in the project reads the connection's path when parsing (tests/unit/test_dbt_parse_state.py greps the
  project for ``target.path``; a parse state holds no warehouse path: the same test reads one dbt wrote).
Otherwise the state is left as it is, and dbt parses in full as before: a wrong guess costs time, never a wrong
manifest."""

from __future__ import annotations

import contextvars
import hashlib
import json
import os
import pprint
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import msgpack

from orchestration.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, warehouse_path

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
PROFILE = "chokepoint"
PROFILES_FILE = DBT_PROJECT_DIR / "profiles.yml"
# `make manifest`'s state, which dagster-dbt falls back to when a warehouse has none of its own.
PROJECT_STATE = DBT_PROJECT_DIR / "target" / PARTIAL_PARSE_FILE


def state_path(warehouse: Path | None = None) -> Path:
    """Where the refreshes of one warehouse keep dbt's parse state: beside the warehouse file. One state for the
    whole checkout made two refreshes of two warehouses at once (the test suite, the benchmark) replace each other's
    state before every dbt step."""
    warehouse = warehouse or warehouse_path()
    return warehouse.with_name(f"{warehouse.name}.{PARTIAL_PARSE_FILE}")


def _origin_path(state: Path) -> Path:
    return state.with_name(f"{state.name}.origin.json")


def profile_inputs(environ: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The values of the environment variables dbt_project/profiles.yml reads (the warehouse path among them)."""
    environ = os.environ if environ is None else environ
    names = sorted(set(re.findall(r"env_var\(\s*'([A-Z0-9_]+)'", PROFILES_FILE.read_text())))
    return {name: environ.get(name) for name in names}


def profile_hash(inputs: Mapping[str, str | None]) -> str:
    """The hash dbt stores in a parse state (``state_check.profile_hash``) for the profile rendered with ``inputs``:
    dbt-core's ``build_manifest_state_check``, sha256 of the sorted connection info."""
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    def render() -> str:
        # A copy of this process's context: dbt's env_var() reads the variables set here, nothing else sees them.
        set_invocation_context({k: v for k, v in {**os.environ, **inputs}.items() if v is not None})
        raw = read_profile(str(DBT_PROJECT_DIR))[PROFILE]
        renderer = ProfileRenderer({})
        target = renderer.render_value(raw["target"])
        credentials = Profile._credentials_from_profile(renderer.render_data(raw["outputs"][target]), PROFILE, target)
        return hashlib.sha256(pprint.pformat(sorted(credentials.connection_info())).encode()).hexdigest()

    return contextvars.copy_context().run(render)


def _stored_hash(state: bytes) -> str:
    return msgpack.unpackb(state, strict_map_key=False)["state_check"]["profile_hash"]["checksum"]


def seed(folder: Path) -> None:
    """Put the parse state this warehouse's next dbt step should start from into its invocation folder ``folder``:
    its own, or else the project's; re-labelled for this warehouse when the module docstring's conditions hold."""
    own = state_path()
    source = own if own.exists() else PROJECT_STATE
    if not source.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / PARTIAL_PARSE_FILE
    shutil.copyfile(source, target)
    origin = _recorded_origin(source)
    current = profile_inputs()
    if origin is None or origin == current:
        return
    if Path(origin.get(WAREHOUSE_ENV) or "").name != Path(current.get(WAREHOUSE_ENV) or "").name:
        return
    state = target.read_bytes()
    stored = _stored_hash(state)
    if state.count(stored.encode()) != 1 or profile_hash(origin) != stored:
        return
    target.write_bytes(state.replace(stored.encode(), profile_hash(current).encode()))


def _recorded_origin(state: Path) -> dict[str, str | None] | None:
    try:
        return json.loads(_origin_path(state).read_text())
    except (OSError, ValueError):
        return None


def record_origin(state: Path) -> None:
    """Beside ``state``, the profile inputs of this process's environment, which it was parsed under; replaced
    atomically, as another process may be reading it."""
    _replace(_origin_path(state), lambda path: path.write_text(json.dumps(profile_inputs())))


def keep(invocation_target: Path) -> None:
    """This invocation's parse state, with the inputs it was parsed under, for the next dbt step on the same
    warehouse; replaced atomically, as another process may be copying it."""
    fresh = invocation_target / PARTIAL_PARSE_FILE
    state = state_path()
    if not fresh.exists() or not state.parent.exists():
        return
    record_origin(state)
    _replace(state, lambda path: shutil.copyfile(fresh, path))


def _replace(path: Path, write) -> None:
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    write(staged)
    os.replace(staged, path)


if __name__ == "__main__":
    # scripts/parse_manifest.sh (`make manifest`), after a parse: python -m orchestration.storage.dbt_parse_state <state>
    record_origin(Path(sys.argv[1]))
