"""The report's figures: matplotlib only, each drawn from one DataFrame of the report's figure data (the rpt_* models
of dbt_project/models/report, read by build.py). Each ``*_figure`` returns the figure and the artists the tests inspect;
``draw_all`` renders every figure of the report as PNG bytes."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # headless: no display in Dagster runs or CI
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from data_contracts.vocabularies import LEGAL_TYPE, NOT_A_COUNTRY_SUPPLIER

# Small enough that the asset page can carry every key plot in its description (Dagster inlines Markdown metadata
# only under 1,000 characters, so a full-size PNG in a materialization opens in a dialog instead).
THUMBNAIL_SIZE = (600, 900)  # the width of the Overview's description column
# Panels of the monthly figure: China's measures with the largest priced China-origin imports in their windows.
MONTHLY_PANELS = 4

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


def legal_type_colours(**colours: str) -> dict[str, str]:
    """Line colour per legal type, keyed on the register's current vocabulary (data_contracts/vocabularies.py).

    A name that is not a current legal type raises here, at import, instead of silently drawing that measure in the
    grey of OTHER_MEASURE_COLOUR (what happened to every export ban after ``ban`` was renamed ``export_ban``)."""
    unknown = sorted(set(colours) - set(LEGAL_TYPE.allowed))
    if unknown:
        raise ValueError(f"not legal types in data_contracts/vocabularies.py: {unknown}")
    return {legal_type: colours[legal_type] for legal_type in LEGAL_TYPE.allowed if legal_type in colours}


MEASURE_TYPE_COLOURS = legal_type_colours(export_ban="#d62728", licence_requirement="#ff7f0e",
                                          technology_restriction="#9467bd", extraterritorial_rule="#8c564b",
                                          easing="#17becf", dispute_ruling="#2ca02c")
OTHER_MEASURE_COLOUR = "#7f7f7f"
COLOUR_NAMES = {"#d62728": "red", "#ff7f0e": "orange", "#9467bd": "purple", "#8c564b": "brown", "#17becf": "cyan",
                "#2ca02c": "green", OTHER_MEASURE_COLOUR: "grey"}


def measures_timeline_caption() -> str:
    """The caption's colour key, written from MEASURE_TYPE_COLOURS so the text cannot drift from the lines."""
    key = "; ".join(f"{COLOUR_NAMES[colour]}: {legal_type.replace('_', ' ')}"
                    for legal_type, colour in MEASURE_TYPE_COLOURS.items())
    return (f"Lines at each measure's effective date (China, from the measures register), coloured by legal type - "
            f"{key}; {COLOUR_NAMES[OTHER_MEASURE_COLOUR]}: several legal types on one day.")
LABEL_ROW_HEIGHT = 0.11  # axes fraction per row of measure labels
LABEL_TOP = 0.95


def _effective_position(date_effective) -> float:
    effective = pd.Timestamp(date_effective)
    # Bars are centred on the year: a measure effective on 1 January sits at the left edge of that year's bar.
    return effective.year + (effective.dayofyear - 1) / 365.25 - 0.5


