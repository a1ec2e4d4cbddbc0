"""The run config every fetching asset shares: which source mode this one run uses."""

import dagster as dg


class SourceSwitch(dg.Config):
    """Run config: 'snapshot' or 'live' overrides CHOKEPOINT_SOURCE for this run; empty = use the environment."""

    source: str = ""
