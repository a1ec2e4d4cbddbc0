"""ibis expressions the contracts share, written so every engine's SQL reads them the same way."""

from __future__ import annotations


def same_truth(left, right):
    """left if and only if right (NULL where either is NULL, as `left == right` is).

    Not `left == right` when one side is an IN list: ibis 12 prints that for Spark as `a IN (...) = b` or
    `a = b IN (...)` without brackets, which Spark rejects or reads as `(a = b) IN (...)`; AND/OR bind looser than
    IN and comparisons on every engine."""
    return (left & right) | (~left & ~right)