def timeline_figure(values: pd.DataFrame, measures: pd.DataFrame):
    """The measures timeline and its label Text objects (tests read their bounding boxes: no two may overlap).

    Measures effective on the same day share one label; labels are stacked in rows above the bars, each placed in
    the lowest row where its measured extent clears the labels already there."""
    minerals = sorted(values["mineral"].unique())
    fig, axes = plt.subplots(len(minerals) or 1, 1, figsize=(12, 2.6 * max(len(minerals), 1)), sharex=True,
                             squeeze=False)
    renderer = fig.canvas.get_renderer()
    labels = []
    for axis, mineral in zip(axes[:, 0], minerals):
        rows = values[values["mineral"] == mineral]
        axis.bar(rows["year"], rows["value_usd"] / 1e6, color="#8da0cb")
        axis.set_xlim(values["year"].min() - 1, values["year"].max() + 1)
        own = measures[measures["mineral"] == mineral]
        placed: list[list] = []  # row -> bounding boxes
        for date_effective, group in own.groupby("date_effective", sort=True):
            position = _effective_position(date_effective)
            kinds = sorted(set(group["measure_type"]))
            colour = MEASURE_TYPE_COLOURS.get(kinds[0], OTHER_MEASURE_COLOUR) if len(kinds) == 1 else OTHER_MEASURE_COLOUR
            axis.axvline(position, color=colour, linewidth=1.2)
            text = ", ".join(sorted(group["measure_id"]))
            for row in range(len(placed) + 1):
                label = axis.text(position, LABEL_TOP - row * LABEL_ROW_HEIGHT, text, fontsize=7, ha="right", va="top",
                                  transform=axis.get_xaxis_transform(), color=colour,
                                  bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1))
                box = label.get_window_extent(renderer).expanded(1.05, 1.1)
                if row == len(placed):
                    placed.append([box])
                    break
                if not any(box.overlaps(other) for other in placed[row]):
                    placed[row].append(box)
                    break
                label.remove()
            labels.append(label)
        # Headroom so the bars stay below the label rows.
        highest = max((rows["value_usd"] / 1e6).max(), 1e-9)
        free = max(LABEL_TOP - LABEL_ROW_HEIGHT * len(placed) - 0.03, 0.3)
        axis.set_ylim(0, highest / free)
        axis.set_ylabel(f"{mineral}\nUSD million", fontsize=8)
    handles = [plt.Line2D([], [], color=c, linewidth=1.5, label=k.replace("_", " "))
               for k, c in MEASURE_TYPE_COLOURS.items() if k in set(measures["measure_type"])]
    if handles:
        axes[0, 0].legend(handles=handles, fontsize=8, ncol=len(handles), loc="lower left", bbox_to_anchor=(0, 1.02),
                          frameon=False, title="China's measures (line at the effective date)", title_fontsize=8)
    axes[-1, 0].set_xlabel("year (bars: US imports from China, USITC DataWeb annual; lines: measure effective dates)")
    fig.tight_layout()
    return fig, labels


def _plot_measures_timeline(values: pd.DataFrame, measures: pd.DataFrame) -> bytes:
    return _png(timeline_figure(values, measures)[0])


def event_study_series(data: pd.DataFrame) -> dict[str, list[tuple[str, pd.DataFrame]]]:
    """Mineral -> [(legend label, rows)]. Measures taking effect in the same year give the same indexed series
    (same importer, mineral, years and pre-period): one line, labelled with every measure it stands for."""
    panels = {}
    for mineral, rows in data.groupby("mineral", sort=True):
        series: dict[tuple, list] = {}
        for measure_id, own in rows.groupby("measure_id", sort=True):
            own = own.sort_values("relative_period")
            signature = tuple(zip(own["year"], own["relative_period"], own["value_index"].round(9)))
            series.setdefault(signature, [measure_id, own])
            if series[signature][0] != measure_id:
                series[signature][0] += f", {measure_id}"
        panels[mineral] = [(label, own) for label, own in series.values()]
    return panels


def event_studies_figure(data: pd.DataFrame):
    """Small multiples, one panel per mineral, distinct colours within a panel; returns (figure, panel axes)."""
    panels = event_study_series(data)
    columns = 2
    count = max(len(panels), 1)
    fig, grid = plt.subplots((count + columns - 1) // columns, columns, figsize=(12, 4.2 * ((count + 1) // columns)),
                             sharex=True, squeeze=False)
    colours = plt.get_cmap("tab10").colors
    axes = list(grid.flat)
    for axis, (mineral, series) in zip(axes, panels.items()):
        for index, (label, rows) in enumerate(series):
            effective = pd.Timestamp(rows["date_effective"].iloc[0]).year
            axis.plot(rows["relative_period"], rows["value_index"], marker="o", color=colours[index % len(colours)],
                      label=f"{label} (effective {effective})")
        axis.axhline(100, color="grey", linestyle=":", linewidth=1)
        axis.axvline(-0.5, color="black", linewidth=0.8)
        axis.set_title(mineral, fontsize=10)
        # Below the panel: inside it would cover the lines in some panel whatever corner it took.
        axis.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
        axis.set_ylabel("index (pre-period mean = 100)", fontsize=8)
        axis.set_xlabel("years relative to the effective year (0 = year it took effect)", fontsize=8)
        axis.xaxis.set_tick_params(labelbottom=True)
    for axis in axes[len(panels):]:
        axis.set_visible(False)
    fig.suptitle("US imports from the restricting country around each measure (USITC DataWeb, 18 selected partners)", fontsize=10)
    fig.tight_layout()
    return fig, axes[:len(panels)]


