"""A one-asset job in the duckdb_writer pool that sleeps: the subprocess the crash-recovery tests kill."""

import sys
import time
from pathlib import Path

import dagster as dg

from orchestration.refresh.recovery import mark_canceled, process_tags, was_interrupted
from orchestration.storage.warehouse import WRITER_POOL


@dg.asset(pool=WRITER_POOL)
def slow_writer() -> None:
    Path(sys.argv[1]).write_text("started")  # tells the test the slot is claimed
    time.sleep(float(sys.argv[2]))


def main() -> int:
    instance = dg.DagsterInstance.get()
    job = dg.Definitions(assets=[slow_writer], jobs=[dg.define_asset_job("sleeper", executor_def=dg.in_process_executor)]
                         ).resolve_job_def("sleeper")
    run_id = sys.argv[3]
    result = job.execute_in_process(instance=instance, raise_on_error=False, tags=process_tags(), run_id=run_id)
    if was_interrupted(result):
        mark_canceled(instance, run_id)
        return 130
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
