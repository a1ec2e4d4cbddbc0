"""Where Dagster keeps run history for this project (the warehouse files live in orchestration/warehouse.py)."""
