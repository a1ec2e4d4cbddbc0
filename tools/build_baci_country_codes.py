"""Regenerate dbt_project/seeds/baci_country_codes.csv (run by hand; pycountry is needed only here).

CEPII ships ``country_codes_V202601.csv`` in the BACI zip, but the snapshot holds two row filters of BACI, not the
zip. The table is therefore built from what the extracts carry, in this order of authority:

1. every (code, ISO3, name) triple the HS07 extract carries (names and ISO3 from BACI's country_codes file);
2. ISO3 codes only the HS17 extract carries (it has ISO3, no numeric code): numeric code from ISO 3166-1
   (Debian iso-codes via pycountry), since BACI uses ISO numeric codes except the quirks its README documents;
3. every other ISO 3166-1 country, not seen in an extract (``seen_in_baci_extract = false``), so a future file
   with those codes maps instead of being dropped;
4. the ISO 3166-1 codes BACI replaces (250 France, 578 Norway, 356 India, 756 Switzerland, 840 USA) as aliases,
   and Comtrade's non-country partner codes from country_reference (World, Areas nes, Free Zones ...);
5. every other code of BACI's own country table, ``country_codes_V202601.csv`` (in data/snapshot/comtrade_two_sided/,
   as the Comtrade pull carries it): historical codes (Czechoslovakia, USSR ...) and BACI's areas (Europe EFTA, nes),
   which Comtrade reports too; so the live Comtrade contract, which admits exactly this table's codes, refuses no
   code that BACI names. Added last so the rows the earlier steps write (and the marts read) do not change.

Names carried as UTF-8 read as Latin-1 by the extract's author ("CÃ´te") are repaired."""

import csv
from pathlib import Path

import duckdb
import pycountry

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "data" / "snapshot" / "baci"
HS07 = SNAPSHOT / "baci_hs07_v202601_china_imports_semiconductor_2008_2024.csv"
HS17 = SNAPSHOT / "baci_hs17_v202601_critical_materials_2024.parquet"
OUT = ROOT / "dbt_project" / "seeds" / "baci_country_codes.csv"
REFERENCE = ROOT / "dbt_project" / "seeds" / "country_reference.csv"
BACI_TABLE = ROOT / "data" / "snapshot" / "comtrade_two_sided" / "country_codes_V202601.csv"

# BACI README (CEPII) and /work/shared/data/baci/README.md: BACI code -> the ISO 3166-1 code it replaces
QUIRKS = {251: 250, 579: 578, 699: 356, 757: 756, 842: 840}


def repair(name: str) -> str:
    try:
        return name.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def main() -> None:
    con = duckdb.connect()
    rows: dict[int, dict] = {}
    hs07 = con.execute(f"""
        select distinct exporter_code, exporter_iso3, exporter_name from read_csv('{HS07}')
        union select distinct importer_code, importer_iso3, importer_name from read_csv('{HS07}')
        order by 1""").fetchall()
    for code, iso3, name in hs07:
        historical = "(..." in name
        rows[code] = dict(country_code=code, iso3=iso3, country_name=repair(name), is_country="true",
                          current_code_for_iso3="false" if historical else "true", seen_in_baci_extract="true",
                          note="Taiwan: BACI's 'Other Asia, nes' (ISO3 written S19)" if code == 490 else
                          ("historical code, kept for earlier years" if historical else ""),
                          source="BACI V202601 country_codes, as carried by the HS07 China-imports extract")
    known_iso3 = {r["iso3"] for r in rows.values()}
    hs17 = con.execute(f"""
        select distinct exporter, exporter_name from '{HS17}' union select distinct importer, importer_name from '{HS17}'
        order by 1""").fetchall()
    for iso3, name in hs17:
        if iso3 in known_iso3:
            continue
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise SystemExit(f"{iso3} ({name}) in the HS17 extract has no ISO 3166-1 entry: add it by hand with a source")
        code = int(country.numeric)
        rows[code] = dict(country_code=code, iso3=iso3, country_name=repair(name), is_country="true",
                          current_code_for_iso3="true", seen_in_baci_extract="true", note="",
                          source="ISO3 and name as carried by the HS17 critical-materials extract; numeric code "
                                 "ISO 3166-1 (iso-codes via pycountry), which BACI uses outside its documented quirks")
        known_iso3.add(iso3)
    replaced = set(QUIRKS.values())
    for country in pycountry.countries:
        code = int(country.numeric)
        if country.alpha_3 in known_iso3 or code in rows or code in replaced or country.alpha_3 == "TWN":
            continue
        rows[code] = dict(country_code=code, iso3=country.alpha_3, country_name=country.name, is_country="true",
                          current_code_for_iso3="true", seen_in_baci_extract="false",
                          note="not seen in the snapshot's BACI extracts",
                          source="ISO 3166-1 (iso-codes via pycountry), which BACI uses outside its documented quirks")
    for baci_code, iso_code in QUIRKS.items():
        iso3 = rows[baci_code]["iso3"]
        rows[iso_code] = dict(country_code=iso_code, iso3=iso3, country_name=rows[baci_code]["country_name"],
                              is_country="true", current_code_for_iso3="false", seen_in_baci_extract="false",
                              note=f"ISO 3166-1 code; BACI writes {baci_code}", source="ISO 3166-1; BACI README (CEPII)")
    rows[158] = dict(country_code=158, iso3="S19", country_name="Other Asia, nes", is_country="true",
                     current_code_for_iso3="false", seen_in_baci_extract="false",
                     note="ISO 3166-1 code of Taiwan; BACI writes 490 (S19)", source="ISO 3166-1; BACI README (CEPII)")
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        for ref in csv.DictReader(handle):
            code = int(ref["m49_code"])
            if code in rows or ref["is_country"] == "true":
                continue
            rows[code] = dict(country_code=code, iso3=ref["iso3"], country_name=ref["country_name"], is_country="false",
                              current_code_for_iso3="false", seen_in_baci_extract="false",
                              note=ref["note"] or "aggregate or unallocated partner, never a supplier",
                              source="country_reference seed (UN Comtrade v1 partner reference)")
    with BACI_TABLE.open(newline="", encoding="utf-8") as handle:
        for baci in csv.DictReader(handle):
            code = int(baci["country_code"])
            if code in rows:
                continue
            historical, area = "(..." in baci["country_name"], baci["country_name"].endswith("nes")
            rows[code] = dict(country_code=code, iso3=baci["country_iso3"], country_name=baci["country_name"],
                              is_country="false" if area else "true",
                              current_code_for_iso3="false" if historical or area else "true",
                              seen_in_baci_extract="false",
                              note="historical code, kept for earlier years" if historical else
                              ("aggregate or unallocated partner, never a supplier" if area else
                               "not seen in the snapshot's BACI extracts"),
                              source="BACI V202601 country_codes (country_codes_V202601.csv)")
    for row in rows.values():
        # ISO2 once per ISO3 (on its current code), from ISO 3166-1; Taiwan's TW for BACI's S19
        match = pycountry.countries.get(alpha_3="TWN" if row["iso3"] == "S19" else row["iso3"])
        row["iso2"] = match.alpha_2 if match and row["current_code_for_iso3"] == "true" and row["is_country"] == "true" else ""
    fields = ["country_code", "iso3", "iso2", "country_name", "is_country", "current_code_for_iso3", "seen_in_baci_extract",
              "note", "source"]
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for code in sorted(rows):
            writer.writerow(rows[code])
    print(f"{OUT}: {len(rows)} codes")


if __name__ == "__main__":
    main()
