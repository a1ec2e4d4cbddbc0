"""SYNTHETIC bulk trade flows in the shape of CEPII BACI, deterministic by seed, written as Parquet.

Every file is labelled synthetic three ways: its name (``synthetic_baci_Y<year>.parquet``), the folder name
(``synthetic_baci_<rows>rows_seed<seed>``) and the Parquet key-value metadata (``synthetic = true``). The values are
random numbers with a realistic *shape*, never real trade.

Columns are BACI's (docs/SOURCE_QUIRKS.md, notes §8): ``t`` year, ``i`` exporter and ``j`` importer (ISO 3166-1
numeric), ``k`` HS6 product as an integer (left-pad to 6 digits), ``v`` value in thousand USD, ``q`` metric tons
(null when missing). One file per year, as BACI ships them.

Shape: exporters, importers and HS6 codes follow Zipf-like weights (China the heaviest exporter, so a few partners
and codes dominate); keys (t, i, j, k) are unique, drawn without replacement by weight (Efraimidis-Spirakis);
about 3 % of values are exactly 0, about 4 % of quantities are missing, about 10 % of codes are outside the
critical-mineral headings (the pipeline drops them from the mineral facts).

    python -m bench.generate --rows 1000000 --out /tmp/bench/data
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "dbt_project" / "seeds"
FIRST_YEAR, LAST_YEAR = 1995, 2024
ZERO_VALUE_SHARE = 0.03
MISSING_QUANTITY_SHARE = 0.04
# Headings outside hs_mineral_map (live animals, coffee, cars ...): present in any real bulk file, not minerals.
NON_MINERAL_HEADINGS = [101, 901, 2710, 3004, 7108, 8703, 8471, 8542, 9018, 6109, 4011, 2204, 1001, 8517, 3901]
SUBHEADINGS_PER_HEADING = 60
SCHEMA = pa.schema([
    ("t", pa.int32()), ("i", pa.int32()), ("j", pa.int32()), ("k", pa.int32()), ("v", pa.float64()), ("q", pa.float64()),
])


def countries() -> list[int]:
    """ISO numeric codes of the reference countries (country_reference seed, is_country), China first."""
    with open(SEEDS / "country_reference.csv", newline="") as handle:
        codes = [int(row["m49_code"]) for row in csv.DictReader(handle) if row["is_country"] == "true"]
    return sorted(codes, key=lambda code: (code != 156, code))


def hs6_codes() -> tuple[np.ndarray, np.ndarray]:
    """Synthetic HS6 codes under every critical-mineral heading of hs_mineral_map, plus non-mineral ones."""
    with open(SEEDS / "hs_mineral_map.csv", newline="") as handle:
        prefixes = [row["commodity_code"] for row in csv.DictReader(handle)]
    minerals = sorted({int(p) for p in prefixes if len(p) == 6})
    for heading in sorted({int(p) for p in prefixes if len(p) == 4}):
        minerals += [heading * 100 + sub for sub in range(10, 10 + SUBHEADINGS_PER_HEADING)]
    # The map now holds non-mineral product groups too (chip equipment, chips): a heading there is not "other".
    others = [code for heading in NON_MINERAL_HEADINGS for code in range(heading * 100 + 10, heading * 100 + 10 + SUBHEADINGS_PER_HEADING // 3)
              if code not in set(minerals) and heading not in {int(p) for p in prefixes if len(p) == 4}]
    codes = np.array(sorted(set(minerals)) + others, dtype=np.int32)
    is_mineral = np.array([True] * len(set(minerals)) + [False] * len(others))
    return codes, is_mineral


def _zipf(n: int, exponent: float, rng: np.random.Generator, first_fixed: bool = False) -> np.ndarray:
    ranks = np.arange(1, n + 1, dtype=np.float64)
    weights = ranks ** -exponent
    if not first_fixed:
        weights = rng.permutation(weights)
    return weights / weights.sum()


def year_table(year: int, rows: int, seed: int) -> pa.Table:
    """One year's rows; depends only on (year, rows, seed), so years can be generated and added independently."""
    shape_rng = np.random.default_rng(seed)  # same partner/code weights in every year of a data set
    exporters = np.array(countries(), dtype=np.int32)
    codes, _ = hs6_codes()
    w_exp = _zipf(len(exporters), 1.1, shape_rng, first_fixed=True)  # China (first) is the heaviest exporter
    w_imp = _zipf(len(exporters), 1.0, shape_rng)
    w_code = _zipf(len(codes), 0.9, shape_rng)
    rng = np.random.default_rng([seed, year])
    n_c, n_k = len(exporters), len(codes)
    space = n_c * n_c * n_k
    if rows > space * 0.9:
        raise ValueError(f"{rows} rows do not fit one year's key space ({space} keys)")
    # key index -> (exporter, importer, code); weights multiply. Self-trade (i == j) gets weight 0.
    weight = (w_exp[:, None, None] * w_imp[None, :, None] * w_code[None, None, :]).ravel()
    exp_idx, imp_idx, code_idx = np.unravel_index(np.arange(space), (n_c, n_c, n_k))
    weight[exp_idx == imp_idx] = 0.0
    # Efraimidis-Spirakis weighted sampling without replacement: the `rows` largest log(U) / w.
    with np.errstate(divide="ignore"):
        score = np.log(rng.random(space)) / weight
    chosen = np.sort(np.argpartition(score, space - rows)[space - rows:])
    del score, weight
    e, m, c = exp_idx[chosen], imp_idx[chosen], code_idx[chosen]
    base = w_exp[e] * w_imp[m] * w_code[c] * 5e9
    value = np.round(base * rng.lognormal(0.0, 1.5, rows), 3)
    value[rng.random(rows) < ZERO_VALUE_SHARE] = 0.0
    quantity = np.round(value * rng.lognormal(-1.0, 1.0, rows), 3)
    quantity_missing = rng.random(rows) < MISSING_QUANTITY_SHARE
    return pa.table({
        "t": np.full(rows, year, dtype=np.int32),
        "i": exporters[e],
        "j": exporters[m],
        "k": codes[c],
        "v": value,
        "q": pa.array(quantity, mask=quantity_missing),
    }, schema=SCHEMA)


