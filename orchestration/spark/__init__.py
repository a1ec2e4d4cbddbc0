"""dbt on Apache Spark: engine.py exports the raw layer and starts build.py in the .venv-spark side env.

Nothing here imports Dagster: build.py runs in the side env, which has no Dagster, and importing it runs this file."""
