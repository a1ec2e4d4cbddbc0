"""Every environment variable Chokepoint reads, declared once: name, type, default and meaning.

Values are read when an accessor is called, never cached at import: tests set variables per test (monkeypatch) and a
deployment can change them between runs. A blank value counts as unset. The README table is generated from this
module (``python -m orchestration.settings --markdown`` prints it, ``--update-readme`` rewrites it in place).
tests/unit/test_settings.py fails when they differ, when a ``CHOKEPOINT_*`` name in the code, Makefile, dbt profile
or docs is not declared here, when a module reads one without these accessors, or when the defaults the dbt profile
and the Makefile repeat disagree with the ones below.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

TYPE_NAMES = {str: "text", int: "integer", float: "number", Path: "path", list: "comma list"}


@dataclass(frozen=True)
class Setting:
    """One environment variable. ``default`` is the typed value when unset (None: unset means "none"); relative
    paths are under the project root. ``shown_default`` replaces it in the table when the default is derived."""

    name: str
    type: type
    default: Any
    meaning: str
    shown_default: str = ""

    def raw(self) -> str | None:
        value = os.environ.get(self.name, "").strip()
        return value or None

    def get(self) -> Any:
        value = self.raw()
        if value is None:
            return PROJECT_ROOT / self.default if self.type is Path and self.default is not None else self.default
        if self.type is list:
            return [item.strip() for item in value.split(",") if item.strip()]
        if self.type is Path:
            return Path(value)
        try:
            return self.type(value)
        except ValueError as exc:
            raise ValueError(f"{self.name} must be {'an' if self.type is int else 'a'} {TYPE_NAMES[self.type]}, "
                             f"not {value!r}") from exc

    def default_text(self) -> str:
        if self.shown_default:
            return self.shown_default
        if self.default is None:
            return "unset"
        if self.type is list:
            return f"`{','.join(self.default)}`"
        return f"`{self.default}`"


SETTINGS: list[Setting] = []
GROUPS: dict[str, list[Setting]] = {}


def _declare(group: str, *settings: Setting) -> None:
    GROUPS.setdefault(group, []).extend(settings)
    SETTINGS.extend(settings)


# --- Paths -------------------------------------------------------------------------------------------------------
WAREHOUSE = Setting("CHOKEPOINT_WAREHOUSE", Path, "warehouse/chokepoint.duckdb",
                    "the DuckDB file dbt and the raw assets write")
SNAPSHOT_DIR = Setting("CHOKEPOINT_SNAPSHOT_DIR", Path, "data/snapshot",
                       "where the embedded snapshot (and its MANIFEST.csv) lives")
MEASURES_REGISTER = Setting("CHOKEPOINT_MEASURES_REGISTER", Path, "data/register/export_measures.yaml",
                            "the measures register to load")
SERVE_DIR = Setting("CHOKEPOINT_SERVE_DIR", Path, None,
                    "where the serving copy, Parquet exports and Data Docs are published",
                    "`serve/` beside the warehouse")
REPORT_DIR = Setting("CHOKEPOINT_REPORT_DIR", Path, None, "where the HTML report is written",
                     "`report/` beside the warehouse")
LANDING_DIR = Setting("CHOKEPOINT_LANDING_DIR", Path, None, "immutable store of every live response",
                      "`landing/` beside the warehouse")
DATAWEB_DROP_DIR = Setting("CHOKEPOINT_DATAWEB_DROP_DIR", Path, "data/dropbox/usitc",
                           "folder watched by `dataweb_drop_sensor`; its workbooks are added to `raw.usitc_dataweb`")
BULK_TRADE_DIR = Setting("CHOKEPOINT_BULK_TRADE_DIR", Path, None,
                         "folder of BACI-shaped Parquet files to load as `bulk_trade` (unset: the source is empty)")
_declare("paths", WAREHOUSE, SNAPSHOT_DIR, MEASURES_REGISTER, SERVE_DIR, REPORT_DIR, LANDING_DIR, DATAWEB_DROP_DIR,
         BULK_TRADE_DIR)

# --- DuckDB and checks -------------------------------------------------------------------------------------------
# 1GB: the Dagster and dbt processes together stay under 2 GB at 50M rows (docs/BENCHMARKS.md).
DUCKDB_MEMORY_LIMIT = Setting("CHOKEPOINT_DUCKDB_MEMORY_LIMIT", str, "1GB",
                              "DuckDB memory limit of every connection (dbt, loads, checks, publish); spills to disk "
                              "beyond it")
DUCKDB_THREADS = Setting("CHOKEPOINT_DUCKDB_THREADS", int, None,
                         "DuckDB threads of the bulk raw load (unset: DuckDB's default, one per core)")
GX_MAX_ROWS = Setting("CHOKEPOINT_GX_MAX_ROWS", int, 250_000,
                      "marts larger than this are checked by GX on a seeded sample (full-table rules run in DuckDB)")
_declare("duckdb", DUCKDB_MEMORY_LIMIT, DUCKDB_THREADS, GX_MAX_ROWS)

# --- Schedules (UTC) ---------------------------------------------------------------------------------------------
NIGHTLY_CRON = Setting("CHOKEPOINT_NIGHTLY_CRON", str, "0 3 * * *", "cron of `nightly_refresh` (UTC)")
LIVE_CENSUS_NIGHTLY_CRON = Setting("CHOKEPOINT_LIVE_CENSUS_NIGHTLY_CRON", str, "0 2 * * *",
                                   "cron of `live_census_nightly` (UTC), before `nightly_refresh`")
LIVE_COMTRADE_NIGHTLY_CRON = Setting("CHOKEPOINT_LIVE_COMTRADE_NIGHTLY_CRON", str, "30 2 * * *",
                                     "cron of `live_comtrade_nightly` (UTC), before `nightly_refresh`")
LIVE_COMTRADE_MONTHLY_NIGHTLY_CRON = Setting("CHOKEPOINT_LIVE_COMTRADE_MONTHLY_NIGHTLY_CRON", str, "40 2 * * *",
                                             "cron of `live_comtrade_monthly_nightly` (UTC), before `nightly_refresh`")
LIVE_FEDREG_NIGHTLY_CRON = Setting("CHOKEPOINT_LIVE_FEDREG_NIGHTLY_CRON", str, "45 2 * * *",
                                   "cron of `live_fedreg_nightly` (UTC), before `nightly_refresh`")
CENSUS_NIGHTLY_WINDOW = Setting("CHOKEPOINT_CENSUS_NIGHTLY_WINDOW", int, 6,
                                "recent months `live_census_nightly` requests when not landed yet")
COMTRADE_NIGHTLY_WINDOW = Setting("CHOKEPOINT_COMTRADE_NIGHTLY_WINDOW", int, 3,
                                  "recent years `live_comtrade_nightly` requests when not landed yet")
# Off by default: monthly declarations cost twelve times the calls of a year against Comtrade's daily quota.
COMTRADE_MONTHLY_WINDOW = Setting("CHOKEPOINT_COMTRADE_MONTHLY_WINDOW", int, 0,
                                  "recent months (YYYYMM) `live_comtrade_monthly_nightly` requests when not landed yet "
                                  "(same reporters, flows and codes as the annual fetch); 0: monthly Comtrade is not "
                                  "fetched on schedule nor by `make run`")
REVISION_LOOKBACK = Setting("CHOKEPOINT_REVISION_LOOKBACK", int, 0,
                            "landed periods the live schedules re-fetch every night, to catch revisions")
_declare("schedules", NIGHTLY_CRON, LIVE_CENSUS_NIGHTLY_CRON, LIVE_COMTRADE_NIGHTLY_CRON,
         LIVE_COMTRADE_MONTHLY_NIGHTLY_CRON, LIVE_FEDREG_NIGHTLY_CRON, CENSUS_NIGHTLY_WINDOW, COMTRADE_NIGHTLY_WINDOW,
         COMTRADE_MONTHLY_WINDOW, REVISION_LOOKBACK)

# Schedule name -> its cron: every schedule reads its cron here, when the definitions load.
SCHEDULE_CRONS = {"nightly_refresh": NIGHTLY_CRON, "live_census_nightly": LIVE_CENSUS_NIGHTLY_CRON,
                  "live_comtrade_nightly": LIVE_COMTRADE_NIGHTLY_CRON,
                  "live_comtrade_monthly_nightly": LIVE_COMTRADE_MONTHLY_NIGHTLY_CRON,
                  "live_fedreg_nightly": LIVE_FEDREG_NIGHTLY_CRON}
# Partitioned live table -> how many recent periods its nightly schedule considers.
NIGHTLY_WINDOWS = {"census_trade": CENSUS_NIGHTLY_WINDOW, "comtrade_live_records": COMTRADE_NIGHTLY_WINDOW,
                   "comtrade_live_monthly": COMTRADE_MONTHLY_WINDOW}

# --- Live sources ------------------------------------------------------------------------------------------------
SOURCE = Setting("CHOKEPOINT_SOURCE", str, "snapshot",
                 "`live` enables the live schedules, the live fetches and the live step of `make run` "
                 "(docs/LIVE_SOURCES.md); run config `source` overrides it for one run")
# Official hosts; each can be replaced by a mirror, or the tests' replay server.
BASE_URLS = {
    "comtrade": Setting("CHOKEPOINT_COMTRADE_URL", str, "https://comtradeapi.un.org", "base URL of UN Comtrade"),
    "census": Setting("CHOKEPOINT_CENSUS_URL", str, "https://api.census.gov", "base URL of the Census API"),
    "fedreg": Setting("CHOKEPOINT_FEDREG_URL", str, "https://www.federalregister.gov",
                      "base URL of the Federal Register API"),
    "sciencebase": Setting("CHOKEPOINT_SCIENCEBASE_URL", str, "https://www.sciencebase.gov",
                           "base URL of USGS ScienceBase (item JSON and file downloads)"),
    "worldbank": Setting("CHOKEPOINT_WORLDBANK_URL", str, "https://api.worldbank.org",
                         "base URL of the World Bank API (WGI)"),
}
# Only these sources take a key; read from the environment only, never stored or logged (see http.redact).
API_KEYS = {
    "comtrade": Setting("CHOKEPOINT_COMTRADE_KEY", str, None,
                        "UN Comtrade key (optional): with it `/data/v1/get`, without it the keyless preview"),
    "census": Setting("CHOKEPOINT_CENSUS_KEY", str, None, "Census API key (optional; ~500 queries/day without)"),
}
HTTP_MAX_ATTEMPTS = Setting("CHOKEPOINT_HTTP_MAX_ATTEMPTS", int, 5, "attempts per live request (retries + 1)")
HTTP_BASE_DELAY = Setting("CHOKEPOINT_HTTP_BASE_DELAY", float, 1.0, "first retry back-off of live requests, seconds")
HTTP_TIMEOUT = Setting("CHOKEPOINT_HTTP_TIMEOUT", float, 30.0, "timeout of one live request, seconds")
# Rate limit. Comtrade's free tier is tight (~500 calls/day, not verified), Census ~500/day without key per IP.
MIN_INTERVALS = {
    "comtrade": Setting("CHOKEPOINT_COMTRADE_MIN_INTERVAL", float, 1.0, "seconds between UN Comtrade requests"),
    "census": Setting("CHOKEPOINT_CENSUS_MIN_INTERVAL", float, 0.2, "seconds between Census requests"),
    "fedreg": Setting("CHOKEPOINT_FEDREG_MIN_INTERVAL", float, 0.2, "seconds between Federal Register requests"),
    "sciencebase": Setting("CHOKEPOINT_SCIENCEBASE_MIN_INTERVAL", float, 0.5,
                           "seconds between ScienceBase requests"),
    "worldbank": Setting("CHOKEPOINT_WORLDBANK_MIN_INTERVAL", float, 0.2, "seconds between World Bank API requests"),
}
CENSUS_COMMODITIES = Setting("CHOKEPOINT_CENSUS_COMMODITIES", list, None,
                             "HS6 codes fetched from Census (one request per flow x code)",
                             "every six-digit code of `dbt_project/seeds/hs_mineral_map.csv`")
CENSUS_FLOWS = Setting("CHOKEPOINT_CENSUS_FLOWS", list, ["imports", "exports"], "Census endpoints")
COMTRADE_REPORTERS = Setting("CHOKEPOINT_COMTRADE_REPORTERS", list, None,
                             "Comtrade reporter codes; China as importer is the series the dependency marts read from "
                             "Comtrade (US: USITC/Census; other importers: BACI); every reporter's annual HS6 records also "
                             "reach `stg_comtrade_two_sided__declarations` (mirror_flows, reporter_declared_dependency), "
                             "replacing the snapshot's rows of that reporter x flow x HS6 x year; a year naming a reporter "
                             "or partner code outside `baci_country_codes` (BACI's country table, Comtrade's areas "
                             "included) and `comtrade_partner_areas` (Comtrade's own partner areas, no ISO3) is quarantined",
                             "`156` (`extract/live/map_defaults.py`)")
COMTRADE_FLOWS = Setting("CHOKEPOINT_COMTRADE_FLOWS", list, ["M"],
                         "Comtrade flow codes: `M` imports, `X` exports (`M,X` for both sides of a mirror flow)")
COMTRADE_COMMODITIES = Setting("CHOKEPOINT_COMTRADE_COMMODITIES", list, None,
                               "Comtrade HS codes (batched into `cmdCode` lists)",
                               "every code of `hs_mineral_map.csv` at the level mapped, minus a subheading inside a "
                               "same-mineral heading (`map_defaults.comtrade_commodities`)")
COMTRADE_CODES_PER_REQUEST = Setting("CHOKEPOINT_COMTRADE_CODES_PER_REQUEST", int, None,
                                     "codes per Comtrade `cmdCode` list (no published maximum found; URLs over 4,096 "
                                     "characters are refused, ropensci/comtradr#50)", "5 keyless, 50 keyed")
FEDREG_SINCE = Setting("CHOKEPOINT_FEDREG_SINCE", str, "2023-01-01",
                       "Federal Register: BIS documents published since this date")
FEDREG_TYPES = Setting("CHOKEPOINT_FEDREG_TYPES", list, ["RULE"], "Federal Register document types")
SCIENCEBASE_ITEMS = Setting("CHOKEPOINT_SCIENCEBASE_ITEMS", list, [],
                            "`EDITION=itemId,...`: ScienceBase item id per MCS edition, adds to / overrides the "
                            "built-in ones", "built-in (`extract/live/sciencebase.py`)")
WGI_YEARS = Setting("CHOKEPOINT_WGI_YEARS", str, "2015:2024", "`FIRST:LAST` years of World Bank WGI fetched")
_declare("live", SOURCE, *BASE_URLS.values(), *API_KEYS.values(), HTTP_MAX_ATTEMPTS, HTTP_BASE_DELAY, HTTP_TIMEOUT,
         *MIN_INTERVALS.values(), CENSUS_COMMODITIES, CENSUS_FLOWS, COMTRADE_REPORTERS, COMTRADE_FLOWS,
         COMTRADE_COMMODITIES, COMTRADE_CODES_PER_REQUEST, FEDREG_SINCE, FEDREG_TYPES, SCIENCEBASE_ITEMS, WGI_YEARS)

# --- Spark (read by the dbt profile and orchestration/spark/engine.py) -------------------------------------------
ENGINE = Setting("CHOKEPOINT_ENGINE", str, "duckdb", "`spark` selects the dbt profile's Spark target (docs/SPARK.md)")
SPARK_DIR = Setting("CHOKEPOINT_SPARK_DIR", Path, None,
                    "Spark's table files, metastore and the Parquet export of the raw layer",
                    "`spark/` beside the warehouse")
SPARK_DRIVER_MEMORY = Setting("CHOKEPOINT_SPARK_DRIVER_MEMORY", str, "2g", "`spark.driver.memory` of the dbt Spark target")
_declare("spark", ENGINE, SPARK_DIR, SPARK_DRIVER_MEMORY)

# --- Benchmark, tests, Dagster -----------------------------------------------------------------------------------
BENCH_DIR = Setting("CHOKEPOINT_BENCH_DIR", Path, "/tmp/bench", "data and run folders of `make bench` (about 6 GB)")
TEST_ARTIFACTS = Setting("CHOKEPOINT_TEST_ARTIFACTS", Path, "tests/artifacts",
                         "screenshots and timings written by the end-to-end tests")
DAGSTER_HOME = Setting("DAGSTER_HOME", Path, None,
                       "Dagster instance (run history, pool limits); unset outside make: an ephemeral instance",
                       "`.dagster_home` (set by the Makefile)")
DEV_PORT = Setting("CHOKEPOINT_DEV_PORT", int, 3000,
                   "port of the Dagster UI: `make dev` serves on it (`make dev DEV_PORT=...` sets it too) and "
                   "`make run` links its run there")
_declare("other", BENCH_DIR, TEST_ARTIFACTS, DAGSTER_HOME, DEV_PORT)

BY_NAME = {setting.name: setting for setting in SETTINGS}

# Names modules and tests refer to.
WAREHOUSE_ENV = WAREHOUSE.name
DATAWEB_DROP_ENV = DATAWEB_DROP_DIR.name
BULK_DIR_ENV = BULK_TRADE_DIR.name

# dbt's own variable for its log file's level (dbt.log), and the level the dbt steps (DuckDB and Spark) give it unless
# the user sets one: at dbt's default, debug, it records every statement and cache event, and writing those lines was
# a fifth of the dbt processes' CPU in a full refresh (py-spy, 2026-12-07: 6.8 of 33 s). Failures and each node's
# result are info or above; every node's SQL is in the invocation's compiled/ and run/ folders either way.
DBT_FILE_LOG_LEVEL_ENV = "DBT_LOG_LEVEL_FILE"
DBT_FILE_LOG_LEVEL = "info"


def warehouse_path() -> Path:
    return WAREHOUSE.get().resolve()


def _beside_warehouse(setting: Setting, folder: str) -> Path:
    """Derived defaults sit beside the warehouse file, so a test's temporary warehouse gets its own folders."""
    value = setting.get()
    return (value if value is not None else warehouse_path().parent / folder).resolve()


