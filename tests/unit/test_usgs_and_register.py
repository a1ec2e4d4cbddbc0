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


def _tables():
    return read_register(REGISTER.read_bytes(), REGISTER.name)


def test_register_flattens_measures_parts_codes_and_links():
    tables = _tables()
    measures, parts, codes, links = (tables[name] for name in
                                     ("export_measures", "export_measure_parts", "export_measure_codes", "export_measure_links"))
    assert measures.measure_id.is_unique and not parts.duplicated(["measure_id", "part_id"]).any()
    # No. 72/2025 suspends Article 2 of No. 46/2024 only
    suspended = links[(links.measure_id == "CN-2025-72") & (links.link_type == "suspends")]
    assert list(zip(suspended.link_value, suspended.link_detail)) == [("CN-2024-46", "art2")]
    no46 = parts[parts.measure_id == "CN-2024-46"].set_index("part_id").legal_type.to_dict()
    assert no46 == {"art1": "export_ban", "art2": "export_ban", "art3": "extraterritorial_rule"}
    # No. 33/2024 announced 2024-08-15 with its printed codes; No. 39/2023 codes in both items
    assert measures.set_index("measure_id").date_announced["CN-2024-33"] == "2024-08-15"
    assert "8110200000" in set(codes[codes.measure_id == "CN-2024-33"].code_printed)
    assert set(codes[codes.measure_id == "CN-2023-39"].part_id) == {"item1", "item2"}
    # the printed gallium typo is kept beside its correction
    typo = codes[(codes.measure_id == "CN-2023-23") & (codes.code_printed == "8110929010")].iloc[0]
    assert (typo.code_corrected, typo.hs6, typo.coverage_level) == ("8112929010", "811292", "partial")
    # Oct-2025 announcements print 8-digit tariff lines
    assert set(codes[codes.measure_id.isin(["CN-2025-55", "CN-2025-57", "CN-2025-58"])].code_digits) == {8}
    # the US stay names its last day; the Chinese "至" dates are read inclusive
    stay = parts.set_index("measure_id").loc["US-2025-BIS-50857"]
    assert (stay.until_as_printed, stay.in_force_until, stay.until_reading) == ("2026-11-09", "2026-11-10", "stated_last_day")
    no70 = parts.set_index("measure_id").loc["CN-2025-70"]
    assert (no70.until_as_printed, no70.in_force_until, no70.until_reading) == ("2026-11-10", "2026-11-11", "stated_until_ambiguous")
    sources = links[links.link_type == "source_url"]
    assert sources.link_value.str.match(r"^https?://").all() and sources.link_detail.notna().all()


def _edited_register(edit):
    document = yaml.safe_load(REGISTER.read_bytes())
    edit(document["measures"])
    return yaml.safe_dump(document, allow_unicode=True).encode()


def _refused(edit, match: str):
    """The register with `edit` applied to its measures is refused, with a message matching `match`."""
    with pytest.raises(SourceFormatError, match=match):
        read_register(_edited_register(edit), "export_measures.yaml")


def _measure(measures, measure_id):
    return next(m for m in measures if m["measure_id"] == measure_id)


def test_register_duplicate_id_is_refused():
    payload = _edited_register(lambda measures: measures.append(dict(measures[0])))
    with pytest.raises(SourceFormatError, match=r"field 'measure_id'.*CN-WTO-DS431: 'CN-WTO-DS431' appears twice"):
        read_register(payload, "export_measures.yaml")


def test_register_bad_date_names_measure_part_and_field():
    def break_date(measures):
        _measure(measures, "CN-2023-23")["parts"][0]["in_force_from"] = "1 Aug 2023"
    _refused(break_date, r"field 'in_force_from'.*CN-2023-23 part 'all': date '1 Aug 2023'")


def test_register_unknown_legal_type_is_refused():
    def embargo(measures):
        _measure(measures, "CN-2025-18")["legal_type"] = "embargo"
    _refused(embargo, r"field 'legal_type'.*CN-2025-18: 'embargo' is not one of")


