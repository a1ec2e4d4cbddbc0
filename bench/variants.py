"""The two comparison variants of the benchmark, each run in its own child process by bench/run.py.

* ``lower_bound``: bench/lower_bound.sql in one DuckDB connection, Parquet in, two tables out (a DuckDB file).
* ``pandas``: the same two marts in plain pandas, what an analyst would otherwise write; written as Parquet, one
  file per year. It works one year at a time, as an analyst with 50M rows must (the whole table in pandas needs
  about 4.4 GB per 10M rows; every mart here is per year, so the result is the same).

    python -m bench.variants lower_bound <bulk_dir> <out.duckdb>
    python -m bench.variants pandas <bulk_dir> <out_dir>
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from data_contracts.vocabularies import DENOMINATOR_SCOPE_BY_SOURCE
from orchestration.settings import memory_limit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "dbt_project" / "seeds"
MARTS = ("fct_trade_flows", "import_dependency")
# What the bulk source's shares are shares of, read from the vocabulary (as the dbt macro does), never retyped here.
BULK_DENOMINATOR_SCOPE = DENOMINATOR_SCOPE_BY_SOURCE["bulk_trade"]


def lower_bound(bulk_dir: Path, out: Path) -> None:
    out.unlink(missing_ok=True)
    script = (Path(__file__).parent / "lower_bound.sql").read_text()
    script = (script.replace("{bulk_glob}", str(bulk_dir / "*.parquet")).replace("{seeds}", str(SEEDS))
              .replace("{denominator_scope}", BULK_DENOMINATOR_SCOPE))
    connection = duckdb.connect(str(out))
    try:
        # Same memory cap as the pipeline, so the two are compared on equal terms.
        connection.execute(f"set memory_limit = '{memory_limit()}'")
        connection.execute(script)
        connection.execute("checkpoint")
    finally:
        connection.close()


def longest_prefix(codes: pd.Series, hs_map: pd.DataFrame) -> pd.DataFrame:
    """hs6 -> (mineral, matched_prefix): the longest hs_mineral_map prefix of each distinct code."""
    distinct = pd.DataFrame({"hs6": codes.unique()})
    found = []
    for length in sorted(hs_map["commodity_code"].str.len().unique(), reverse=True):
        part = hs_map[hs_map["commodity_code"].str.len() == length]
        merged = distinct.assign(prefix=distinct["hs6"].str[:length]).merge(
            part, left_on="prefix", right_on="commodity_code", how="inner")
        found.append(merged[["hs6", "mineral"]].assign(length=length))
    matches = pd.concat(found).sort_values(["hs6", "length"], ascending=[True, False]).drop_duplicates("hs6")
    return matches[["hs6", "mineral"]]


def pandas_marts(flows: pd.DataFrame, countries: pd.DataFrame, hs_map: pd.DataFrame) -> dict[str, pd.DataFrame]:
    flows["hs6"] = flows["k"].astype(str).str.zfill(6)
    minerals = longest_prefix(flows["hs6"], hs_map)
    flows = flows.merge(minerals, on="hs6", how="inner")
    exporters = countries.rename(columns={"m49_code": "i", "iso3": "partner_iso3", "is_country": "partner_is_country"})
    importers = countries[["m49_code", "iso3"]].rename(columns={"m49_code": "j", "iso3": "reporter_iso3"})
    flows = flows.merge(exporters, on="i").merge(importers, on="j")
    fct = pd.DataFrame({
        "source": "bulk_trade",
        "reporter_iso3": flows["reporter_iso3"],
        "partner_iso3": flows["partner_iso3"],
        "partner_in_china_incl_hk": flows["partner_iso3"].isin(["CHN", "HKG"]),
        "partner_is_country": flows["partner_is_country"].astype(bool),
        "flow": "import",
        "commodity_code": flows["hs6"],
        "hs6": flows["hs6"],
        "mineral": flows["mineral"],
        "year": flows["t"].astype("int32"),
        "period_kind": "annual",
        "value_usd": flows["v"] * 1000,
        "quantity": flows["q"],
        "quantity_unit": np.where(flows["q"].notna(), "t", None),
    })
    del flows
    keys = ["reporter_iso3", "mineral", "year"]
    positive = fct[fct["value_usd"] > 0]
    groups = (positive.assign(
        china=np.where(positive["partner_iso3"] == "CHN", positive["value_usd"], 0.0),
        china_hk=np.where(positive["partner_in_china_incl_hk"], positive["value_usd"], 0.0),
    ).groupby(keys, as_index=False).agg(total_value_usd=("value_usd", "sum"), china_value_usd=("china", "sum"),
                                        china_hk_value_usd=("china_hk", "sum")))
    # groups with only zero values still exist (total 0, no shares)
    all_groups = fct[keys].drop_duplicates()
    groups = all_groups.merge(groups, on=keys, how="left").fillna(
        {"total_value_usd": 0.0, "china_value_usd": 0.0, "china_hk_value_usd": 0.0})
    by_partner = positive.groupby(keys + ["partner_iso3"], as_index=False)["value_usd"].sum()
    by_partner["share"] = by_partner["value_usd"] / by_partner.groupby(keys)["value_usd"].transform("sum")
    concentration = by_partner.assign(sq=by_partner["share"] ** 2).groupby(keys, as_index=False).agg(
        positive_supplier_count=("share", "size"), hhi=("sq", "sum"))
    concentration["hhi"] *= 10000
    top = (by_partner.sort_values(keys + ["share", "partner_iso3"], ascending=[True, True, True, False, True])
           .drop_duplicates(keys)[keys + ["partner_iso3", "share"]]
           .rename(columns={"partner_iso3": "top_supplier_iso3", "share": "top_supplier_share"}))
    dep = groups.merge(concentration, on=keys, how="left").merge(top, on=keys, how="left")
    total = dep["total_value_usd"]
    dep["china_share"] = (dep["china_value_usd"] / total).where(total > 0)
    dep["china_hk_share"] = (dep["china_hk_value_usd"] / total).where(total > 0)
    dep["positive_supplier_count"] = dep["positive_supplier_count"].fillna(0).astype("int64")
    dep["equivalent_suppliers"] = (10000 / dep["hhi"]).where(dep["hhi"] > 0)
    dep = dep.rename(columns={"reporter_iso3": "importer_iso3"}).assign(
        period_kind="annual", source="bulk_trade", denominator_scope=BULK_DENOMINATOR_SCOPE)
    return {"fct_trade_flows": fct, "import_dependency": dep}


def pandas_baseline(bulk_dir: Path, out_dir: Path) -> None:
    countries = pd.read_csv(SEEDS / "country_reference.csv", usecols=["m49_code", "iso3", "is_country"])
    hs_map = pd.read_csv(SEEDS / "hs_mineral_map.csv", dtype={"commodity_code": str})[["commodity_code", "mineral"]]
    years = sorted(pd.read_parquet(bulk_dir, columns=["t"])["t"].unique())
    for year in years:
        flows = pd.read_parquet(bulk_dir, columns=["t", "i", "j", "k", "v", "q"], filters=[("t", "==", year)])
        for name, frame in pandas_marts(flows, countries, hs_map).items():
            (out_dir / name).mkdir(parents=True, exist_ok=True)
            frame.to_parquet(out_dir / name / f"part-{year}.parquet", index=False)


def main() -> None:
    variant, bulk_dir, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    started = time.monotonic()
    {"lower_bound": lower_bound, "pandas": pandas_baseline}[variant](bulk_dir, out)
    print(f"{variant}: {time.monotonic() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
