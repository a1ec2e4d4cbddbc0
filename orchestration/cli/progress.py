"""What `make run` shows while the refresh job runs: one line per stage (time, assets, rows, checks), a live
progress line while a stage is going, read from the run's own event log (the same records the UI shows)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import TextIO

import dagster as dg

POLL_SECONDS = 0.5
# Without a terminal (CI, a log file) a progress line cannot be redrawn: say the stage is still going this often.
HEARTBEAT_SECONDS = 30.0


def stage_of(step_key: str) -> str:
    """Steps are named after the asset (or dbt layer) they build; a contract check belongs to the layer it guards."""
    if step_key.startswith("dbt_"):
        return step_key.removeprefix("dbt_")
    prefix = step_key.split("__", 1)[0]
    return {"serve": "publish", "staging": "staging", "marts": "marts", "raw": "raw", "report": "report"}.get(prefix, prefix)


@dataclasses.dataclass
class StageTally:
    name: str
    started: float
    finished: float | None = None
    steps: int = 0
    failed_steps: int = 0
    assets: int = 0
    rows: int = 0
    checks: int = 0
    failed_checks: int = 0

    def line(self) -> str:
        seconds = (self.finished or time.monotonic()) - self.started
        parts = [f"{self.assets} assets" if self.assets != 1 else "1 asset"]
        if self.rows:
            parts.append(f"{self.rows:,} rows")
        if self.checks:
            parts.append(f"{self.checks - self.failed_checks}/{self.checks} checks passed")
        if self.failed_steps:
            parts.append(f"{self.failed_steps} step(s) FAILED")
        return f"  {self.name:<13}{seconds:>6.1f} s   " + ", ".join(parts)


@dataclasses.dataclass
class RunTally:
    stages: list[StageTally] = dataclasses.field(default_factory=list)
    running: dict[str, float] = dataclasses.field(default_factory=dict)
    failures: list[str] = dataclasses.field(default_factory=list)
    failed_checks: list[str] = dataclasses.field(default_factory=list)
    checks: int = 0

    def current(self) -> StageTally | None:
        return self.stages[-1] if self.stages and self.stages[-1].finished is None else None


class ProgressPrinter:
    """Follows one run's event records from a second thread and prints to ``out`` (the real terminal, while the
    run's own stdout/stderr go to the log file)."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str, out: TextIO, clock: Callable[[], float] = time.monotonic):
        self._instance, self._run_id, self._out, self._clock = instance, run_id, out, clock
        self._interactive = out.isatty()
        self.tally = RunTally()
        self._cursor: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, name="refresh-progress", daemon=True)
        self._last_heartbeat = clock()
        self._progress_drawn = False

    def __enter__(self) -> ProgressPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._drain()
        self._close_stage()

    def _follow(self) -> None:
        while not self._stop.is_set():
            self._drain()
            self._draw_progress()
            self._stop.wait(POLL_SECONDS)

    def _drain(self) -> None:
        try:
            connection = self._instance.get_records_for_run(self._run_id, cursor=self._cursor)
        except Exception:  # the run is not registered yet
            return
        self._cursor = connection.cursor
        for record in connection.records:
            self._apply(record.event_log_entry)

    def _apply(self, entry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        step = event.step_key
        kind = event.event_type_value
        if kind == "STEP_START" and step:
            self._enter_stage(stage_of(step))
            self.tally.running[step] = self._clock()
            if self.tally.current():
                self.tally.current().steps += 1
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step:
            self.tally.running.pop(step, None)
            if kind == "STEP_FAILURE":
                stage = self._stage_named(stage_of(step))
                if stage:
                    stage.failed_steps += 1
                error = event.step_failure_data.error if event.step_failure_data else None
                message = (error.message.strip().splitlines() or [""])[0] if error else ""
                self.tally.failures.append(f"{step}: {message[:300]}")
        elif kind == "ASSET_MATERIALIZATION":
            stage = self._stage_named(stage_of(step)) if step else self.tally.current()
            if stage:
                stage.assets += 1
                rows = event.step_materialization_data.materialization.metadata.get("dagster/row_count")
                if rows is not None and stage.name != "publish":  # the publish copies the marts: no new rows
                    stage.rows += int(rows.value)
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            self.tally.checks += 1
            stage = self._stage_named(stage_of(step)) if step else self.tally.current()
            if stage:
                stage.checks += 1
            if not evaluation.passed:
                if stage:
                    stage.failed_checks += 1
                severity = getattr(evaluation.severity, "value", "ERROR")
                self.tally.failed_checks.append(
                    f"{evaluation.asset_check_key.asset_key.to_user_string()}:{evaluation.check_name} ({severity})")

    def _stage_named(self, name: str) -> StageTally | None:
        for stage in reversed(self.tally.stages):
            if stage.name == name:
                return stage
        return None

    def _enter_stage(self, name: str) -> None:
        current = self.tally.current()
        if current is not None and current.name == name:
            return
        self._close_stage()
        self.tally.stages.append(StageTally(name=name, started=self._clock()))

    def _close_stage(self) -> None:
        current = self.tally.current()
        if current is None:
            return
        current.finished = self._clock()
        self._print(current.line())

    def _print(self, line: str) -> None:
        if self._progress_drawn:
            self._out.write("\r\033[K")
            self._progress_drawn = False
        self._out.write(line + "\n")
        self._out.flush()

    def _draw_progress(self) -> None:
        current = self.tally.current()
        if current is None or not self.tally.running:
            return
        step, since = next(iter(self.tally.running.items()))
        now = self._clock()
        text = f"  {current.name:<13}{now - current.started:>6.1f} s   running {step} ({now - since:.0f} s)"
        if self._interactive:
            self._out.write("\r\033[K" + text)
            self._out.flush()
            self._progress_drawn = True
        elif now - max(self._last_heartbeat, current.started) >= HEARTBEAT_SECONDS:
            self._last_heartbeat = now
            self._print(text + " ...")