def _plot_event_studies(data: pd.DataFrame) -> bytes:
    return _png(event_studies_figure(data)[0])


def _plot_world_share(data: pd.DataFrame) -> bytes:
    latest = data[data["year"] == data["year"].max()].head(25) if not data.empty else data
    fig, axis = plt.subplots(figsize=(10, 6))
    labels = [f"{c} ({s})" for c, s in zip(latest["commodity"], latest["stage"])]
    axis.barh(labels[::-1], (latest["china_share"] * 100).tolist()[::-1], color="#e78ac3")
    axis.set_xlabel("China share of world production (%), published World total as denominator")
    return _png(fig)


def supplier_order(suppliers: pd.DataFrame) -> list[str]:
    """Controlling countries first, then the other named suppliers, each by total value; 'other' and non-country
    rows last - so the US, Japan and the Netherlands lead the legend whatever the years hold."""
    totals = suppliers.groupby("supplier_group").agg(value=("value_usd", "sum"), controlling=("is_controlling_country", "max"))
    rank = {name: (2 if name == NOT_A_COUNTRY_SUPPLIER else 1 if name == "other" else 0) for name in totals.index}
    return sorted(totals.index, key=lambda name: (rank[name], not totals.loc[name, "controlling"], -totals.loc[name, "value"], name))


