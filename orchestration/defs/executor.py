"""The executor of every job, including the implicit one behind a one-asset Materialize in the UI.

One process, one step at a time, as refresh_warehouse: DuckDB takes a single writer, and a multiprocess executor's
parallel steps would only queue on its lock (and start a process per step). A module of its own because the
defs loader takes a module's ``Definitions`` object instead of, not beside, its other definitions."""

import dagster as dg

defs = dg.Definitions(executor=dg.in_process_executor)
