"""The report's charts stay readable (no overlapping labels, distinct colours per panel) and reach the asset page.

Inputs here are SYNTHETIC (measure ids M-…, made-up values): the layout rules, not the data, are under test."""

import base64
import itertools
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import pandas as pd
import pytest

from data_contracts.vocabularies import LEGAL_TYPE
from orchestration.defs import report_assets
from orchestration.report import build, figures


def _timeline_inputs():
    values = pd.DataFrame([(m, y, 1e6 * (1 + y % 7)) for m in ("alpha", "beta") for y in range(1995, 2026)],
                          columns=["mineral", "year", "value_usd"])
    # Five measures within 14 months on "alpha", two on the same day: what made the 2023-25 labels collide.
    measures = pd.DataFrame([
        ("alpha", "M-2014-WTO", "dispute_ruling", "2014-03-26"),
        ("alpha", "M-2023-12", "technology_restriction", "2023-12-21"),
        ("alpha", "M-2025-04", "licence_requirement", "2025-04-04"),
        ("alpha", "M-2025-10", "technology_restriction", "2025-10-09"),
        ("alpha", "M-2025-11a", "licence_requirement", "2025-11-08"),
        ("alpha", "M-2025-11b", "licence_requirement", "2025-11-08"),
        ("alpha", "M-2025-12", "licence_requirement", "2025-12-01"),
        ("beta", "M-2024-09", "licence_requirement", "2024-09-15"),
        ("beta", "M-2024-12", "export_ban", "2024-12-03"),
    ], columns=["mineral", "measure_id", "measure_type", "date_effective"])
    return values, measures


def test_measure_labels_do_not_overlap_and_name_every_measure():
    values, measures = _timeline_inputs()
    fig, labels = figures.timeline_figure(values, measures)
    renderer = fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), (labels[i].get_text(), labels[j].get_text())
    texts = [label.get_text() for label in labels]
    assert "M-2025-11a, M-2025-11b" in texts  # same day: one label
    assert sorted(itertools.chain(*(t.split(", ") for t in texts))) == sorted(measures["measure_id"])
    figure_box = fig.bbox
    assert all(figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 for box in boxes)


def test_without_the_row_stacking_the_synthetic_labels_would_collide():
    """Guards the test above: on one row the same labels do overlap, so 'no overlap' is a property of the layout."""
    values, measures = _timeline_inputs()
    fig, labels = figures.timeline_figure(values, measures)
    renderer = fig.canvas.get_renderer()
    alpha = [label for label in labels if label.axes is labels[0].axes]
    for label in alpha:
        label.set_y(figures.LABEL_TOP)
    boxes = [label.get_window_extent(renderer) for label in alpha]
    assert any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def _event_inputs():
    rows = []
    for mineral, measures in {"alpha": ["M-1", "M-2", "M-3"], "beta": ["M-4", "M-5"], "gamma": ["M-6"]}.items():
        for k, measure_id in enumerate(measures):
            year = 2020 + k
            for relative in range(-3, 2):
                rows.append((mineral, measure_id, f"{year}-06-01", relative, year + relative, 10.0 + k, 100.0 + 10 * k + relative))
    # M-7 takes effect the same year as M-1 on the same mineral: its indexed series is identical.
    rows += [("alpha", "M-7", "2020-11-01", r, y, v, i) for (m, mid, _, r, y, v, i) in rows if mid == "M-1"]
    return pd.DataFrame(rows, columns=["mineral", "measure_id", "date_effective", "relative_period", "year",
                                       "value_usd", "value_index"])


def test_event_studies_are_small_multiples_with_distinct_colours():
    data = _event_inputs()
    fig, axes = figures.event_studies_figure(data)
    assert [axis.get_title() for axis in axes] == ["alpha", "beta", "gamma"]
    for axis in axes:
        colours = [mcolors.to_hex(line.get_color()) for line in axis.get_lines() if line.get_marker() == "o"]
        assert len(colours) == len(set(colours)), axis.get_title()
    legend = [text.get_text() for text in axes[0].get_legend().get_texts()]
    assert legend == ["M-1, M-7 (effective 2020)", "M-2 (effective 2021)", "M-3 (effective 2022)"]
    assert len(axes[0].get_lines()) == 3 + 2  # three series, the 100 line and the effective-year line


