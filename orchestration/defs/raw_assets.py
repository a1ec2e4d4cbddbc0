"""Raw layer: one asset per source extract, landed unchanged with lineage columns into the ``raw`` schema.

Each asset validates its DataFrame against its Pandera contract *before* writing; on failure it records a
failing blocking check (failing rows in the metadata) and raises, so the previous raw table stays in place
and nothing downstream runs on bad input."""


from collections.abc import Callable

import dagster as dg
import pandas as pd

from data_contracts.raw import RAW_CONTRACTS
from orchestration.code_versions import code_version
from orchestration.extract import raw_loaders
from orchestration.inputs import data_version, input_tags
from orchestration.validation import CONTRACT_CHECK, validate
from orchestration.warehouse import RAW_SCHEMA, WRITER_POOL, write_raw_table


def _raw_asset(table: str, load: Callable[[], pd.DataFrame], description: str, kinds: set[str],
               reads: str) -> dg.AssetsDefinition:
    key = dg.AssetKey([RAW_SCHEMA, table])
    contract = RAW_CONTRACTS[table]

    @dg.asset(
        key=key,
        name=None,
        group_name=RAW_SCHEMA,
        description=description,
        kinds=kinds | {"duckdb"},
        tags=input_tags(reads),
        code_version=code_version(__name__),
        pool=WRITER_POOL,
        check_specs=[dg.AssetCheckSpec(CONTRACT_CHECK, asset=key, blocking=True,
                                       description=f"Rows satisfy data_contracts.raw.{contract.__name__} before they are written")],
    )
    def _extract(context: dg.AssetExecutionContext):
        version = data_version(reads)
        frame = load()
        outcome = validate(frame, contract)
        if not outcome.passed:
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=False, metadata=outcome.metadata)
            raise dg.Failure(description=f"raw.{table} not written: {outcome.summary}", metadata=outcome.metadata)
        rows = write_raw_table(table, frame)
        files = sorted(frame["_source_file"].unique())
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "source_files": dg.MetadataValue.json(files),
                "source_sha256": dg.MetadataValue.json(sorted(frame["_source_sha256"].unique())),
                "dagster/table_name": f"{RAW_SCHEMA}.{table}",
            },
            data_version=version,
        )
        yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True, metadata=outcome.metadata)

    _extract.__name__ = f"raw_{table}"
    return _extract


usitc_dataweb = _raw_asset(
    "usitc_dataweb", raw_loaders.load_usitc_dataweb,
    "USITC DataWeb workbooks (US imports for consumption and domestic exports, HTS headings, 18 selected partners, "
    "1993-2025 and Jan-Apr YTD 2026), one row per sheet cell.", {"excel"}, reads="snapshot_and_dataweb_drop",
)
comtrade_records = _raw_asset(
    "comtrade_records", raw_loaders.load_comtrade_records,
    "UN Comtrade v1 records as the API returns them: China (156) imports of HS 2846 by partner, 1993-2024.", {"json"}, reads="snapshot",
)
usgs_mcs2026 = _raw_asset(
    "usgs_mcs2026", raw_loaders.load_usgs_mcs2026,
    "USGS Mineral Commodity Summaries 2026 data release (all commodities), values kept as published text.", {"csv"}, reads="snapshot",
)
usgs_mcs2025_rare_earths = _raw_asset(
    "usgs_mcs2025_rare_earths", raw_loaders.load_usgs_mcs2025_rare_earths,
    "USGS MCS 2025 rare-earth chapter, US salient statistics 2020-2024 (transcribed from the PDF).", {"csv"}, reads="snapshot",
)
usgs_mcs2025_import_sources = _raw_asset(
    "usgs_mcs2025_import_sources", raw_loaders.load_usgs_mcs2025_import_sources,
    "USGS MCS 2025 US import sources (rare-earth compounds and metals, 2020-23), transcribed from the chapter PDF.", {"csv"}, reads="snapshot",
)
wgi_snapshot = _raw_asset(
    "wgi_snapshot", raw_loaders.load_wgi_snapshot,
    "World Bank Worldwide Governance Indicators 1996-2022 (2023 update) from the snapshot's WGIData.csv: the six "
    ".EST estimates per country and year. Attribution: World Bank, Worldwide Governance Indicators (CC BY 4.0).", {"csv"}, reads="snapshot",
)
export_measures = _raw_asset(
    "export_measures", lambda: raw_loaders.load_export_measures()["export_measures"],
    "The project's export-control measures register (data/register/export_measures.yaml), one row per measure.", {"yaml"}, reads="register",
)
export_measure_parts = _raw_asset(
    "export_measure_parts", lambda: raw_loaders.load_export_measures()["export_measure_parts"],
    "Parts (articles, items) of each register measure with their legal type, scope and in-force dates.", {"yaml"}, reads="register",
)
export_measure_codes = _raw_asset(
    "export_measure_codes", lambda: raw_loaders.load_export_measures()["export_measure_codes"],
    "Customs codes of each measure part as printed (and corrected), with HS6 and coverage level.", {"yaml"}, reads="register",
)
export_measure_links = _raw_asset(
    "export_measure_links", lambda: raw_loaders.load_export_measures()["export_measure_links"],
    "Commodities, elements, destinations, suspended parts, related measures and source URLs of each register entry.", {"yaml"}, reads="register",
)