def supplier_colours(suppliers: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """Supplier group -> colour (in legend order) and country -> the same colour, so a control's line has the colour
    of the country that imposed it in both charts."""
    palette = plt.get_cmap("tab10").colors
    by_group = {group: mcolors.to_hex(palette[index % len(palette)]) for index, group in enumerate(supplier_order(suppliers))}
    by_country = {}
    for row in suppliers.dropna(subset=["supplier_iso3"]).itertuples():
        by_country[row.supplier_iso3] = by_group[row.supplier_group]
    return by_group, by_country


def _mark_controls(axis, controls: pd.DataFrame, country_colours: dict[str, str], labelled: bool) -> list:
    """A vertical line at each control date (bars and points are centred on the year, as in the minerals timeline);
    returns legend handles naming date and measure - six dates within 26 months do not fit as text on the axis."""
    styles = ["-", "--", ":", "-."]
    handles = []
    for index, row in enumerate(controls.itertuples()):
        colour = country_colours.get(row.controlling_country_iso3, OTHER_MEASURE_COLOUR)
        style = styles[index % len(styles)]
        axis.axvline(_effective_position(row.control_date), color=colour, linestyle=style, linewidth=1.1)
        if labelled:
            handles.append(plt.Line2D([], [], color=colour, linestyle=style, linewidth=1.1,
                                      label=f"{pd.Timestamp(row.control_date):%Y-%m-%d} {row.measure_id}"))
    return handles


def chip_shares_figure(suppliers: pd.DataFrame, controls: pd.DataFrame):
    """Supplier shares of China's 8486 imports by year, one line per supplier group; returns (figure, axis)."""
    fig, axis = plt.subplots(figsize=(12, 5.5))
    colours, country_colours = supplier_colours(suppliers)
    shares = suppliers.dropna(subset=["share_of_8486"])
    for group in (name for name in supplier_order(suppliers) if name in set(shares["supplier_group"])):
        rows = shares[shares["supplier_group"] == group].sort_values("year")
        controlling = bool(rows["is_controlling_country"].any())
        axis.plot(rows["year"], rows["share_of_8486"] * 100, marker="o" if controlling else ".",
                  linewidth=2.2 if controlling else 1.2, color=colours[group],
                  label=group + (" (controls)" if controlling else ""))
    handles = _mark_controls(axis, controls, country_colours, labelled=True)
    axis.set_ylabel("share of China's HS 8486 imports (%)")
    axis.set_xlabel("year (annual BACI data; lines: control dates)")
    if not suppliers.empty:
        axis.set_xlim(suppliers["year"].min() - 0.5, suppliers["year"].max() + 0.5)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    # One legend (suppliers, then controls) beside the axes: a second legend is dropped from the tight bounding box.
    spacer = plt.Line2D([], [], linestyle="none", label="controls (register in_force_from):")
    supplier_handles, _ = axis.get_legend_handles_labels()
    axis.legend(handles=supplier_handles + ([spacer] + handles if handles else []), fontsize=8, loc="upper left",
                bbox_to_anchor=(1.01, 1), title="supplier", title_fontsize=8, frameon=False)
    axis.set_title("FOB (CEPII BACI HS07); HS 848610/20/40/90; shares of imports from country suppliers other than China",
                   fontsize=9)
    fig.tight_layout()
    return fig, axis


def chip_values_figure(suppliers: pd.DataFrame, controls: pd.DataFrame):
    """China's 8486 imports by supplier, stacked bars of USD billion per year; returns (figure, axis)."""
    fig, axis = plt.subplots(figsize=(12, 5))
    colours, country_colours = supplier_colours(suppliers)
    years = sorted(suppliers["year"].unique())
    bottom = pd.Series(0.0, index=years)
    for group in supplier_order(suppliers):
        values = suppliers[suppliers["supplier_group"] == group].set_index("year")["value_usd"].reindex(years, fill_value=0) / 1e9
        axis.bar(years, values, bottom=bottom, color=colours[group], label=group)
        bottom = bottom + values
    _mark_controls(axis, controls, country_colours, labelled=False)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_ylabel("USD billion, FOB")
    axis.set_xlabel("year (lines: control dates, as in the shares chart)")
    axis.legend(fontsize=8, loc="upper left", ncol=2)
    fig.tight_layout()
    return fig, axis


def chip_claim_figure(claims: pd.DataFrame):
    """One bar per figure of the claim check, data and claim drawn differently (never one measure); (figure, axis)."""
    fig, axis = plt.subplots(figsize=(10, 3.2))
    # a data row names the codes it sums (two scopes: 8486 alone, and with the chapter-90 inspection instruments)
    labels = [f"{row.year} BACI imports of HS {getattr(row, 'hs_codes_included', None) or '8486'} (customs, FOB)"
              if row.figure_kind == "data" else f"{row.year} claim: five toolmakers, China revenue"
              for row in claims.itertuples()]
    colours = ["#8da0cb" if kind == "data" else "#fc8d62" for kind in claims["figure_kind"]]
    hatches = ["" if kind == "data" else "//" for kind in claims["figure_kind"]]
    bars = axis.barh(labels[::-1], (claims["value_usd"] / 1e9).tolist()[::-1], color=colours[::-1])
    for bar, hatch, value in zip(bars, hatches[::-1], (claims["value_usd"] / 1e9).tolist()[::-1]):
        bar.set_hatch(hatch)
        axis.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" ${value:,.1f} bn", va="center", fontsize=8)
    axis.set_xlabel("USD billion (different measures: do not read one as confirming or refuting the other)")
    axis.set_xlim(0, max((claims["value_usd"] / 1e9).max() * 1.2, 1))
    fig.tight_layout()
    return fig, axis


def monthly_measures(data: pd.DataFrame) -> list[str]:
    """The major measures drawn: the MONTHLY_PANELS with the largest priced China-origin imports in their windows."""
    if data.empty:
        return []
    totals = data.groupby("measure_id")["priced_value_usd"].sum().sort_values(ascending=False, kind="stable")
    return sorted(totals.index[:MONTHLY_PANELS], key=lambda m: (pd.Timestamp(data.loc[data.measure_id == m,
                                                                                       "date_effective"].iloc[0]), m))


