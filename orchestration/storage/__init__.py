"""Where things are stored: the DuckDB warehouse and its raw-layer writers (warehouse.py), the landing store of live
responses (landing_store.py), and Dagster's run history (dagster_sqlite.py, selected in .dagster_home/dagster.yaml)."""
