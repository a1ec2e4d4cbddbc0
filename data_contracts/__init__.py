"""Pandera contracts, one module per stage: ``raw`` (pandas, checked before a write), ``staging`` and ``marts``
(ibis, checked inside DuckDB so a large table is never pulled into memory)."""

from pandera.api.base.model_components import BaseCheckInfo

_to_check = BaseCheckInfo.to_check


def _to_check_keeping_its_name(self, model_cls):
    # pandera 0.35's to_check pops "name" from the declaration it is given, so a check declared once and built into
    # two schemas (a contract and its subclass, e.g. ComtradeRecords and ComtradeLiveRecords) was reported by its
    # function name in whichever was built second: failure metadata and quarantine reasons named 'unique_record'
    # instead of the rule. Build from a copy of the declaration instead.
    kwargs = self.check_kwargs
    self.check_kwargs = dict(kwargs)
    try:
        return _to_check(self, model_cls)
    finally:
        self.check_kwargs = kwargs


BaseCheckInfo.to_check = _to_check_keeping_its_name
