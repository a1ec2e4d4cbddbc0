"""Versions the refresh compares: code versions of Python assets (their import closure) and of dbt models (dbt's
manifest), and the data versions of raw assets (the fingerprints of the inputs they declare, bulk folder included)."""
