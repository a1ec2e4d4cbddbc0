"""Contracts of the sources, one module per source: what its raw tables promise (pandas, checked before a row is
written to the ``raw`` schema) and what its staging models promise (ibis, checked inside the warehouse before
anything downstream is rebuilt), side by side, as the marts' contracts are grouped by domain (data_contracts/marts/).

Raw contracts pin what each publisher promises (field presence, types, code shapes, value domains) and nothing the
source may legitimately change, such as the set of partners or years. Staging contracts hold the normalised codes
(ISO3 countries, zero-padded HS codes), typed years and non-negative values staging promises; each names only the
columns it has a rule for, and every column's type comes from its model's dbt YAML (data_contracts/dbt_columns.py).

Each module declares ``RAW`` (snapshot tables, raw table -> contract), ``LIVE`` (tables the live extractors write) and
``STAGING`` (staging model -> contract), each only if it has some.
The merged registries are in data_contracts/sources/registry.py."""