def monthly_caption(data: pd.DataFrame) -> str:
    """Names every measure drawn with its effective date (the vertical line of its panels)."""
    drawn = monthly_measures(data)
    named = "; ".join(f"{m} effective {pd.Timestamp(data.loc[data.measure_id == m, 'date_effective'].iloc[0]).date()}"
                      for m in drawn)
    return (f"Panels (columns): {named or 'no measure with monthly data'}. Top row: kg imported from China of the HS6 in "
            "the measure's scope (log scale, shared); bottom row: China-origin unit value, USD/kg (log scale, shared); "
            "one line per importer with at least 12 months in the window (a month without trade is a gap on the log "
            "scale); dashed line: the effective date. marts.event_windows_monthly, +-12 months, only "
            f"months the source has; measures chosen: the {MONTHLY_PANELS} with the largest priced China-origin imports "
            "in their windows. HMRC values were converted to USD by the compiling repository.")


def monthly_figure(data: pd.DataFrame):
    """Small multiples with shared axes: one column per major measure, quantity above unit value; (figure, axes)."""
    drawn = monthly_measures(data)
    fig, grid = plt.subplots(2, max(len(drawn), 1), figsize=(3.4 * max(len(drawn), 1) + 1, 6.5), sharex=True,
                             sharey="row", squeeze=False)
    colours = {"GBR": "#1f77b4", "BRA": "#2ca02c"}
    for column, measure_id in enumerate(drawn):
        rows = data[data["measure_id"] == measure_id]
        effective = pd.Timestamp(rows["date_effective"].iloc[0])
        for (source, importer), own in rows.groupby(["source", "importer_iso3"], sort=True):
            dates = pd.to_datetime({"year": own["year"], "month": own["month"], "day": 1})
            colour = colours.get(importer, "#7f7f7f")
            label = f"{importer} ({source})"
            quantity = own["origin_qty_kg"].where(own["origin_qty_kg"] > 0)
            grid[0, column].plot(dates, quantity, marker=".", color=colour, label=label)
            grid[1, column].plot(dates, own["origin_unit_value_usd_per_kg"], marker=".", color=colour, label=label)
        for axis in grid[:, column]:
            axis.axvline(effective, color="black", linestyle="--", linewidth=1)
            axis.set_yscale("log")
            axis.tick_params(axis="x", labelrotation=45, labelsize=7)
        grid[0, column].set_title(f"{measure_id}\neffective {effective.date()}", fontsize=9)
        grid[0, column].legend(fontsize=7, loc="lower left", frameon=False)  # two importers at most
    grid[0, 0].set_ylabel("kg from China (log)", fontsize=8)
    grid[1, 0].set_ylabel("USD per kg (log)", fontsize=8)
    fig.tight_layout()
    return fig, grid


def thumbnail(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.thumbnail(THUMBNAIL_SIZE)
    image = image.convert("RGB").quantize(colors=256)  # flat-colour charts: a palette keeps them small
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def draw_all(data: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """Every figure of the report (in report order) as PNG bytes, from build.read_figure_data's frames."""
    return {
        "china_share_hhi": _plot_china_share_hhi(data["china_share_hhi"]),
        "measures_timeline": _plot_measures_timeline(data["measures_timeline"], data["measures"]),
        "event_studies": _plot_event_studies(data["event_studies"]),
        "world_production_china_share": _plot_world_share(data["world_production_china_share"]),
        "chip_equipment_supplier_shares": _png(chip_shares_figure(data["chip_equipment_suppliers"],
                                                                  data["chip_equipment_controls"])[0]),
        "chip_equipment_imports_by_supplier": _png(chip_values_figure(data["chip_equipment_suppliers"],
                                                                      data["chip_equipment_controls"])[0]),
        "chip_equipment_claim_check": _png(chip_claim_figure(data["chip_equipment_claim_check"])[0]),
        "monthly_event_windows": _png(monthly_figure(data["monthly_event_windows"])[0]),
    }