def snapshot_dir() -> Path:
    return SNAPSHOT_DIR.get().resolve()


def register_path() -> Path:
    return MEASURES_REGISTER.get().resolve()


def serve_dir() -> Path:
    """Where readers find the published copy."""
    return _beside_warehouse(SERVE_DIR, "serve")


def report_dir() -> Path:
    return _beside_warehouse(REPORT_DIR, "report")


def landing_dir() -> Path:
    return _beside_warehouse(LANDING_DIR, "landing")


def spark_dir() -> Path:
    return _beside_warehouse(SPARK_DIR, "spark")


def dataweb_drop_dir() -> Path:
    """Watched folder for USITC DataWeb workbooks downloaded by hand (not in the snapshot manifest)."""
    return DATAWEB_DROP_DIR.get().resolve()


def bulk_dir() -> Path | None:
    """Folder of BACI-shaped Parquet files for the bulk trade source; None (source empty) when unset."""
    value = BULK_TRADE_DIR.get()
    return value.resolve() if value is not None else None


def memory_limit() -> str:
    return DUCKDB_MEMORY_LIMIT.get()


def schedule_cron(schedule: str) -> str:
    return SCHEDULE_CRONS[schedule].get()


def base_url(source: str) -> str:
    return BASE_URLS[source].get().rstrip("/")


def api_key(source: str) -> str | None:
    setting = API_KEYS.get(source)
    return setting.get() if setting else None


def min_interval(source: str) -> float:
    return MIN_INTERVALS[source].get()


def markdown() -> str:
    """The README's environment-variable table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{setting.name}` | {setting.default_text()} | {setting.meaning} |" for setting in SETTINGS]
    return "\n".join(lines)


README_MARKERS = ("<!-- settings:start -->", "<!-- settings:end -->")


def readme_with_table(readme: str) -> str:
    start, end = README_MARKERS
    before, rest = readme.split(start, 1)
    return f"{before}{start}\n{markdown()}\n{end}{rest.split(end, 1)[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chokepoint's environment variables.")
    parser.add_argument("--markdown", action="store_true", help="print the README table (the default)")
    parser.add_argument("--update-readme", action="store_true", help="rewrite the table in README.md")
    args = parser.parse_args(argv)
    if args.update_readme:
        readme = PROJECT_ROOT / "README.md"
        readme.write_text(readme_with_table(readme.read_text()))
    else:
        print(markdown())  # never the values: two of them are API keys
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
