"""Static HTML report of the supply-risk marts (figures embedded as base64 PNG, PNGs written beside it)."""

from orchestration.report.build import FIGURE_TITLES, ReportResult, build_report

__all__ = ["FIGURE_TITLES", "ReportResult", "build_report"]
