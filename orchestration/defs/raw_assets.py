"""Raw layer: one asset per source extract, landed unchanged with lineage columns into the ``raw`` schema.

Each asset validates its DataFrame against its Pandera contract *before* writing; on failure it records a
failing blocking check (failing rows in the metadata) and raises, so the previous raw table stays in place
and nothing downstream runs on bad input. The tables and their loaders are declared in
``orchestration/extract/raw_loaders.py`` (``RAW_TABLES``).

Each table's code version follows this module, its source's loader module and its source's contract module, not the
other sources' (the two registries that import every source are left out): an edit of one source rebuilds what
reads that source."""


from pathlib import Path

import dagster as dg

from data_contracts.sources.registry import RAW_CONTRACTS
from orchestration.extract import raw_loaders
from orchestration.settings import PROJECT_ROOT
from orchestration.storage.warehouse import RAW_SCHEMA, WRITER_POOL, write_raw_table
from orchestration.validation import CONTRACT_CHECK, validate
from orchestration.versioning.code_versions import code_version
from orchestration.versioning.inputs import data_version, input_tags

# Modules that import every source: a table's version follows its own source's modules instead.
SOURCE_REGISTRIES = ("orchestration.extract.raw_loaders", "data_contracts.sources.registry")


def table_code_version(table: str, root: Path = PROJECT_ROOT) -> str:
    """The code version of raw.<table>: this module, its loader's module and its contract's module, with their imports."""
    own = (raw_loaders.RAW_TABLES[table].load.__module__, RAW_CONTRACTS[table].__module__)
    return code_version(__name__, root, also=own, excluding=SOURCE_REGISTRIES)


def _raw_asset(table: str, spec: raw_loaders.RawTable) -> dg.AssetsDefinition:
    key = dg.AssetKey([RAW_SCHEMA, table])
    contract = RAW_CONTRACTS[table]

    @dg.asset(
        key=key,
        name=None,
        group_name=RAW_SCHEMA,
        description=spec.description,
        kinds=set(spec.kinds) | {"duckdb"},
        tags=input_tags(spec.reads),
        code_version=table_code_version(table),
        pool=WRITER_POOL,
        check_specs=[dg.AssetCheckSpec(CONTRACT_CHECK, asset=key, blocking=True,
                                       description=f"Rows satisfy {contract.__module__}.{contract.__name__} before they are written")],
    )
    def _extract(context: dg.AssetExecutionContext):
        version = data_version(spec.reads)
        frame = spec.load()
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



RAW_TABLE_ASSETS = [_raw_asset(table, spec) for table, spec in raw_loaders.RAW_TABLES.items()]


def raw_table_asset(table: str) -> dg.AssetsDefinition:
    return next(asset for asset in RAW_TABLE_ASSETS if asset.key == dg.AssetKey([RAW_SCHEMA, table]))
