"""Build the static HTML report from the marts, over a read-only DuckDB connection.

``build_report(warehouse_path, out_dir)`` returns a ``ReportResult`` with the files written and, for every
figure, the exact DataFrame it plotted - so tests (and the publish step) can compare the picture with the marts."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: no display in Dagster runs or CI
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from orchestration.warehouse import open_duckdb  # noqa: E402

REPORT_FILE = "supply_risk_report.html"
# Minerals whose trade heading is the mineral itself (register_commodity_map match = same_mineral).
REPORT_MINERALS = ("rare_earths", "graphite", "antimony", "tungsten", "bismuth", "nickel")

FIGURE_TITLES = {
    "china_share_hhi": "US imports: China share and supplier HHI over time (USITC DataWeb, annual)",
    "measures_timeline": "US imports from China with export-control effective dates",
    "event_studies": "Event studies: imports from the restricting country, indexed to the pre-period mean (=100)",
    "world_production_china_share": "China's share of world production (USGS MCS 2026)",
}

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


def _minerals_sql() -> str:
    return ", ".join(f"'{m}'" for m in REPORT_MINERALS)


def figure_queries() -> dict[str, str]:
    """The SQL behind each figure (also what the tests re-run against the marts)."""
    minerals = _minerals_sql()
    return {
        "china_share_hhi": f"""
            select mineral, year, china_share, china_hk_share, hhi, denominator_scope
            from marts.import_dependency
            where importer_iso3 = 'USA' and source = 'usitc_dataweb' and period_kind = 'annual'
              and mineral in ({minerals}) and total_value_usd > 0
            order by mineral, year""",
        "measures_timeline": f"""
            select mineral, year, sum(value_usd) as value_usd
            from marts.fct_trade_flows
            where source = 'usitc_dataweb' and period_kind = 'annual' and flow = 'import'
              and reporter_iso3 = 'USA' and partner_iso3 = 'CHN' and mineral in ({minerals})
            group by mineral, year
            order by mineral, year""",
        "measures": f"""
            select distinct coverage.mineral, measures.measure_id, measures.measure_type, measures.date_effective
            from marts.export_measures as measures
            inner join marts.measure_coverage as coverage on measures.measure_id = coverage.measure_id
            where measures.jurisdiction_iso3 = 'CHN' and not measures.is_suspension
              and measures.date_effective is not null and coverage.mineral in ({minerals})
            order by coverage.mineral, measures.date_effective, measures.measure_id""",
        "event_studies": f"""
            select mineral, measure_id, date_effective, relative_period, year, value_usd, value_index,
                   pre_period_years, post_period_years
            from marts.restriction_event_study
            where importer_iso3 = 'USA' and source = 'usitc_dataweb' and period_kind = 'annual'
              and mineral in ({minerals})
            order by mineral, measure_id, relative_period""",
        "world_production_china_share": """
            select commodity, stage, year, china_share, hhi, world_total, unit, share_denominator_basis
            from marts.supply_concentration
            where china_share is not null
            order by china_share desc, commodity, stage, year""",
    }


def read_figure_data(warehouse_path: Path) -> dict[str, pd.DataFrame]:
    connection = open_duckdb(warehouse_path, read_only=True)
    try:
        return {name: connection.execute(sql).df() for name, sql in figure_queries().items()}
    finally:
        connection.close()


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _plot_china_share_hhi(data: pd.DataFrame) -> bytes:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    for mineral, rows in data.groupby("mineral"):
        top.plot(rows["year"], rows["china_share"] * 100, label=mineral, marker=".")
        bottom.plot(rows["year"], rows["hhi"], label=mineral, marker=".")
    top.set_ylabel("China share of US imports (%)")
    bottom.set_ylabel("HHI of US import partners (0-10,000)")
    bottom.axhline(2500, color="grey", linestyle=":", linewidth=1)
    bottom.set_xlabel("year")
    top.legend(fontsize=8, ncol=3)
    top.set_title("Shares of 18 selected partners (USITC DataWeb), not World", fontsize=9)
    return _png(fig)


def _plot_measures_timeline(values: pd.DataFrame, measures: pd.DataFrame) -> bytes:
    minerals = sorted(values["mineral"].unique())
    fig, axes = plt.subplots(len(minerals) or 1, 1, figsize=(10, 2.2 * max(len(minerals), 1)), sharex=True, squeeze=False)
    for axis, mineral in zip(axes[:, 0], minerals):
        rows = values[values["mineral"] == mineral]
        axis.bar(rows["year"], rows["value_usd"] / 1e6, color="#8da0cb")
        for _, measure in measures[measures["mineral"] == mineral].iterrows():
            effective = pd.Timestamp(measure["date_effective"])
            position = effective.year + (effective.dayofyear - 1) / 365.25 - 0.5
            axis.axvline(position, color="#d62728" if measure["measure_type"] == "ban" else "#ff7f0e", linewidth=1)
            axis.annotate(measure["measure_id"], (position, axis.get_ylim()[1] * 0.85), fontsize=6, rotation=90,
                          ha="right")
        axis.set_ylabel(f"{mineral}\nUSD million", fontsize=8)
    axes[-1, 0].set_xlabel("year (bars: US imports from China; lines: measure effective dates)")
    return _png(fig)


def _plot_event_studies(data: pd.DataFrame) -> bytes:
    fig, axis = plt.subplots(figsize=(10, 5))
    for (mineral, measure_id), rows in data.groupby(["mineral", "measure_id"]):
        axis.plot(rows["relative_period"], rows["value_index"], marker="o", label=f"{mineral} / {measure_id}")
    axis.axhline(100, color="grey", linestyle=":")
    axis.axvline(-0.5, color="black", linewidth=0.8)
    axis.set_xlabel("years relative to the effective year (0 = year the measure took effect)")
    axis.set_ylabel("imports from restricting country, index (pre-period mean = 100)")
    axis.legend(fontsize=6, ncol=2)
    return _png(fig)


def _plot_world_share(data: pd.DataFrame) -> bytes:
    latest = data[data["year"] == data["year"].max()].head(25) if not data.empty else data
    fig, axis = plt.subplots(figsize=(10, 6))
    labels = [f"{c} ({s})" for c, s in zip(latest["commodity"], latest["stage"])]
    axis.barh(labels[::-1], (latest["china_share"] * 100).tolist()[::-1], color="#e78ac3")
    axis.set_xlabel("China share of world production (%), published World total as denominator")
    return _png(fig)


def build_report(warehouse_path: Path, out_dir: Path) -> ReportResult:
    """Read the marts (read-only), draw the figures, write PNGs and one self-contained HTML file into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = read_figure_data(Path(warehouse_path))
    pngs = {
        "china_share_hhi": _plot_china_share_hhi(data["china_share_hhi"]),
        "measures_timeline": _plot_measures_timeline(data["measures_timeline"], data["measures"]),
        "event_studies": _plot_event_studies(data["event_studies"]),
        "world_production_china_share": _plot_world_share(data["world_production_china_share"]),
    }
    png_paths = {}
    for name, content in pngs.items():
        path = out_dir / f"{name}.png"
        path.write_bytes(content)
        png_paths[name] = path
    result = ReportResult(html_path=out_dir / REPORT_FILE, png_paths=png_paths, figures=data, png_bytes=pngs)
    result.html_path.write_text(_html(result), encoding="utf-8")
    return result


def _html(result: ReportResult) -> str:
    sections = []
    notes = {
        "china_share_hhi": SELECTED_PARTNERS_CAVEAT + " HHI = 10,000 x sum of squared partner shares (0-10,000).",
        "measures_timeline": "Orange lines: licence requirements; red: bans (China, from the measures register).",
        "event_studies": "Index = 100 x value / mean of the pre-period years (stated per row in "
                         "marts.restriction_event_study.pre_period_years). " + SELECTED_PARTNERS_CAVEAT,
        "world_production_china_share": "Latest year; China's production / the published World total "
                                         "(USGS MCS 2026 data release); withheld values are not counted.",
    }
    for name, title in FIGURE_TITLES.items():
        sections.append(
            f"<section><h2>{html.escape(title)}</h2><p>{html.escape(notes[name])}</p>"
            f'<img alt="{html.escape(title)}" src="{result.data_uri(name)}"/></section>'
        )
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Chokepoint supply-risk report</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}img{max-width:100%}</style></head><body>"
        f"<h1>Chokepoint supply-risk report</h1><p>Generated {generated} from the warehouse marts.</p>"
        + "".join(sections)
        + "</body></html>"
    )
