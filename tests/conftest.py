
import pytest


@pytest.fixture(scope="session")
def raw_frames():
    """Every raw DataFrame built from the real embedded snapshot (parsed once per session)."""
    from orchestration.extract.raw_loaders import RAW_TABLES

    return {table: spec.load() for table, spec in RAW_TABLES.items()}


def pytest_collection_modifyitems(config, items):
    """Spark tests (marker `spark`, ~10+ min on 2 busy cores) run in the full suite (`make test`: plain pytest) or
    when a -m expression names them; a marker-filtered quick loop (`make test-fast`: -m "not e2e") leaves them out."""
    expression = config.getoption("markexpr") or ""
    if not expression or "spark" in expression:
        return
    kept = [item for item in items if item.get_closest_marker("spark") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("spark")])
        items[:] = kept
