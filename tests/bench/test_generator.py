"""bench/generate.py: deterministic by seed, labelled synthetic, skewed, with zeros and missing quantities."""

import duckdb
import pyarrow.parquet as pq
import pytest

from bench import generate


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return generate.generate(tmp_path_factory.mktemp("bulk"), rows=30_000, seed=7, first_year=2020, last_year=2022)


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    first = generate.year_table(2021, 5_000, seed=3)
    assert first.equals(generate.year_table(2021, 5_000, seed=3))
    assert not first.equals(generate.year_table(2021, 5_000, seed=4))


def test_files_are_labelled_synthetic(dataset):
    files = sorted(dataset.glob("*.parquet"))
    assert [f.name for f in files] == [f"synthetic_baci_Y{y}.parquet" for y in (2020, 2021, 2022)]
    assert "synthetic" in dataset.name
    assert all(pq.read_schema(f).metadata[b"synthetic"] == b"true" for f in files)


def test_rows_keys_skew_zeros_and_missing_quantities(dataset):
    glob = f"{dataset}/*.parquet"
    rows, keys, zeros, missing = duckdb.execute(
        f"select count(*), count(distinct (t, i, j, k)), avg((v = 0)::int), avg((q is null)::int) from '{glob}'").fetchone()
    assert rows == keys == 30_000
    assert 0.01 < zeros < 0.06 and 0.02 < missing < 0.08
    assert duckdb.execute(f"select count(*) from '{glob}' where i = j").fetchone()[0] == 0
    # a few partners dominate: China (156) is the largest exporter, the top 3 exporters carry over half the value
    top = duckdb.execute(f"select i, sum(v) / (select sum(v) from '{glob}') from '{glob}' group by i order by 2 desc limit 3").fetchall()
    assert top[0][0] == 156 and sum(share for _, share in top) > 0.5
    top_codes = duckdb.execute(f"select sum(s) from (select sum(v) / (select sum(v) from '{glob}') as s from '{glob}' group by k order by 1 desc limit 20)").fetchone()[0]
    assert top_codes > 0.2  # 20 of ~1,800 codes carry over a fifth of the value
