"""Each warehouse keeps dbt's parse state beside it, and a warehouse without its own (a new one, a copy of another)
starts from one re-labelled for its path when that is exactly what dbt would have parsed: its first dbt step then
parses only what changed instead of the whole project (orchestration/storage/dbt_parse_state.py)."""

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import msgpack
import pytest

from orchestration.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV
from orchestration.storage import dbt_parse_state
from orchestration.storage.dbt_parse_state import PARTIAL_PARSE_FILE, PROJECT_STATE


def _context(run_id):
    return SimpleNamespace(op_execution_context=SimpleNamespace(op=SimpleNamespace(name="dbt_marts")),
                           run=SimpleNamespace(run_id=run_id))


def _invocation(tmp_path: Path, state: bytes) -> Path:
    folder = tmp_path / "invocations" / str(len(list(tmp_path.glob("invocations/*"))))
    folder.mkdir(parents=True)
    (folder / PARTIAL_PARSE_FILE).write_bytes(state)
    return folder


def _state_for(inputs: dict) -> bytes:
    """A parse state as dbt writes one (msgpack), its profile hash that of ``inputs``."""
    checksum = dbt_parse_state.profile_hash(inputs)
    return msgpack.packb({"nodes": {"model.chokepoint.x": {"relation_name": '"chokepoint"."marts"."x"'}},
                          "state_check": {"vars_hash": {"name": "sha256", "checksum": "0" * 64},
                                          "profile_hash": {"name": "sha256", "checksum": checksum}}})


def _stored(state: bytes) -> str:
    return msgpack.unpackb(state, strict_map_key=False)["state_check"]["profile_hash"]["checksum"]


def test_each_warehouse_keeps_its_own_parse_state_and_its_next_invocation_starts_from_it(tmp_path, monkeypatch):
    """Two warehouses refreshed at once must not replace each other's state."""
    from orchestration.defs.dbt_assets import seeded_target_path

    first, second = tmp_path / "a" / "chokepoint.duckdb", tmp_path / "b" / "chokepoint.duckdb"
    for warehouse in (first, second):
        warehouse.parent.mkdir()
    monkeypatch.setenv(WAREHOUSE_ENV, str(first))
    dbt_parse_state.keep(_invocation(tmp_path, b"parsed-for-a"))
    monkeypatch.setenv(WAREHOUSE_ENV, str(second))
    dbt_parse_state.keep(_invocation(tmp_path, b"parsed-for-b"))

    assert dbt_parse_state.state_path(first) == first.with_name("chokepoint.duckdb.partial_parse.msgpack")
    assert dbt_parse_state.state_path(first).read_bytes() == b"parsed-for-a"
    assert dbt_parse_state.state_path(second).read_bytes() == b"parsed-for-b"
    monkeypatch.setenv(WAREHOUSE_ENV, str(first))
    seeded = seeded_target_path(_context("run-two"))
    try:
        assert seeded.name.startswith("dbt_marts-run-two-")  # the naming prune_invocations reads
        assert (seeded / PARTIAL_PARSE_FILE).read_bytes() == b"parsed-for-a"  # its own, as it was kept
    finally:
        shutil.rmtree(seeded)


def test_a_copied_warehouses_state_is_relabelled_for_its_path_and_nothing_else_changes(tmp_path, monkeypatch):
    original, copy = tmp_path / "golden" / "chokepoint.duckdb", tmp_path / "copy" / "chokepoint.duckdb"
    for warehouse in (original, copy):
        warehouse.parent.mkdir()
    monkeypatch.setenv(WAREHOUSE_ENV, str(original))
    state = _state_for(dbt_parse_state.profile_inputs())
    dbt_parse_state.keep(_invocation(tmp_path, state))
    for suffix in ("", ".origin.json"):  # what Golden.copy_to and a user's `cp -r warehouse/` do
        shutil.copyfile(f"{dbt_parse_state.state_path(original)}{suffix}", f"{dbt_parse_state.state_path(copy)}{suffix}")

    monkeypatch.setenv(WAREHOUSE_ENV, str(copy))
    folder = tmp_path / "invocation"
    dbt_parse_state.seed(folder)
    seeded = (folder / PARTIAL_PARSE_FILE).read_bytes()
    assert _stored(seeded) == dbt_parse_state.profile_hash(dbt_parse_state.profile_inputs())
    assert _stored(seeded) != _stored(state)
    assert seeded.replace(_stored(seeded).encode(), _stored(state).encode()) == state  # only the hash differs


