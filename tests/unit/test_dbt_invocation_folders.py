"""dagster-dbt's per-invocation target folders are pruned to the newest few per layer, so refreshes do not fill the
disk (they took 460 MB after 15 refreshes of one checkout); other layers' folders and the current one stay."""

import os
import shutil

from orchestration.defs.dbt_assets import prune_invocations


def _folder(target, name, mtime):
    path = target / name
    (path / "compiled").mkdir(parents=True)
    (path / "run_results.json").write_text("{}")
    os.utime(path, ns=(mtime, mtime))
    return path


def test_only_the_newest_invocations_of_the_layer_are_kept(tmp_path):
    marts = [_folder(tmp_path, f"dbt_marts-run{i}-abc{i}", 1_000 + i) for i in range(5)]
    staging = _folder(tmp_path, "dbt_staging-run0-abc0", 500)
    partial_parse = tmp_path / "partial_parse.msgpack"
    partial_parse.write_bytes(b"state")
    removed = prune_invocations(marts[-1], keep=3)
    assert sorted(removed) == sorted(marts[:2])
    assert [p.exists() for p in marts] == [False, False, True, True, True]
    assert staging.exists() and partial_parse.exists()


def test_the_current_folder_is_kept_even_if_older(tmp_path):
    current = _folder(tmp_path, "dbt_intermediate-run0-abc0", 1)
    newer = [_folder(tmp_path, f"dbt_intermediate-run{i}-x{i}", 10 + i) for i in range(1, 4)]
    prune_invocations(current, keep=1)
    assert current.exists() and newer[-1].exists() and not newer[0].exists()


def test_a_folder_another_process_may_still_be_writing_is_kept(tmp_path):
    """Two refreshes on two warehouses share one checkout's target/ (the parallel test suite): the other's running
    build started before ours, so it is older, but it is not ours to remove."""
    import time

    settled = [_folder(tmp_path, f"dbt_marts-run{i}-s{i}", 1_000 + i) for i in range(2)]
    running = _folder(tmp_path, "dbt_marts-other-r0", time.time_ns() - 60 * 10**9)
    newer = [_folder(tmp_path, f"dbt_marts-mine{i}-m{i}", time.time_ns() + i) for i in range(2)]
    removed = prune_invocations(newer[-1], keep=1)
    assert sorted(removed) == sorted(settled)
    assert running.exists() and all(p.exists() for p in newer)


def test_each_warehouse_keeps_its_own_dbt_parse_state_and_its_next_invocation_starts_from_it(tmp_path, monkeypatch):
    """dbt re-parses the whole project when the profile (which holds the warehouse path) differs from the saved
    state's: two warehouses refreshed at once must not replace each other's state, and a warehouse without one falls
    back to the project's (dagster-dbt copies dbt_project/target/partial_parse.msgpack into a folder without one)."""
    from types import SimpleNamespace

    from orchestration.defs.dbt_assets import PARTIAL_PARSE_FILE, keep_parse_state, parse_state_path, seeded_target_path

    def context(run_id):
        return SimpleNamespace(op_execution_context=SimpleNamespace(op=SimpleNamespace(name="dbt_marts")),
                               run=SimpleNamespace(run_id=run_id))

    def invocation_that_parsed(state: bytes):
        folder = tmp_path / "invocations" / state.decode()
        folder.mkdir(parents=True)
        (folder / PARTIAL_PARSE_FILE).write_bytes(state)
        return folder

    first, second = tmp_path / "a" / "chokepoint.duckdb", tmp_path / "b" / "chokepoint.duckdb"
    for warehouse in (first, second):
        warehouse.parent.mkdir()
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(first))
    fresh = seeded_target_path(context("run-one"))
    assert not fresh.exists()  # no state yet: dagster-dbt's fallback applies
    assert fresh.name.startswith("dbt_marts-run-one-")  # the naming prune_invocations reads
    keep_parse_state(invocation_that_parsed(b"parsed-for-a"))
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(second))
    keep_parse_state(invocation_that_parsed(b"parsed-for-b"))

    assert parse_state_path(first) == first.with_name("chokepoint.duckdb.partial_parse.msgpack")
    assert parse_state_path(first).read_bytes() == b"parsed-for-a"
    assert parse_state_path(second).read_bytes() == b"parsed-for-b"
    monkeypatch.setenv("CHOKEPOINT_WAREHOUSE", str(first))
    seeded = seeded_target_path(context("run-two"))
    try:
        assert (seeded / PARTIAL_PARSE_FILE).read_bytes() == b"parsed-for-a"
    finally:
        shutil.rmtree(seeded)
