"""The static report (dependency, export controls, the chip-equipment chokepoint) as a Dagster asset.

Dagster 1.13 renders Markdown metadata inline on the asset page only when it is under 1,000 characters; a plot as
a data URI never is, so a materialization's plots open behind "[Show Markdown]". The asset *description* is rendered
as Markdown in full on the asset's Overview, so it carries thumbnails of the key plots of the last report written
(read when the code location loads); the materialization keeps the full-size plots of that very run."""


import base64
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from orchestration.publish.serving import SERVING_FILE
from orchestration.report.contents import FIGURE_TITLES, THUMBNAIL_DIR
from orchestration.settings import report_dir, serve_dir
from orchestration.versioning.code_versions import code_version

REPORT_KEY = dg.AssetKey(["report", "chokepoint_report"])
SERVING_KEY = dg.AssetKey(["serve", "chokepoint"])

KEY_PLOTS = ("measures_timeline", "china_share_hhi", "event_studies", "world_production_china_share",
             "chip_equipment_supplier_shares", "chip_equipment_imports_by_supplier", "chip_equipment_claim_check",
             "monthly_event_windows")
DESCRIPTION = ("Static HTML report (PNG figures embedded) of China share and HHI over time, the measures timeline "
               "over trade values, event studies, world production shares and the reverse chokepoint (China's imports of "
               "chip-making equipment by supplier, the controls on it and the $38B claim check) and monthly China-origin quantity and "
               "unit value around the effective date of China's major measures; written to CHOKEPOINT_REPORT_DIR "
               "(default warehouse/report/).")


def report_description(directory: Path | None = None) -> str:
    """The asset description: the key plots of the report on disk as thumbnails, or a note that none exists yet."""
    thumbnails = (directory or report_dir()) / THUMBNAIL_DIR
    present = [name for name in KEY_PLOTS if (thumbnails / f"{name}.png").is_file()]
    if not present:
        return DESCRIPTION + "\n\nNo report written yet: materialize this asset to draw its plots here."
    written = max((thumbnails / f"{name}.png").stat().st_mtime for name in present)
    stamp = datetime.fromtimestamp(written, UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"**Key plots of the report written {stamp}** (shown as of the last definitions load; the latest "
             "materialization's `plot_*` entries hold its full-size plots).", ""]
    for name in present:
        encoded = base64.b64encode((thumbnails / f"{name}.png").read_bytes()).decode("ascii")
        parts += [f"**{FIGURE_TITLES[name]}**", "", f"![{FIGURE_TITLES[name]}](data:image/png;base64,{encoded})", ""]
    return "\n".join(parts + [DESCRIPTION])


@dg.asset(
    key=REPORT_KEY,
    group_name="report",
    # Drawn from the serving copy, so the report shows what BI users read and follows every publish: a refresh, the
    # schedule, and a mart rebuilt alone in the UI (the `publish_after_marts` sensor then publishes and redraws).
    # Readers of the serving copy never wait for the build file's writer, so no writer pool.
    deps=[SERVING_KEY],
    automation_condition=dg.AutomationCondition.eager(),
    description=report_description(),
    kinds={"html", "matplotlib"},
    code_version=code_version(__name__),
)
def chokepoint_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    # Imported here: matplotlib is for the process that draws, not for every process that loads the code location.
    from orchestration.report.build import build_report

    result = build_report(serve_dir() / SERVING_FILE, report_dir())
    metadata: dict = {
        "report_path": dg.MetadataValue.path(str(result.html_path)),
        "files": dg.MetadataValue.json([str(path) for path in result.files]),
        "figure_rows": dg.MetadataValue.json({name: len(frame) for name, frame in result.figures.items()}),
    }
    for name in KEY_PLOTS:
        metadata[f"plot_{name}"] = dg.MetadataValue.md(f"![{FIGURE_TITLES[name]}]({result.data_uri(name)})")
    context.log.info(f"report written to {result.html_path}")
    return dg.MaterializeResult(metadata=metadata)


defs = dg.Definitions(assets=[chokepoint_report])
