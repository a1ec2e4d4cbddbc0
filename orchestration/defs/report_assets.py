"""The static supply-risk report as a Dagster asset, with its key plots attached as Markdown image metadata."""


import os
from pathlib import Path

import dagster as dg

from orchestration.report import FIGURE_TITLES, build_report
from orchestration.settings import warehouse_path
from orchestration.warehouse import WRITER_POOL

REPORT_DIR_ENV = "CHOKEPOINT_REPORT_DIR"
REPORT_MARTS = ["import_dependency", "fct_trade_flows", "export_measures", "measure_coverage",
                "restriction_event_study", "supply_concentration", "supply_risk"]
KEY_PLOTS = ("china_share_hhi", "event_studies", "world_production_china_share")


def report_dir() -> Path:
    """CHOKEPOINT_REPORT_DIR, else `report/` beside the warehouse (warehouse/report/ by default)."""
    configured = os.environ.get(REPORT_DIR_ENV)
    return Path(configured).resolve() if configured else warehouse_path().parent / "report"


@dg.asset(
    key=dg.AssetKey(["report", "supply_risk_report"]),
    group_name="report",
    deps=[dg.AssetKey(["marts", name]) for name in REPORT_MARTS],
    description="Static HTML report (PNG figures embedded) of China share and HHI over time, the measures timeline "
                "over trade values, event studies and world production shares; written to CHOKEPOINT_REPORT_DIR "
                "(default warehouse/report/).",
    kinds={"html", "matplotlib"},
    # Reads the warehouse read-only; DuckDB refuses readers while another process writes, so queue with writers.
    pool=WRITER_POOL,
)
def supply_risk_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    result = build_report(warehouse_path(), report_dir())
    metadata: dict = {
        "report_path": dg.MetadataValue.path(str(result.html_path)),
        "files": dg.MetadataValue.json([str(path) for path in result.files]),
        "figure_rows": dg.MetadataValue.json({name: len(frame) for name, frame in result.figures.items()}),
    }
    for name in KEY_PLOTS:
        metadata[f"plot_{name}"] = dg.MetadataValue.md(f"![{FIGURE_TITLES[name]}]({result.data_uri(name)})")
    context.log.info(f"report written to {result.html_path}")
    return dg.MaterializeResult(metadata=metadata)


defs = dg.Definitions(assets=[supply_risk_report])
