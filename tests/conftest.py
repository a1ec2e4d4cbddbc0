
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
        **register,
    }
