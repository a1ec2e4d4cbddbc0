"""dagster-dbt's per-invocation target folders are pruned to the newest few per layer, so refreshes do not fill the
disk (they took 460 MB after 15 refreshes of one checkout); other layers' folders and the current one stay."""

import os

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
