
import pytest


@pytest.fixture(scope="session")
def raw_frames():
    """Every raw DataFrame built from the real embedded snapshot (parsed once per session)."""
    from orchestration.extract import raw_loaders

    register = raw_loaders.load_export_measures()
    return {
        "usitc_dataweb": raw_loaders.load_usitc_dataweb(),
        "comtrade_records": raw_loaders.load_comtrade_records(),
        "usgs_mcs2026": raw_loaders.load_usgs_mcs2026(),
        "usgs_mcs2025_rare_earths": raw_loaders.load_usgs_mcs2025_rare_earths(),
        "usgs_mcs2025_import_sources": raw_loaders.load_usgs_mcs2025_import_sources(),
        "wgi_snapshot": raw_loaders.load_wgi_snapshot(),
        **register,
    }


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