def dataset_dir(out: Path, rows: int, seed: int) -> Path:
    return out / f"synthetic_baci_{rows}rows_seed{seed}"


def write_year(directory: Path, year: int, rows: int, seed: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    table = year_table(year, rows, seed)
    table = table.replace_schema_metadata({
        "synthetic": "true",
        "generator": "chokepoint bench/generate.py",
        "seed": str(seed),
        "note": "SYNTHETIC data in the shape of CEPII BACI; not real trade",
    })
    path = directory / f"synthetic_baci_Y{year}.parquet"
    temporary = path.with_suffix(".parquet.tmp")
    pq.write_table(table, temporary, row_group_size=1_000_000)
    temporary.replace(path)
    return path


def generate(out: Path, rows: int, seed: int = 42, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> Path:
    """Write ``rows`` rows spread evenly over the years (remainder in the last year); skip if already complete."""
    directory = dataset_dir(out, rows, seed)
    years = list(range(first_year, last_year + 1))
    per_year = [rows // len(years)] * len(years)
    per_year[-1] += rows - sum(per_year)
    done = directory / "_COMPLETE"
    if done.exists() and done.read_text() == f"{rows} {seed} {first_year} {last_year}":
        return directory
    for year, count in zip(years, per_year):
        write_year(directory, year, count, seed)
    done.write_text(f"{rows} {seed} {first_year} {last_year}")
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench/data"))
    args = parser.parse_args()
    print(generate(args.out, args.rows, args.seed))


if __name__ == "__main__":
    main()
