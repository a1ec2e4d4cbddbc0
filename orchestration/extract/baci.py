"""CEPII BACI files -> one normalized row shape, as DuckDB SQL (never pandas: a BACI year is ~10M rows).

BACI ships one CSV per HS revision and year in its release zip (``BACI_HS17_Y2024_V202601.csv``: columns
``t,i,j,k,v,q``; ``q`` written ``NA``, space-padded, when missing) and a ``country_codes_V202601.csv``. The
snapshot holds row filters of such releases published by third parties, with their own column names. Each layout
is recognised from its header and mapped to::

    t year, i exporter code, j importer code, k HS6 integer, v thousand USD (FOB), q metric tons,
    exporter_iso3 / importer_iso3 as the file wrote them (NULL when the file has codes only),
    hs_revision ('HS07', 'HS17', ...), baci_version ('V202601')

The HS revision and version come from the file name (``HS17``/``hs17``, ``V202601``/``v202601``): BACI publishes one
dataset per revision, each converted back over all years, so a row's code means what its revision says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.extract.errors import SourceFormatError
from orchestration.settings import DBT_PROJECT_DIR

# BACI's own country table (its country_codes file, as a dbt seed): staging names both countries from it, and the
# landing assets of the snapshot files and of the bulk folder count the rows it cannot name.
COUNTRY_SEED = DBT_PROJECT_DIR / "seeds" / "baci_country_codes.csv"
_NAME = re.compile(r"hs(\d{2}).*?v(\d{6})", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    name: str
    columns: frozenset[str]
    select: str  # SQL over relation ``src`` giving t, i, j, k, v, q, exporter_iso3, importer_iso3


def _num(column: str) -> str:
    # CEPII writes a missing quantity as 'NA' padded with spaces; anything else non-numeric must fail the load
    return f"cast(nullif(trim(cast({column} as varchar)), 'NA') as double)"


NATIVE_COLUMNS = (f"cast(t as integer) as t, cast(i as integer) as i, cast(j as integer) as j, cast(k as integer) as k, "
                  f"{_num('v')} as v, {_num('q')} as q")

LAYOUTS = [
    Layout("cepii_native", frozenset({"t", "i", "j", "k", "v", "q"}),
           f"{NATIVE_COLUMNS}, cast(null as varchar) as exporter_iso3, cast(null as varchar) as importer_iso3"),
    # Larkstongueinaspic/statistical-model extract: BACI codes plus names/ISO3 from BACI's country_codes file
    Layout("codes_with_iso3", frozenset({"year", "exporter_code", "importer_code", "product_code", "import_value_kusd",
                                         "quantity_tons", "exporter_iso3", "importer_iso3"}),
           f"cast(year as integer) as t, cast(exporter_code as integer) as i, cast(importer_code as integer) as j, "
           f"cast(product_code as integer) as k, {_num('import_value_kusd')} as v, {_num('quantity_tons')} as q, "
           f"exporter_iso3, importer_iso3"),
    # Varcolacus/critical-materials-atlas extract: BACI's ISO3 (S19 = Other Asia nes) instead of numeric codes
    Layout("iso3_only", frozenset({"year", "exporter", "importer", "hs6", "value_kusd", "qty_t"}),
           f"cast(year as integer) as t, cast(null as integer) as i, cast(null as integer) as j, "
           f"cast(hs6 as integer) as k, {_num('value_kusd')} as v, {_num('qty_t')} as q, "
           f"exporter as exporter_iso3, importer as importer_iso3"),
]


def revision_and_version(path: Path | str) -> tuple[str, str]:
    match = _NAME.search(Path(path).name)
    if not match:
        raise SourceFormatError(str(path), "BACI file name must carry its HS revision and version (e.g. BACI_HS17_Y2024_V202601.csv)",
                                field="file name")
    return f"HS{match.group(1)}", f"V{match.group(2)}"


def reader(path: Path | str) -> str:
    text = str(path).replace("'", "''")
    if str(path).lower().endswith(".parquet"):
        return f"read_parquet('{text}')"
    # every column as text: the casts above decide what is a number, so 'NA' or a stray token fails loudly
    return f"read_csv('{text}', header = true, all_varchar = true)"


def layout_of(connection: duckdb.DuckDBPyConnection, path: Path | str) -> Layout:
    columns = {row[0].lower() for row in connection.execute(f"describe select * from {reader(path)}").fetchall()}
    for layout in LAYOUTS:
        if layout.columns <= columns:
            return layout
    raise SourceFormatError(str(path), f"not a known BACI layout (columns {sorted(columns)})", field="header")


def normalized_select(connection: duckdb.DuckDBPyConnection, path: Path | str) -> str:
    """SELECT giving one file as t, i, j, k, v, q, exporter_iso3, importer_iso3, hs_revision, baci_version, layout."""
    layout = layout_of(connection, path)
    revision, version = revision_and_version(path)
    return (f"select {layout.select}, '{revision}' as hs_revision, '{version}' as baci_version, '{layout.name}' as layout "
            f"from {reader(path)} as src")


PARQUET_NATIVE_COLUMNS = ("cast(t as integer) as t, cast(i as integer) as i, cast(j as integer) as j, "
                          "cast(k as integer) as k, cast(v as double) as v, cast(q as double) as q")


def is_native_csv(path: Path | str) -> bool:
    """CEPII's yearly files as they come out of the release zip: BACI_HS17_Y2024_V202601.csv."""
    return re.fullmatch(r"BACI_HS\d{2}_Y\d{4}_V\d{6}\.csv", Path(path).name) is not None


def native_select(path: Path | str) -> str:
    """The t,i,j,k,v,q columns of a CEPII yearly file (CSV from the zip, or Parquet of the same columns). Parquet is
    typed already: cast directly (a text round trip would cost seconds per 10M rows)."""
    columns = PARQUET_NATIVE_COLUMNS if str(path).lower().endswith(".parquet") else NATIVE_COLUMNS
    return f"select {columns} from {reader(path)}"
