"""Scale benchmark: synthetic bulk trade data, the pipeline vs a raw-DuckDB lower bound vs a pandas baseline."""
