"""Validate the serving copy with Great Expectations and write its Data Docs site.

GX 1.x's SQL path fails on DuckDB (see docs/SERVING.md), so each mart is read over a read-only connection into a
DataFrame and validated on GX's pandas path. Marts are small; a mart too large for memory would be sampled here."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from orchestration.publish.offline_site import make_offline
from orchestration.settings import GX_MAX_ROWS
from orchestration.storage.warehouse import open_duckdb

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network calls home from CI or offline machines

SITE_NAME = "local_site"
# Each publish keeps its validation results here, beside its site, so the next publish can reuse a mart's result when
# that mart's validated rows and suite did not change (see _fingerprint).
VALIDATION_RESULTS = "validation_results"
# BASIC still reports the unexpected count and up to 20 example values (what describe_failure and the site show);
# SUMMARY's value counts and row indexes cost 2.5 s of the 9 s a snapshot publish spent validating.
RESULT_FORMAT = "BASIC"
# Above this many rows a mart is validated on a seeded reservoir sample: a 50M-row fct_trade_flows would not fit
# in a pandas DataFrame. Full-table rules are enforced in DuckDB anyway (dbt tests, Pandera ibis contracts).


# Materialization metadata keys of serve/chokepoint that `make run` and the UI read (see quality_summary).
FAILED_KEY = "expectations_failed"
RESULTS_KEY = "expectations"
MAX_LISTED_FAILURES = 5


@dataclass(frozen=True)
class QualityReport:
    site_index: Path
    results: dict[str, tuple[int, int]]  # mart -> (expectations passed, expectations evaluated)
    failures: dict[str, list[str]] = field(default_factory=dict)  # mart -> one line per failed expectation
    remote_urls: dict[str, list[str]] = field(default_factory=dict)  # page -> URLs it still loads from the internet
    reused: tuple[str, ...] = ()  # marts whose result came from the previous publish: same rows, same suite

    @property
    def success(self) -> bool:
        return all(passed == total for passed, total in self.results.values())

    @property
    def failed_count(self) -> int:
        return sum(total - passed for passed, total in self.results.values())


def describe_failure(result) -> str:
    """One readable line for a failed GX expectation: type, column, how many rows broke it and a few examples."""
    config = result.expectation_config
    column = config.kwargs.get("column")
    line = config.type + (f"({column})" if column else "")
    details = result.result or {}
    if "unexpected_count" in details:
        line += f": {details['unexpected_count']} unexpected"
        examples = details.get("partial_unexpected_list") or []
        if examples:
            line += f", e.g. {examples[:3]}"
    elif (details.get("details") or {}).get("mismatched"):  # a table's column set: name the missing and extra columns
        mismatched = details["details"]["mismatched"]
        line += f": missing {sorted(mismatched.get('missing') or [])}"
        if mismatched.get("unexpected"):
            line += f", not in the YAML {sorted(mismatched['unexpected'])}"
    elif "observed_value" in details:
        line += f": observed {details['observed_value']}"
    if result.exception_info and result.exception_info.get("raised_exception"):
        line += f": raised {result.exception_info.get('exception_message')}"
    return line


def quality_summary(metadata) -> str:
    """One line for the `make run` summary from serve/chokepoint's materialization metadata (MetadataValue or
    plain values), e.g. "Data Docs: 9 suites, 140/142 expectations passed; failed: supply_risk: ..."."""
    def plain(key):
        value = metadata.get(key)
        return getattr(value, "value", value) or {}

    results, failed = plain(RESULTS_KEY), plain(FAILED_KEY)
    counts = [tuple(int(n) for n in str(v).split("/")) for v in results.values()]
    line = f"Data Docs: {len(results)} suites, {sum(p for p, _ in counts)}/{sum(t for _, t in counts)} expectations passed"
    if failed:
        listed = [f"{mart}: {item}" for mart, items in failed.items() for item in items]
        more = f" (+{len(listed) - MAX_LISTED_FAILURES} more)" if len(listed) > MAX_LISTED_FAILURES else ""
        line += "; FAILED: " + "; ".join(listed[:MAX_LISTED_FAILURES]) + more
    return line


def build_data_docs(serving_copy: Path, out_dir: Path, suites: dict[str, list] | None = None,
                    previous_results: Path | None = None) -> QualityReport:
    """Validate every mart of ``serving_copy`` and write the site to ``out_dir``, the results beside it
    (``out_dir.parent / VALIDATION_RESULTS``). A mart whose validated rows and suite are those of a result in
    ``previous_results`` (the last publish's) gets that result instead of a new run: the suites hold deterministic
    row and table rules, so validating the same rows again can only repeat it."""
    # Imported here, suites included (they are GX objects): GX takes ~2 s to import and only publishing needs it,
    # while every process that loads the code location (webserver, daemon, `make run`, a no-change tick) would pay.
    import great_expectations as gx

    from data_contracts.quality_suites import SUITES

    suites = SUITES if suites is None else suites
    results_dir = out_dir.parent / VALIDATION_RESULTS
    results_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="gx-") as project_root:
        # Ephemeral: a file context rewrote its YAML config on every added asset (~2 s); only the site goes to disk.
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        site = Path(project_root) / SITE_NAME
        context.update_data_docs_site(SITE_NAME, {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        source = context.data_sources.add_pandas("marts")
        store = context.validation_results_store
        results, failures, reused = {}, {}, []
        for mart, expectations in suites.items():
            frame = _read_mart(serving_copy, mart)
            batch = source.add_dataframe_asset(name=mart).add_batch_definition_whole_dataframe("published")
            # The whole suite in one store write: adding expectations one at a time rewrote it 440 times (~5 s).
            suite = context.suites.add(gx.ExpectationSuite(name=f"marts.{mart}",
                                                           expectations=[e.copy() for e in expectations]))
            fingerprint = _fingerprint(gx.__version__, suite, frame)
            kept = _kept_result(previous_results, mart, fingerprint)
            if kept is None:
                validation = context.validation_definitions.add(
                    gx.ValidationDefinition(name=f"validate_{mart}", data=batch, suite=suite))
                # A validation definition stores its result itself; the site is rendered once below. A checkpoint
                # with an UpdateDataDocsAction per mart re-rendered the whole site after every mart (21 x, ~11 s).
                checks = validation.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT).results
                (identifier,) = [key for key in store.list_keys() if key.expectation_suite_identifier.name == suite.name]
                kept = KeptResult(fingerprint, list(identifier.to_tuple()),
                                  store.store_backend.get(store.key_to_tuple(identifier)),  # as the store serialized it
                                  sum(1 for r in checks if r.success), len(checks),
                                  [describe_failure(r) for r in checks if not r.success])
            else:
                # The kept text goes back into the store as is; the site renders it with its original validation time.
                store.store_backend.set(tuple(kept.identifier), kept.result)
                reused.append(mart)
            (results_dir / f"{mart}.json").write_text(json.dumps(asdict(kept)), encoding="utf-8")
            results[mart] = (kept.passed, kept.total)
            if kept.failures:
                failures[mart] = kept.failures
        context.build_data_docs(site_names=[SITE_NAME])
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(site, out_dir)
    remote = make_offline(out_dir)
    return QualityReport(out_dir / "index.html", results, failures, remote, tuple(reused))


@dataclass(frozen=True)
class KeptResult:
    """One mart's validation as a publish keeps it for the next (``<release>/validation_results/<mart>.json``)."""
    fingerprint: str
    identifier: list[str]  # GX's ValidationResultIdentifier as a tuple: where the site finds the result
    result: str  # the result as GX's validation results store serialized it
    passed: int
    total: int
    failures: list[str]


def _fingerprint(gx_version: str, suite, frame: pd.DataFrame) -> str:
    """What a mart's result depends on: GX's version, the suite, the result format, and the validated rows as a
    multiset (row count, column names and types, the sum of the rows' 64-bit hashes). Order-free on purpose: a
    rebuilt table may hand its rows back in another order, and none of the suites' rules depends on row order."""
    row_hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    parts = {
        "gx": gx_version,
        "result_format": RESULT_FORMAT,
        # without the id GX gives each expectation when it is added to a suite: a new one on every publish
        "suite": [{k: v for k, v in expectation.configuration.to_json_dict().items() if k != "id"}
                  for expectation in suite.expectations],
        "columns": [[str(name), str(dtype)] for name, dtype in frame.dtypes.items()],
        "rows": len(frame),
        "row_hash_sum": int(row_hashes.sum(dtype="uint64")),  # wraps around at 2**64, as a multiset hash may
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _kept_result(folder: Path | None, mart: str, fingerprint: str) -> KeptResult | None:
    """What the previous publish kept for ``mart`` if it validated the same rows with the same suite, else None. A
    file that cannot be read is a miss, never an error: the mart is simply validated again."""
    path = folder / f"{mart}.json" if folder is not None else None
    if path is None or not path.is_file():
        return None
    try:
        kept = KeptResult(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return kept if kept.fingerprint == fingerprint else None


def _read_mart(serving_copy: Path, mart: str):
    """One mart (or its seeded sample) as a DataFrame, over a connection closed before GX runs: sampling the 50M-row
    fact filled DuckDB's buffer pool (~1 GB), and a connection kept open for the whole loop held it while GX
    validated every mart, so the publish step peaked at 2.3 GB at 50M rows (docs/BENCHMARKS.md)."""
    limit = GX_MAX_ROWS.get()
    connection = open_duckdb(serving_copy, read_only=True)
    try:
        rows = connection.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
        if rows <= limit:
            return connection.execute(f'select * from marts."{mart}"').df()
        return connection.execute(f'select * from marts."{mart}" using sample reservoir({limit} rows) repeatable (42)').df()
    finally:
        connection.close()
