"""USGS MCS readers (encoding, tokens kept as text) and the measures register reader."""

import pytest
import yaml

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.measures_register import read_register
from orchestration.extract.usgs_mcs import read_mcs2026_release
from orchestration.settings import PROJECT_ROOT

MCS2026 = PROJECT_ROOT / "data/snapshot/usgs/usgs_mcs2026_commodities_data.csv"
REGISTER = PROJECT_ROOT / "data/register/export_measures.yaml"


def test_mcs2026_decodes_cp1252_and_keeps_tokens():
    frame = read_mcs2026_release(MCS2026.read_bytes(), MCS2026.name)
    assert len(frame) == 8886
    nir = frame[(frame.commodity == "Rare Earths") & (frame.statistics == "Net import reliance")]
    compounds = nir[nir.statistics_detail.str.endswith("Compounds and metals")].set_index("year").value
    assert compounds.to_dict() == {"2021": ">95", "2022": ">95", "2023": ">90", "2024": "53", "2025": "67"}
    assert "2021–24" in set(frame.year)  # en dash survives decoding


def test_mcs2026_with_wrong_header_names_the_missing_field():
    payload = MCS2026.read_bytes().replace(b"Statistics_detail", b"Detail", 1)
    with pytest.raises(SourceFormatError, match=r"row 1, field 'Statistics_detail'"):
        read_mcs2026_release(payload, MCS2026.name)


def test_register_flattens_measures_and_links():
    measures, links = read_register(REGISTER.read_bytes(), REGISTER.name)
    assert len(measures) == 20 and measures.measure_id.is_unique
    suspended = set(links[(links.measure_id == "CN-2025-70") & (links.link_type == "suspends")].link_value)
    assert suspended == {"CN-2025-55", "CN-2025-56", "CN-2025-57", "CN-2025-58", "CN-2025-61", "CN-2025-62"}
    elements = links[(links.measure_id == "CN-2025-18") & (links.link_type == "element")]
    assert elements.link_value.tolist() == ["Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"]
    assert set(elements.commodity) == {"rare_earths"}


def _edited_register(edit):
    document = yaml.safe_load(REGISTER.read_bytes())
    edit(document["measures"])
    return yaml.safe_dump(document).encode()


def test_register_duplicate_id_is_refused():
    payload = _edited_register(lambda measures: measures.append(dict(measures[0])))
    with pytest.raises(SourceFormatError, match=r"row 21, field 'measure_id'.*CN-WTO-DS431' appears twice"):
        read_register(payload, "export_measures.yaml")


def test_register_bad_date_names_measure_and_field():
    def break_date(measures):
        measures[3]["dates"]["effective"] = "1 Aug 2023"
    with pytest.raises(SourceFormatError, match=r"row 4, field 'dates.effective'.*CN-2023-23: date '1 Aug 2023'"):
        read_register(_edited_register(break_date), "export_measures.yaml")
