"""Build the static HTML report from the report's figure data, over a read-only DuckDB connection.

The data of each figure is a dbt model (dbt_project/models/report, schema ``report``: the filters and joins live
there, tested); figures.py draws them and template.html lays out the page. ``build_report(warehouse_path, out_dir)``
returns a ``ReportResult`` with the files written and, for every figure, the exact DataFrame it plotted - so tests
(and the publish step) can compare the picture with the marts."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pandas as pd

from orchestration.report import figures
from orchestration.report.contents import FIGURE_TITLES, THUMBNAIL_DIR
from orchestration.storage.warehouse import open_duckdb

REPORT_FILE = "chokepoint_report.html"
TEMPLATE = "template.html"
REPORT_SCHEMA = "report"
# Frame name (what figures.py and the tests read) -> the rpt_* model holding it and the order its rows are drawn in
# (a table has no order of its own).
FIGURE_DATA = {
    "china_share_hhi": ("rpt_china_share_hhi", "mineral, year"),
    "measures_timeline": ("rpt_measures_timeline", "mineral, year"),
    "measures": ("rpt_measures_timeline_measures", "mineral, date_effective, measure_id"),
    "event_studies": ("rpt_event_studies", "mineral, measure_id, relative_period"),
    "world_production_china_share": ("rpt_world_production_china_share", "china_share desc, commodity, stage, year"),
    "chip_equipment_suppliers": ("rpt_chip_equipment_suppliers", "year, supplier_group"),
    "chip_equipment_controls": ("rpt_chip_equipment_controls", "control_date, measure_id"),
    "chip_equipment_scope": ("rpt_chip_equipment_scope", "hs6"),
    "chip_equipment_claim_check": ("rpt_chip_equipment_claim_check", "figure_kind desc, year, figure_id"),
    "monthly_event_windows": ("rpt_monthly_event_windows", "measure_id, source, importer_iso3, month_index"),
}

# The reverse chokepoint (China's dependence on foreign equipment) gets its own part of the report.
CHIP_FIGURES = ("chip_equipment_supplier_shares", "chip_equipment_imports_by_supplier", "chip_equipment_claim_check")

SELECTED_PARTNERS_CAVEAT = (
    "USITC DataWeb data in this warehouse cover 18 selected partner countries, not World: shares and HHI of US "
    "imports are shares of those 18 partners (denominator_scope = 'selected_partners')."
)


@dataclass
class ReportResult:
    html_path: Path
    png_paths: dict[str, Path]
    figures: dict[str, pd.DataFrame] = field(default_factory=dict)
    png_bytes: dict[str, bytes] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        return [self.html_path, *self.png_paths.values()]

    def data_uri(self, name: str) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png_bytes[name]).decode("ascii")


def read_figure_data(warehouse_path: Path) -> dict[str, pd.DataFrame]:
    connection = open_duckdb(warehouse_path, read_only=True)
    try:
        return {name: connection.execute(f'select * from {REPORT_SCHEMA}."{model}" order by {order}').df()
                for name, (model, order) in FIGURE_DATA.items()}
    finally:
        connection.close()


def chip_scope(codes: pd.DataFrame) -> str:
    """The chip figures' scope note, naming the HS07 codes the data hold (rpt_chip_equipment_scope)."""
    return ("CEPII BACI HS07 V202601, values FOB (reconciled between exporter and importer declarations), China the "
            f"importer; HS07 codes in scope {', '.join(codes['hs6'])} (848630, flat-panel machinery, is not in "
            "the extract). Shares are of China's 8486 imports from country suppliers other than China itself.")


def figure_notes(data: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The caption under each figure's title."""
    scope = chip_scope(data["chip_equipment_scope"])
    return {
        "china_share_hhi": SELECTED_PARTNERS_CAVEAT + " HHI = 10,000 x sum of squared partner shares (0-10,000).",
        "measures_timeline": figures.measures_timeline_caption(),
        "event_studies": "Index = 100 x value / mean of the pre-period years (stated per row in "
                         "marts.restriction_event_study.pre_period_years). " + SELECTED_PARTNERS_CAVEAT,
        "world_production_china_share": "Latest year; China's production / the published World total "
                                         "(USGS MCS 2026 data release); withheld values are not counted.",
        "chip_equipment_supplier_shares": scope + " Annual data: a control year mixes months before and after "
                                          "the control, and imports rose ahead of announced controls (stockpiling).",
        "chip_equipment_imports_by_supplier": scope + " Stacks add up to China's total 8486 imports that year.",
        "chip_equipment_claim_check": "Each figure with its own scope and source (marts.chip_equipment_claim_check).",
        "monthly_event_windows": figures.monthly_caption(data["monthly_event_windows"]),
    }


def build_report(warehouse_path: Path, out_dir: Path) -> ReportResult:
    """Read the figure data (read-only), draw the figures, write PNGs and one self-contained HTML file into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = read_figure_data(Path(warehouse_path))
    pngs = figures.draw_all(data)
    png_paths = {}
    (out_dir / THUMBNAIL_DIR).mkdir(exist_ok=True)
    for name, content in pngs.items():
        path = out_dir / f"{name}.png"
        path.write_bytes(content)
        png_paths[name] = path
        (out_dir / THUMBNAIL_DIR / f"{name}.png").write_bytes(figures.thumbnail(content))
    result = ReportResult(html_path=out_dir / REPORT_FILE, png_paths=png_paths, figures=data, png_bytes=pngs)
    result.html_path.write_text(render_html(result), encoding="utf-8")
    return result


def _escape(value):
    # html.escape, not Jinja's autoescape: the same entities (&#x27;) the page has always had
    return html.escape(value) if isinstance(value, str) else value


def render_html(result: ReportResult, generated: datetime | None = None) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), finalize=_escape,
                                     autoescape=False, undefined=jinja2.StrictUndefined)
    notes = figure_notes(result.figures)
    claims = result.figures["chip_equipment_claim_check"]
    sections = [{
        "title": title, "note": notes[name], "uri": result.data_uri(name), "opens_chip_part": name == CHIP_FIGURES[0],
        "level": "h3" if name in CHIP_FIGURES else "h2",
        "claims": list(claims.itertuples()) if name == "chip_equipment_claim_check" else None,
        "why": claims["why_they_differ"].iloc[0] if not claims.empty else "",
    } for name, title in FIGURE_TITLES.items()]
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return environment.get_template(TEMPLATE).render(generated=stamp, figures=sections)
