"""Schema of the measures register (data/register/export_measures.yaml) and its typed loader.

The register is hand-edited, so it is checked as a document before it is flattened: every error names the
file, the measure (and part) and the field, so the editor can find the line. Its closed lists (legal types, until
readings, coverage levels...) are the shared vocabularies of data_contracts/vocabularies.py; data_contracts/sources/measures_register.py
re-checks the flattened tables against the same lists.

Date convention (one for the whole register): ``in_force_from`` is the first day a part applies (inclusive),
``in_force_until`` the first day it no longer applies (exclusive); ``until_reading`` says how that end was
read from the text and ``until_as_printed`` keeps the date the text prints."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from data_contracts.vocabularies import (
    CODE_BASES,
    COVERAGE_LEVELS,
    GOODS_LEGAL_TYPES,
    LEGAL_TYPES,
    UNTIL_READINGS,
    VERIFICATION,
)
from orchestration.extract.errors import SourceFormatError

# Destinations and what each means for trade (whole country, outside a group, end users only) have one home,
# the dbt seed register_destinations, which the exposure marts join; the register may name only those.
_DESTINATIONS_SEED = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "register_destinations.csv"
with _DESTINATIONS_SEED.open(newline="", encoding="utf-8") as _seed:
    DESTINATIONS = [row["destination"] for row in csv.DictReader(_seed)]
COMMODITY = re.compile(r"^[a-z][a-z0-9_]*$")
MEASURE_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9-]+$")
PART_ID = re.compile(r"^[a-z0-9_.]+$")
CODE = re.compile(r"^\d{4,10}$")
# A source is a public URL or a repository path (owner/name@commit path), never an internal label.
SOURCE_PLACE = re.compile(r"^(https?://\S+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{7,40} \S+)$")

MEASURE_COLUMNS = ["measure_id", "jurisdiction", "issuer", "instrument_number", "title", "legal_type",
                   "date_announced", "notes", "register_version"]
PART_COLUMNS = ["measure_id", "part_id", "part_label", "legal_type", "scope", "in_force_from", "in_force_until",
                "until_reading", "until_as_printed", "verification", "notes"]
CODE_COLUMNS = ["measure_id", "part_id", "code_printed", "code_corrected", "code_digits", "hs6", "heading",
                "code_basis", "coverage_level", "elements", "goods", "note", "ordinal", "commodity"]
CODE_KEYS = {"printed", "corrected", "basis", "heading", "coverage", "elements", "goods", "note", "commodity"}
LINK_COLUMNS = ["measure_id", "part_id", "link_type", "link_value", "link_detail", "verification", "ordinal"]


@dataclass
class Register:
    measures: list[dict]
    parts: list[dict]
    codes: list[dict]
    links: list[dict]


class _Where:
    def __init__(self, file_name: str, row: int, measure_id: str | None = None, part_id: str | None = None):
        self.file_name, self.row, self.measure_id, self.part_id = file_name, row, measure_id, part_id

    def fail(self, field: str, problem: str):
        who = self.measure_id or f"measure #{self.row}"
        if self.part_id:
            who += f" part {self.part_id!r}"
        raise SourceFormatError(self.file_name, f"{who}: {problem}", row=self.row, field=field)


def _date(where: _Where, field: str, value, required: bool = False) -> str | None:
    if value is None:
        if required:
            where.fail(field, "is required")
        return None
    text = str(value)
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        where.fail(field, f"date {text!r} is not YYYY-MM-DD")
    return text


def _choice(where: _Where, field: str, value, allowed) -> str:
    if value not in allowed:
        where.fail(field, f"{value!r} is not one of {sorted(allowed)}")
    return value


def _sources(where: _Where, field: str, sources) -> list[tuple]:
    if not isinstance(sources, list) or not sources:
        where.fail(field, "needs at least one source (url and what it confirms)")
    rows = []
    for n, source in enumerate(sources):
        if not isinstance(source, dict) or not source.get("url") or not source.get("confirms"):
            where.fail(f"{field}[{n}]", "each source needs 'url' and 'confirms'")
        if not SOURCE_PLACE.match(str(source["url"])):
            where.fail(f"{field}[{n}].url", f"{source['url']!r} is neither a URL nor a repository path (owner/name@commit path)")
        rows.append((str(source["url"]), str(source["confirms"]),
                     _choice(where, f"{field}[{n}].verification", source.get("verification", "verified"), VERIFICATION)))
    return rows


def read_register_document(payload: bytes, file_name: str) -> Register:
    try:
        document = yaml.safe_load(payload)
    except yaml.YAMLError as exc:
        raise SourceFormatError(file_name, f"not valid YAML ({exc})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("measures"), list):
        raise SourceFormatError(file_name, "top level must hold a 'measures' list", field="measures")
    version = document.get("register_version")
    if not isinstance(version, int):
        raise SourceFormatError(file_name, "register_version must be an integer", field="register_version")

    register = Register([], [], [], [])
    part_types: dict[tuple[str, str], str] = {}
    suspensions: list[tuple[_Where, int, str, str]] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["measures"]):
        row = index + 1
        where = _Where(file_name, row)
        if not isinstance(entry, dict):
            where.fail("measure_id", "each measure must be a mapping")
        measure_id = entry.get("measure_id")
        if not measure_id or not MEASURE_ID.match(str(measure_id)):
            where.fail("measure_id", f"{measure_id!r} is not an id like CN-2025-57")
        where.measure_id = measure_id
        if measure_id in seen:
            where.fail("measure_id", f"{measure_id!r} appears twice")
        seen.add(measure_id)
        for field in ("jurisdiction", "issuer", "instrument_number", "title"):
            if not entry.get(field):
                where.fail(field, "is required")
        if not re.fullmatch(r"[A-Z]{2}|WTO", str(entry["jurisdiction"])):
            where.fail("jurisdiction", f"{entry['jurisdiction']!r} is not an ISO2 code (or WTO)")
        legal_type = _choice(where, "legal_type", entry.get("legal_type"), LEGAL_TYPES)
        register.measures.append(dict(
            measure_id=measure_id, jurisdiction=entry["jurisdiction"], issuer=entry["issuer"],
            instrument_number=entry["instrument_number"], title=entry["title"], legal_type=legal_type,
            date_announced=_date(where, "announced", entry.get("announced")), notes=entry.get("notes"),
            register_version=version))
        for n, commodity in enumerate(entry.get("commodities") or []):
            if not COMMODITY.match(str(commodity)):
                where.fail(f"commodities[{n}]", f"{commodity!r} is not a lower-case commodity name")
            register.links.append(dict(measure_id=measure_id, part_id=None, link_type="commodity",
                                       link_value=commodity, link_detail=None, verification=None, ordinal=n))
        for n, related in enumerate(entry.get("related_measures") or []):
            register.links.append(dict(measure_id=measure_id, part_id=None, link_type="related_measure",
                                       link_value=related, link_detail=None, verification=None, ordinal=n))
        parts = entry.get("parts")
        if not isinstance(parts, list) or not parts:
            where.fail("parts", "needs at least one part (article or item)")
        for part_index, part in enumerate(parts):
            _part(register, part_types, suspensions, where, measure_id, legal_type, part_index, part)

    for where, n, target_measure, target_part in suspensions:
        if (target_measure, target_part) not in part_types:
            where.fail(f"suspends[{n}]", f"points at {target_measure} part {target_part!r}, which the register does not hold")
        if part_types[(target_measure, target_part)] == "suspension":
            where.fail(f"suspends[{n}]", f"points at {target_measure} part {target_part!r}, itself a suspension")
    known = {m["measure_id"] for m in register.measures}
    for link in register.links:
        if link["link_type"] == "related_measure" and link["link_value"] not in known:
            raise SourceFormatError(file_name, f"{link['measure_id']}: related measure {link['link_value']!r} is not in the register",
                                    field="related_measures")
    return register


def _part(register: Register, part_types: dict, suspensions: list, measure_where: _Where, measure_id: str,
          measure_type: str, part_index: int, part) -> None:
    where = _Where(measure_where.file_name, measure_where.row, measure_id, None)
    if not isinstance(part, dict) or not part.get("part_id") or not PART_ID.match(str(part["part_id"])):
        where.fail(f"parts[{part_index}].part_id", "each part needs a part_id like art2 or item1_3")
    part_id = str(part["part_id"])
    where.part_id = part_id
    if (measure_id, part_id) in part_types:
        where.fail("part_id", "appears twice in the measure")
    legal_type = _choice(where, "legal_type", part.get("legal_type", measure_type), LEGAL_TYPES)
    part_types[(measure_id, part_id)] = legal_type
    for field in ("label", "scope"):
        if not part.get(field):
            where.fail(field, "is required")
    sources = _sources(where, "sources", part.get("sources"))
    start = _date(where, "in_force_from", part.get("in_force_from"))
    until = _date(where, "in_force_until", part.get("in_force_until"))
    reading = _choice(where, "until_reading", part.get("until_reading", "open_ended"), UNTIL_READINGS)
    printed = _date(where, "until_as_printed", part.get("until_as_printed"))
    if (until is None) != (reading == "open_ended"):
        where.fail("until_reading", "must be 'open_ended' exactly when in_force_until is empty")
    if reading != "open_ended":
        if printed is None:
            where.fail("until_as_printed", "keeps the end date the text prints; required with an end")
        day = dt.date.fromisoformat(printed)
        expected = {"stated_last_day": day + dt.timedelta(days=1), "stated_until_ambiguous": day + dt.timedelta(days=1),
                    "stated_first_day_not_in_force": day}[reading]
        if dt.date.fromisoformat(until) != expected:
            where.fail("in_force_until", f"is exclusive: with {reading} and {printed} printed it must be {expected}")
    if start and until and until <= start:
        where.fail("in_force_until", "must be after in_force_from")
    register.parts.append(dict(
        measure_id=measure_id, part_id=part_id, part_label=part["label"], legal_type=legal_type, scope=part["scope"],
        in_force_from=start, in_force_until=until, until_reading=reading, until_as_printed=printed,
        verification=_choice(where, "verification", part.get("verification"), VERIFICATION), notes=part.get("notes")))

    def link(link_type, value, detail=None, verification=None, ordinal=0):
        register.links.append(dict(measure_id=measure_id, part_id=part_id, link_type=link_type, link_value=value,
                                   link_detail=detail, verification=verification, ordinal=ordinal))

    for n, (url, confirms, verification) in enumerate(sources):
        link("source_url", url, confirms, verification, n)
    destinations = part.get("destinations") or []
    if legal_type in GOODS_LEGAL_TYPES and not destinations:
        where.fail("destinations", "a goods restriction must say which destinations or end users it targets")
    for n, destination in enumerate(destinations):
        link("destination", _choice(where, f"destinations[{n}]", destination, DESTINATIONS), ordinal=n)
    for n, element in enumerate(part.get("elements") or []):
        if not re.fullmatch(r"[A-Z][a-z]?", str(element)):
            where.fail(f"elements[{n}]", f"{element!r} is not an element symbol")
        link("element", element, ordinal=n)
    targets = part.get("suspends") or []
    if (legal_type == "suspension") != bool(targets):
        where.fail("suspends", "a suspension part lists the measure parts it suspends, and only a suspension does")
    for n, target in enumerate(targets):
        if not isinstance(target, dict) or not target.get("measure_id") or not target.get("part_id"):
            where.fail(f"suspends[{n}]", "each entry needs measure_id and part_id")
        suspensions.append((where, n, target["measure_id"], str(target["part_id"])))
        link("suspends", target["measure_id"], str(target["part_id"]), ordinal=n)
    codes = part.get("customs_codes") or []
    if codes and legal_type not in GOODS_LEGAL_TYPES:
        where.fail("customs_codes", f"a {legal_type} part restricts no goods, so it carries no customs codes")
    for n, code in enumerate(codes):
        register.codes.append(_code(where, n, measure_id, part_id, code))
    # Where the text gives one commodity a different effect from the part's legal type (No. 46 Art. 2: denial
    # in principle for Ga/Ge/Sb, stricter end-use review for graphite), the commodity's effect is stated with
    # the words that say so; the part's codes name their commodity so trade codes inherit the right effect.
    effects = part.get("commodity_legal_types") or []
    if effects and legal_type not in GOODS_LEGAL_TYPES:
        where.fail("commodity_legal_types", f"a {legal_type} part restricts no goods")
    coded = {code.get("commodity") for code in codes}
    for n, effect in enumerate(effects):
        field = f"commodity_legal_types[{n}]"
        if not isinstance(effect, dict) or not effect.get("commodity") or not effect.get("text"):
            where.fail(field, "each entry needs commodity, legal_type and text (the words of the source that say so)")
        _choice(where, f"{field}.legal_type", effect.get("legal_type"), GOODS_LEGAL_TYPES)
        if effect["commodity"] not in coded:
            where.fail(f"{field}.commodity", f"no customs code of the part names commodity {effect['commodity']!r}")
        link("commodity_legal_type", effect["commodity"], effect["legal_type"],
             _choice(where, f"{field}.verification", effect.get("verification", "verified"), VERIFICATION), n)
    # Goods the text names whose codes (and heading) no stored source gives: kept so the exposure marts can say
    # their upper bound is incomplete instead of silently omitting them.
    uncoded = part.get("uncoded_scope") or []
    if uncoded and legal_type not in GOODS_LEGAL_TYPES:
        where.fail("uncoded_scope", f"a {legal_type} part restricts no goods")
    for n, item in enumerate(uncoded):
        field = f"uncoded_scope[{n}]"
        if not isinstance(item, dict) or not item.get("goods") or not item.get("commodity") or not item.get("note"):
            where.fail(field, "each entry needs goods, commodity and note (why no code or heading is stored)")
        if not COMMODITY.match(str(item["commodity"])):
            where.fail(f"{field}.commodity", f"{item['commodity']!r} is not a lower-case commodity name")
        link("uncoded_scope", item["commodity"], item["goods"], ordinal=n)


def _code(where: _Where, n: int, measure_id: str, part_id: str, code) -> dict:
    field = f"customs_codes[{n}]"
    if not isinstance(code, dict):
        where.fail(field, "must be a mapping")
    # A comma inside an unquoted flow-mapping value ({goods: a, b}) makes YAML read "b" as a key and silently
    # drop it from the value: refuse any key the register does not define.
    unknown = sorted(set(code) - CODE_KEYS)
    if unknown:
        where.fail(field, f"unknown keys {unknown} (quote a value that holds a comma)")
    basis = _choice(where, f"{field}.basis", code.get("basis", "printed"), CODE_BASES)
    printed = None if code.get("printed") is None else str(code["printed"])
    corrected = None if code.get("corrected") is None else str(code["corrected"])
    if basis == "printed" and not printed:
        where.fail(f"{field}.printed", "a printed code keeps the digits exactly as the text prints them")
    if basis == "project_mapping" and printed:
        where.fail(f"{field}.printed", "a project mapping has no printed code")
    effective = corrected or printed or (None if code.get("heading") is None else str(code["heading"]))
    if effective is None or not CODE.match(effective):
        where.fail(f"{field}.corrected" if corrected else field, f"{effective!r} is not a 4-10 digit code")
    if corrected and not printed:
        where.fail(f"{field}.corrected", "a corrected code sits beside the printed one")
    if corrected and not code.get("note"):
        where.fail(f"{field}.note", "say why the printed code was corrected")
    hs6 = effective[:6] if len(effective) >= 6 else None
    coverage = _choice(where, f"{field}.coverage", code.get("coverage"), COVERAGE_LEVELS)
    commodity = code.get("commodity")
    if commodity is not None and not COMMODITY.match(str(commodity)):
        where.fail(f"{field}.commodity", f"{commodity!r} is not a lower-case commodity name")
    if coverage == "full" and (code.get("elements") or len(effective) < 6):
        where.fail(f"{field}.coverage", "element-level items and whole headings cover part of an HS6 at most ('partial')")
    return dict(measure_id=measure_id, part_id=part_id, code_printed=printed, code_corrected=corrected,
                code_digits=None if printed is None else len(printed), hs6=hs6, heading=effective[:4],
                code_basis=basis, coverage_level=coverage,
                elements=", ".join(code.get("elements") or []) or None, goods=code.get("goods"),
                note=code.get("note"), ordinal=n, commodity=commodity)