def test_description_carries_the_key_plots_of_the_report_on_disk(tmp_path):
    assert "No report written yet" in report_assets.report_description(tmp_path)
    (tmp_path / build.THUMBNAIL_DIR).mkdir()
    for name in report_assets.KEY_PLOTS:
        (tmp_path / build.THUMBNAIL_DIR / f"{name}.png").write_bytes(b"\x89PNG-synthetic-" + name.encode())
    description = report_assets.report_description(tmp_path)
    for name in report_assets.KEY_PLOTS:
        encoded = base64.b64encode(b"\x89PNG-synthetic-" + name.encode()).decode()
        assert f"![{build.FIGURE_TITLES[name]}](data:image/png;base64,{encoded})" in description
    assert description.index(build.FIGURE_TITLES["measures_timeline"]) < description.index(build.FIGURE_TITLES["event_studies"])


@pytest.mark.parametrize("name", ["measures_timeline", "event_studies"])
def test_thumbnails_are_small_pngs(name):
    values, measures = _timeline_inputs()
    png = figures._plot_measures_timeline(values, measures) if name == "measures_timeline" \
        else figures._plot_event_studies(_event_inputs())
    thumb = figures.thumbnail(png)
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(thumb))
    assert thumb[:8] == b"\x89PNG\r\n\x1a\n" and image.width <= figures.THUMBNAIL_SIZE[0]
    assert image.height <= figures.THUMBNAIL_SIZE[1] and len(thumb) < len(png)


def _chip_inputs():
    """SYNTHETIC suppliers and controls (made-up values; ids C-…): the chart rules, not the data, are under test."""
    groups = [("Exporter A", True, "AAA"), ("Exporter B", True, "BBB"), ("Big non-controller", False, "CCC"), ("other", False, None)]
    values = {"Exporter A": 10.0, "Exporter B": 2.0, "Big non-controller": 50.0, "other": 30.0}
    rows = [(year, name, controlling, iso3, values[name] * 1e9, values[name] / sum(values.values()))
            for year in range(2018, 2025) for name, controlling, iso3 in groups]
    suppliers = pd.DataFrame(rows, columns=["year", "supplier_group", "is_controlling_country", "supplier_iso3",
                                            "value_usd", "share_of_8486"])
    controls = pd.DataFrame([("C-A-1", "AAA", pd.Timestamp("2022-10-07")), ("C-B-1", "BBB", pd.Timestamp("2023-07-23")),
                             ("C-B-2", "BBB", pd.Timestamp("2023-09-01"))],
                            columns=["measure_id", "controlling_country_iso3", "control_date"])
    return suppliers, controls


def test_controlling_suppliers_lead_whatever_their_size():
    suppliers, _ = _chip_inputs()
    assert figures.supplier_order(suppliers) == ["Exporter A", "Exporter B", "Big non-controller", "other"]


def test_chip_shares_chart_marks_every_control_in_its_country_colour():
    suppliers, controls = _chip_inputs()
    fig, axis = figures.chip_shares_figure(suppliers, controls)
    lines = {line.get_label(): line for line in axis.get_lines()}
    verticals = [line for line in axis.get_lines() if len(set(line.get_xdata())) == 1 and line.get_label().startswith("_")]
    positions = sorted(line.get_xdata()[0] for line in verticals)
    assert positions == pytest.approx(sorted(figures._effective_position(d) for d in controls["control_date"]))
    by_position = {line.get_xdata()[0]: mcolors.to_hex(line.get_color()) for line in verticals}
    assert by_position[figures._effective_position(pd.Timestamp("2022-10-07"))] == mcolors.to_hex(lines["Exporter A (controls)"].get_color())
    assert by_position[figures._effective_position(pd.Timestamp("2023-09-01"))] == mcolors.to_hex(lines["Exporter B (controls)"].get_color())
    legend = [text.get_text() for text in axis.get_legend().get_texts()]
    assert legend[:2] == ["Exporter A (controls)", "Exporter B (controls)"]
    assert {"2022-10-07 C-A-1", "2023-07-23 C-B-1", "2023-09-01 C-B-2"} <= set(legend)
    assert lines["Exporter A (controls)"].get_ydata() == pytest.approx([100 * 10 / 92] * 7)


