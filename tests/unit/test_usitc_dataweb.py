"""USITC DataWeb workbook parser: real values from the shipped export, and clear errors on damaged workbooks."""


import openpyxl
import pytest

from orchestration.extract.errors import SourceFormatError
from orchestration.extract.usitc_dataweb import read_workbook
from orchestration.settings import PROJECT_ROOT

IMPORTS = PROJECT_ROOT / "data/snapshot/usitc/us_imports_for_consumption_1993-2026.xlsx"


@pytest.fixture(scope="module")
def imports():
    return read_workbook(IMPORTS)


def _cell(frame, sheet, country, hts, header):
    rows = frame[(frame.sheet_name == sheet) & (frame.country == country) & (frame.hts_number == hts) & (frame.column_header == header)]
    return rows.value.sum()


def test_reads_published_customs_values(imports):
    frame, downloaded = imports
    # Values as shown in the workbook's "Customs Value" sheet, China, HTS 2846.
    assert _cell(frame, "Customs Value", "China", "2846", "2020") == 44_533_935
    assert _cell(frame, "Customs Value", "China", "2846", "2025") == 100_698_766
    assert downloaded.date().isoformat() == "2026-07-10"
    assert set(frame.trade_flow) == {"Imports For Consumption"}


def test_keeps_banner_total_rows_and_ytd_headers_unchanged(imports):
    frame, _ = imports
    assert frame.banner.iloc[0] == "Imports For Consumption|Annual + Year-To-Date Data from Jan - Apr"
    totals = frame[frame.data_type == "Total: "]
    assert len(totals) > 0 and set(totals.country) == {""}
    assert "2026_Year_to_date" in set(frame.column_header)
    assert frame.source_row.min() == 4  # banner, row count and header come first


def _workbook(tmp_path, rows, declared):
    book = openpyxl.Workbook()
    params = book.active
    params.title = "Query Parameters"
    params.append(["Download Date", __import__("datetime").datetime(2026, 7, 10)])
    params.append(["Trade Flow", "Imports For Consumption"])
    sheet = book.create_sheet("Customs Value")
    sheet.append(["Imports For Consumption|Annual"])
    sheet.append(["Data Row Count", declared])
    sheet.append(["Data Type", "Country", "HTS Number", "Description", "Quantity Description", "2024"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "fixture.xlsx"
    book.save(path)
    return path


def test_good_fixture_parses(tmp_path):
    path = _workbook(tmp_path, [["Customs Value", "China", "2846", "RE compounds", "Value for: kilograms", 12.0]], 1)
    frame, _ = read_workbook(path)
    assert frame.value.tolist() == [12.0]


def test_truncated_export_names_sheet_and_field(tmp_path):
    path = _workbook(tmp_path, [["Customs Value", "China", "2846", "RE compounds", "Value for: kilograms", 12.0]], 2)
    with pytest.raises(SourceFormatError, match=r"fixture.xlsx, field 'Data Row Count': sheet 'Customs Value' declares 2 data rows but has 1"):
        read_workbook(path)


def test_non_numeric_cell_names_row_and_column(tmp_path):
    path = _workbook(tmp_path, [["Customs Value", "China", "2846", "RE compounds", "Value for: kilograms", "n/a"]], 1)
    with pytest.raises(SourceFormatError, match=r"row 4, field '2024'.*'n/a' is not a number"):
        read_workbook(path)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(SourceFormatError, match="broken.xlsx: not a readable .xlsx workbook"):
        read_workbook(path)


def test_a_damaged_data_sheet_names_the_file_and_sheet(tmp_path):
    """The workbook opens (read-only mode reads a sheet's XML only when its rows are asked for), one sheet is cut."""
    import zipfile
    good = _workbook(tmp_path, [["Customs Value", "China", "2846", "RE compounds", "Value for: kilograms", 12.0]], 1)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet2.xml" else data)
    with pytest.raises(SourceFormatError, match=r"damaged.xlsx: sheet 'Customs Value' is not readable"):
        read_workbook(damaged)