def test_register_suspension_pointing_nowhere_is_refused():
    def dangling(measures):
        _measure(measures, "CN-2025-72")["parts"][0]["suspends"] = [{"measure_id": "CN-2024-46", "part_id": "art9"}]
    _refused(dangling, r"CN-2025-72 part 'all': points at CN-2024-46 part 'art9'")


def test_register_part_without_source_is_refused():
    def unsourced(measures):
        del _measure(measures, "CN-2024-46")["parts"][1]["sources"]
    _refused(unsourced, r"field 'sources'.*CN-2024-46 part 'art2': needs at least one source")


def test_register_internal_label_as_source_is_refused():
    def label(measures):
        _measure(measures, "CN-2025-18")["parts"][0]["sources"][0]["url"] = "pages corpus"
    _refused(label, r"'pages corpus' is neither a URL nor a repository path")


def test_register_exclusive_end_must_follow_the_reading():
    def inclusive_end(measures):
        _measure(measures, "US-2025-BIS-50857")["parts"][0]["in_force_until"] = "2026-11-09"
    _refused(inclusive_end, r"in_force_until.*must be 2026-11-10")


def test_register_codes_on_a_technology_restriction_are_refused():
    def coded(measures):
        _measure(measures, "CN-2025-62")["parts"][0]["customs_codes"] = [{"printed": "2846901940", "coverage": "partial"}]
    _refused(coded, r"technology_restriction part restricts no goods")


def test_register_element_level_code_cannot_be_full():
    def full(measures):
        _measure(measures, "CN-2025-18")["parts"][0]["customs_codes"][0]["coverage"] = "full"
    _refused(full, r"element-level items and whole headings cover part of an HS6")


def test_register_unknown_destination_is_refused():
    def elsewhere(measures):
        _measure(measures, "CN-2024-46")["parts"][1]["destinations"] = ["US_government"]
    _refused(elsewhere, r"destinations\[0\].*CN-2024-46 part 'art2': 'US_government' is not one of")


def test_register_unquoted_comma_in_a_code_is_refused():
    # YAML reads {goods: antimony articles, other} as goods 'antimony articles' plus a key 'other': the
    # goods were silently cut before the reader refused unknown keys.
    payload = REGISTER.read_bytes().replace(b"goods: 'antimony articles, other'}", b"goods: antimony articles, other}")
    with pytest.raises(SourceFormatError, match=r"CN-2024-33 part 'antimony'.*unknown keys \['other'\]"):
        read_register(payload, "export_measures.yaml")


def test_register_legal_effect_by_commodity():
    links = _tables()["export_measure_links"]
    effects = links[links.link_type == "commodity_legal_type"]
    # No. 46 Art. 2: denial in principle for Ga, Ge, Sb and superhard items; graphite gets stricter review
    assert list(zip(effects.measure_id, effects.part_id, effects.link_value, effects.link_detail)) == [
        ("CN-2024-46", "art2", "graphite", "licence_requirement")]
    codes = _tables()["export_measure_codes"]
    art2 = codes[(codes.measure_id == "CN-2024-46") & (codes.part_id == "art2")]
    assert art2.commodity.notna().all() and set(art2[art2.heading == "2504"].commodity) == {"graphite"}

    def unmatched(measures):
        _measure(measures, "CN-2024-46")["parts"][1]["commodity_legal_types"][0]["commodity"] = "tungsten"
    _refused(unmatched, r"no customs code of the part names commodity 'tungsten'")


def test_register_every_goods_part_states_what_is_not_coded():
    # A goods part with no customs code at all must say what it names (uncoded_scope), so the exposure marts
    # show a not-bounded row rather than nothing.
    tables = _tables()
    parts, codes, links = (tables[n] for n in ("export_measure_parts", "export_measure_codes", "export_measure_links"))
    goods = parts[parts.legal_type.isin(["licence_requirement", "export_ban"])]
    coded = set(zip(codes.measure_id, codes.part_id))
    uncoded = links[links.link_type == "uncoded_scope"]
    named = set(zip(uncoded.measure_id, uncoded.part_id))
    assert [(m, p) for m, p in zip(goods.measure_id, goods.part_id) if (m, p) not in coded | named] == []
    assert ("CN-2025-18", "all") in named and ("CN-2025-10", "all") in named