def test_chip_value_bars_stack_to_the_total_and_claim_is_drawn_apart():
    suppliers, controls = _chip_inputs()
    fig, axis = figures.chip_values_figure(suppliers, controls)
    tops = {}
    for patch in axis.patches:
        x = round(patch.get_x() + patch.get_width() / 2)
        tops[x] = max(tops.get(x, 0), patch.get_y() + patch.get_height())
    assert tops == {year: pytest.approx(92.0) for year in range(2018, 2025)}
    claims = pd.DataFrame({"year": [2024, 2024], "figure_kind": ["data", "claim"], "value_usd": [43e9, 38e9]})
    fig, axis = figures.chip_claim_figure(claims)
    hatches = {round(patch.get_width()): patch.get_hatch() for patch in axis.patches}
    assert hatches[43] in ("", None) and hatches[38] == "//"


def test_timeline_colours_are_keyed_on_the_current_legal_types():
    """Every legal type the timeline draws (China's non-suspension measures) gets its own colour, never the grey of
    'several types on one day': keys are read against data_contracts/vocabularies.py, so a renamed type fails here."""
    drawn = [t for t in LEGAL_TYPE.allowed if t != "suspension"]
    assert set(figures.MEASURE_TYPE_COLOURS) <= set(LEGAL_TYPE.allowed)
    assert all(figures.MEASURE_TYPE_COLOURS.get(t, figures.OTHER_MEASURE_COLOUR) != figures.OTHER_MEASURE_COLOUR
               for t in drawn), figures.MEASURE_TYPE_COLOURS
    assert len(set(figures.MEASURE_TYPE_COLOURS.values())) == len(figures.MEASURE_TYPE_COLOURS)
    with pytest.raises(ValueError, match="ban"):
        figures.legal_type_colours(ban="#d62728")


