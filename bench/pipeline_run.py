"""Run the real ``refresh_warehouse`` Dagster job once (in this process) and print step timings as JSON.

The benchmark runner starts this in a child process with DAGSTER_HOME / CHOKEPOINT_WAREHOUSE / CHOKEPOINT_SERVE_DIR /
CHOKEPOINT_BULK_TRADE_DIR pointing at its own paths.

    python -m bench.pipeline_run full      # the whole job, as `make run FULL=1` or "Materialize all"
    python -m bench.pipeline_run planned   # what the nightly schedule and `make run` do: only what changed
"""

from __future__ import annotations

import json
import sys
import time

import dagster as dg


def stage_of(step_key: str) -> str:
    if step_key.startswith("dbt_"):
        return "dbt"
    if step_key.endswith("_contract"):
        return "validation"
    if step_key.startswith("serve") or "serving" in step_key:
        return "publish"
    if step_key.startswith("raw") or step_key in {"bulk_trade_flows"}:
        return "load"
    return "other"


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "full"
    started = time.monotonic()
    from orchestration.definitions import defs  # imported here: loading the code location is part of the cost
    from orchestration.refresh.plan import plan_refresh
    from orchestration.settings import DAGSTER_HOME

    definitions = defs()
    loaded = time.monotonic()
    # A persistent instance (the runner's DAGSTER_HOME): the planner reads what earlier runs materialized.
    instance = dg.DagsterInstance.get() if DAGSTER_HOME.get() else dg.DagsterInstance.ephemeral()
    job = definitions.resolve_job_def("refresh_warehouse")
    plan = plan_refresh(instance, definitions.get_repository_def()) if mode == "planned" else None
    planned_s = time.monotonic() - loaded
    if plan is not None and plan.nothing_to_do:
        finished = time.monotonic()
        print(json.dumps({"success": True, "wall_s": round(finished - started, 3), "plan": plan.describe(),
                          "stages_s": {"load": 0.0, "validation": 0.0, "dbt": 0.0, "publish": 0.0, "other": 0.0,
                                       "orchestration_overhead": round(planned_s, 3),
                                       "code_location_load": round(loaded - started, 3)},
                          "steps_s": {}, "failed_checks": [], "failed_steps": []}))
        return 0
    selection = None if plan is None or plan.selection is None else list(plan.selection)
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet, asset_selection=selection)
    finished = time.monotonic()

    steps: dict[str, dict] = {}
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        step = steps.setdefault(event.step_key, {})
        if event.event_type_value == "STEP_START":
            step["start"] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            step["end"] = entry.timestamp
            step["status"] = event.event_type_value
    durations = {k: round(v["end"] - v["start"], 3) for k, v in steps.items() if "start" in v and "end" in v}

    # The bulk raw asset validates in-database inside its own step: move that time from load to validation.
    bulk_validation = 0.0
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if data.asset_check_key.asset_key.path == ["raw", "bulk_trade_flows"]:
                value = data.metadata.get("validation_s")
                bulk_validation = float(value.value) if value is not None else 0.0
    stages = {"load": 0.0, "validation": 0.0, "dbt": 0.0, "publish": 0.0, "other": 0.0}
    for key, seconds in durations.items():
        stages[stage_of(key)] += seconds
    stages["load"] -= bulk_validation
    stages["validation"] += bulk_validation
    stages["orchestration_overhead"] = (finished - loaded) - sum(durations.values())
    stages["code_location_load"] = loaded - started
    checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed = [f"{c.asset_check_key.asset_key.to_user_string()}:{c.check_name}" for c in checks if not c.passed]
    print(json.dumps({
        "success": result.success,
        "plan": "full (whole job)" if plan is None else plan.describe(),
        "wall_s": round(finished - started, 3),
        "stages_s": {k: round(v, 3) for k, v in stages.items()},
        "steps_s": durations,
        "failed_checks": failed,
        "failed_steps": [k for k, v in steps.items() if v.get("status") == "STEP_FAILURE"],
    }))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
