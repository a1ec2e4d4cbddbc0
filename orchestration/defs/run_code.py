"""The ``run_code`` resource (refresh_plan.run_code): the code fingerprint a run builds with, fixed at run start.

A module of its own because the defs loader takes a module's ``Definitions`` object instead of, not beside, its
other definitions."""

import dagster as dg

from orchestration.refresh_plan import RUN_CODE, run_code

defs = dg.Definitions(resources={RUN_CODE: run_code})