def test_register_legal_types_are_drawn_in_colour_and_named_in_the_caption():
    """The register's own legal types (real data: data/register/export_measures.yaml) each have a line colour, and the
    caption names the colour the figure actually uses for them."""
    import yaml

    register = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "register" / "export_measures.yaml").read_text(encoding="utf-8"))
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("legal_type"), str):
                found.add(node["legal_type"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(register)
    assert "export_ban" in found
    caption = figures.measures_timeline_caption()
    for legal_type in found - {"suspension"}:
        colour = figures.MEASURE_TYPE_COLOURS.get(legal_type, figures.OTHER_MEASURE_COLOUR)
        assert colour != figures.OTHER_MEASURE_COLOUR, legal_type
        assert f"{figures.COLOUR_NAMES[colour]}: {legal_type.replace('_', ' ')}" in caption


def test_an_export_ban_line_is_red_in_the_timeline():
    values, measures = _timeline_inputs()
    fig, _ = figures.timeline_figure(values, measures)
    beta = fig.axes[1]
    ban_position = figures._effective_position("2024-12-03")
    colours = {mcolors.to_hex(line.get_color()) for line in beta.get_lines() if line.get_xdata()[0] == ban_position}
    assert colours == {figures.MEASURE_TYPE_COLOURS["export_ban"]} and colours != {figures.OTHER_MEASURE_COLOUR}


def _monthly_inputs():
    """SYNTHETIC monthly windows (ids M-…, made-up kg and USD/kg): five measures, two importers."""
    rows = []
    for k, (measure_id, effective) in enumerate([("M-A", "2025-04-04"), ("M-B", "2025-10-09"), ("M-C", "2024-12-03"),
                                                 ("M-D", "2025-02-04"), ("M-E", "2025-11-08")]):
        start = pd.Timestamp(effective).year * 12 + pd.Timestamp(effective).month - 1
        for importer, source in (("GBR", "uk_hmrc"), ("BRA", "br_comex")):
            for index in range(start - 3, start + 3):
                qty = 10.0 ** (k + 1) * (1 + index % 3)
                rows.append((measure_id, pd.Timestamp(effective), source, importer, index // 12, index % 12 + 1, index,
                             qty, qty * (5.0 + k), 5.0 + k, 1))
    return pd.DataFrame(rows, columns=["measure_id", "date_effective", "source", "importer_iso3", "year", "month",
                                       "month_index", "origin_qty_kg", "priced_value_usd",
                                       "origin_unit_value_usd_per_kg", "products"])


def test_monthly_figure_is_small_multiples_with_shared_axes_and_the_effective_date():
    data = _monthly_inputs()
    drawn = figures.monthly_measures(data)
    # the MONTHLY_PANELS largest by priced value (M-A, the smallest, drops), in order of effective date
    assert drawn == ["M-C", "M-D", "M-B", "M-E"]
    fig, grid = figures.monthly_figure(data)
    assert grid.shape == (2, len(drawn))
    assert [axis.get_title() for axis in grid[0]] == [
        "M-C\neffective 2024-12-03", "M-D\neffective 2025-02-04", "M-B\neffective 2025-10-09", "M-E\neffective 2025-11-08"]
    for row in grid:
        assert all(axis.get_shared_y_axes().joined(row[0], axis) for axis in row)
    assert all(grid[0, 0].get_shared_x_axes().joined(grid[0, 0], axis) for axis in grid.flat)
    for axis, measure_id in zip(grid[0], drawn):
        effective = pd.Timestamp(data.loc[data.measure_id == measure_id, "date_effective"].iloc[0])
        verticals = [line for line in axis.get_lines() if line.get_linestyle() == "--"]
        assert len(verticals) == 1
        assert mdates.num2date(mdates.date2num(verticals[0].get_xdata()[0])).date() == effective.date()
        assert len([line for line in axis.get_lines() if line.get_marker() == "."]) == 2  # one line per importer
    caption = figures.monthly_caption(data)
    assert "M-C effective 2024-12-03" in caption and "M-A" not in caption


def test_report_page_escapes_every_value_and_keeps_one_line():
    """template.html renders the page build.py always wrote: html.escape entities (&#x27;, not Jinja's &#39;), the
    chip part's heading before its first figure, the claim table's values, and no line break."""
    import html
    from datetime import datetime

    claims = pd.DataFrame({"figure_id": ["c", "d"], "year": [2024, 2024], "figure_kind": ["claim", "data"],
                           "value_usd": [38e9, 43.4083e9], "scope": ["<b>five firms</b>", "HS 8486"],
                           "hs_codes_included": [None, "848610"], "figure_source": ["a 'quoted' source", "BACI"],
                           "measure_kind": ["revenue", "customs"], "same_measure_as_other_rows": [False, False],
                           "why_they_differ": ["revenue & customs", "revenue & customs"]})
    data = {"chip_equipment_claim_check": claims, "chip_equipment_scope": pd.DataFrame({"hs6": ["848610", "848620"]}),
            "monthly_event_windows": pd.DataFrame(columns=["measure_id", "priced_value_usd", "date_effective"])}
    result = build.ReportResult(html_path=Path("unused.html"), png_paths={}, figures=data,
                                png_bytes={name: b"png" for name in build.FIGURE_TITLES})
    page = build.render_html(result, generated=datetime(2026, 1, 2, 3, 4))
    assert "\n" not in page and page.startswith("<!doctype html>") and page.endswith("</body></html>")
    assert "<p>Generated 2026-01-02 03:04 UTC from the warehouse marts.</p>" in page
    assert "<h2>China&#x27;s share of world production (USGS MCS 2026)</h2>" in page
    assert "&lt;b&gt;five firms&lt;/b&gt;" in page and "a &#x27;quoted&#x27; source" in page
    assert "<td>$38.000 bn</td>" in page and "<b>Why they differ:</b> revenue &amp; customs</p>" in page
    assert "HS07 codes in scope 848610, 848620 (848630" in page
    chip_part = page.index("<h2>The reverse chokepoint")
    assert page.index(html.escape(build.FIGURE_TITLES["monthly_event_windows"])) > chip_part
    assert chip_part < page.index("<h3>") and page.index("<h2>China&#x27;s share") < chip_part
