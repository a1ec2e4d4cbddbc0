"""Regenerate dbt_project/seeds/comtrade_partner_areas.csv (run by hand, after tools/build_baci_country_codes.py).

UN Comtrade declares trade with partner codes that are not countries and that BACI's country table does not carry:
837 'Bunkers', 839 'Special Categories', regional 'nes' areas (527, 568, 577, 636 ...). Their only sourced name is
Comtrade's own partner-area reference, partnerAreas.json (data/snapshot/comtrade_two_sided/, see MANIFEST.csv). That
list carries names only, no ISO codes, so none is written here: a code of this seed has no ISO3 in the project.

The seed holds exactly the codes of that list that baci_country_codes does not hold (World and every code BACI names
keep their BACI row). The live Comtrade contract (data_contracts/sources/comtrade.py) admits the union of the two seeds; staging
gives these codes partner_kind 'comtrade_area' (macro comtrade_partner_kind). A few of them are historical or
sub-national codes (381 'Italy', 841 'USA (before 1981)', 459 'Peninsula Malaysia' ...); they get no ISO3 either,
because the list does not give one."""

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREAS = ROOT / "data" / "snapshot" / "comtrade_two_sided" / "partnerAreas.json"
BACI_CODES = ROOT / "dbt_project" / "seeds" / "baci_country_codes.csv"
OUT = ROOT / "dbt_project" / "seeds" / "comtrade_partner_areas.csv"
SOURCE = "UN Comtrade partnerAreas.json (data/snapshot/comtrade_two_sided/partnerAreas.json)"


def main() -> None:
    with BACI_CODES.open(newline="", encoding="utf-8") as handle:
        baci = {int(row["country_code"]) for row in csv.DictReader(handle)}
    entries = json.loads(AREAS.read_text(encoding="utf-8"))["results"]
    rows = sorted((int(entry["id"]), entry["text"].strip()) for entry in entries if int(entry["id"]) not in baci)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["partner_code", "partner_name", "source"])
        writer.writerows([code, name, SOURCE] for code, name in rows)
    print(f"{OUT}: {len(rows)} codes")


if __name__ == "__main__":
    main()