@pytest.mark.parametrize("damage", ["another file name", "origin does not reproduce the hash", "no origin"])
def test_a_state_of_unknown_or_different_origin_is_left_for_dbt_to_parse_in_full(tmp_path, monkeypatch, damage):
    """A different file name changes dbt's `database` (the file's stem), which every compiled relation carries; an
    origin that does not reproduce the stored hash means something else in the profile differed."""
    original = tmp_path / "golden" / "chokepoint.duckdb"
    copy = tmp_path / "copy" / ("other.duckdb" if damage == "another file name" else "chokepoint.duckdb")
    for warehouse in (original, copy):
        warehouse.parent.mkdir()
    monkeypatch.setenv(WAREHOUSE_ENV, str(original))
    inputs = dbt_parse_state.profile_inputs()
    state = _state_for({**inputs, "CHOKEPOINT_DUCKDB_MEMORY_LIMIT": "3GB"} if "reproduce" in damage else inputs)
    dbt_parse_state.keep(_invocation(tmp_path, state))
    shutil.copyfile(dbt_parse_state.state_path(original), dbt_parse_state.state_path(copy))
    if damage != "no origin":
        origin = dbt_parse_state.state_path(original).with_name(f"{original.name}.{PARTIAL_PARSE_FILE}.origin.json")
        shutil.copyfile(origin, dbt_parse_state.state_path(copy).with_name(f"{copy.name}.{PARTIAL_PARSE_FILE}.origin.json"))

    monkeypatch.setenv(WAREHOUSE_ENV, str(copy))
    dbt_parse_state.seed(tmp_path / "invocation")
    assert (tmp_path / "invocation" / PARTIAL_PARSE_FILE).read_bytes() == state


def test_a_parse_holds_no_warehouse_path_and_no_model_reads_the_connections_path():
    """Why re-labelling is safe: the parse result does not depend on the warehouse path. If a macro or model starts
    reading target.path (or the settings), a state parsed for one warehouse would not fit another."""
    readers = [f"{path.relative_to(DBT_PROJECT_DIR)}: {match}"
               for path in DBT_PROJECT_DIR.rglob("*") if path.suffix in (".sql", ".yml", ".yaml")
               and "target" not in path.relative_to(DBT_PROJECT_DIR).parts[:1]
               and path.name != "profiles.yml"
               for match in re.findall(r"target\.(?:path|settings|extensions|attach)\b|target\[", path.read_text())]
    assert readers == []
    origin = PROJECT_STATE.with_name(f"{PARTIAL_PARSE_FILE}.origin.json")
    if PROJECT_STATE.exists() and origin.exists():  # `make manifest` parsed it for the warehouse its origin names
        parsed_for = json.loads(origin.read_text())[WAREHOUSE_ENV]
        assert parsed_for and parsed_for.encode() not in PROJECT_STATE.read_bytes(), parsed_for


def test_dagster_dev_parse_swaps_into_the_projects_target_and_records_the_origin(tmp_path, monkeypatch):
    """`dagster dev` re-parses on every load (dbt_assets._parse). The project's target path is relative ("target"),
    and dagster-dbt resolves it under the project directory: the swap must look there, wherever the process runs."""
    from orchestration.defs import dbt_assets

    project_dir = tmp_path / "dbt_project"
    (project_dir / "target").mkdir(parents=True)
    elsewhere = tmp_path / "where_dagster_dev_started"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    class ParsingCli:  # writes what `dbt parse --target-path DIR` writes, DIR resolved as dagster-dbt does
        def __init__(self, project_dir, dbt_executable):
            self.project_dir = project_dir.project_dir

        def cli(self, args, target_path):
            folder = target_path if target_path.is_absolute() else Path(self.project_dir) / target_path
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "manifest.json").write_text("{}")
            (folder / PARTIAL_PARSE_FILE).write_bytes(b"state")
            return SimpleNamespace(wait=lambda: None)

    monkeypatch.setattr(dbt_assets, "DbtCli", ParsingCli)
    dbt_assets._parse(SimpleNamespace(project_dir=project_dir, target_path=Path("target")))
    target = project_dir / "target"
    assert (target / "manifest.json").read_text() == "{}" and (target / PARTIAL_PARSE_FILE).read_bytes() == b"state"
    assert json.loads((target / f"{PARTIAL_PARSE_FILE}.origin.json").read_text()) == dbt_parse_state.profile_inputs()
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", PARTIAL_PARSE_FILE,
                                                       f"{PARTIAL_PARSE_FILE}.origin.json"]  # no .parse-* left
    assert list(elsewhere.iterdir()) == []  # nothing where the process runs
