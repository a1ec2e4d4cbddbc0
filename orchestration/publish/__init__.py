"""Publishing: the read-only serving copy BI tools open, its Parquet exports and its data-quality site."""
