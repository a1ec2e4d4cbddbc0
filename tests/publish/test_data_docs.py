"""Great Expectations Data Docs: suites derived from the mart contracts, failures reported, a site that renders offline."""

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import ibis.expr.datatypes as dt
import pandera.ibis as pa
import pytest

from data_contracts.marts import MART_CONTRACTS
from data_contracts.marts.supply import SupplyRisk
from data_contracts.vocabularies import MEASURE_STATUSES
from orchestration.publish import offline_site
from orchestration.publish.data_docs import FAILED_KEY, RESULTS_KEY, VALIDATION_RESULTS, build_data_docs, quality_summary
from tests.contract_harness import add_unruled_columns

ROW = dict(importer_iso3="'USA'", mineral="'rare_earths'", year="2024::integer", period_kind="'annual'",
           source="'usitc_dataweb'", total_value_usd="100.0", china_value_usd="70.0", china_hk_value_usd="72.0",
           china_share="0.7", china_hk_share="0.72", top_supplier_iso3="'CHN'", top_supplier_share="0.7",
           positive_supplier_count="3::bigint", hhi="5200.0", equivalent_suppliers="1.92",
           denominator_scope="'selected_partners'")


def _import_dependency(path: Path, **overrides) -> Path:
    values = {**ROW, **overrides}
    connection = duckdb.connect(str(path))
    connection.execute("create schema if not exists marts")
    connection.execute("create or replace table marts.import_dependency as select "
                       + ", ".join(f"{value} as {column}" for column, value in values.items()))
    add_unruled_columns(connection, "marts.import_dependency", MART_CONTRACTS["import_dependency"])
    connection.close()
    return path


def _suite(name):
    from data_contracts.quality_suites import SUITES

    return {name: SUITES[name]}


def _expectation(suite, kind, column):
    matches = [e for e in suite if type(e).__name__ == kind and getattr(e, "column", None) == column]
    assert len(matches) == 1, (kind, column, matches)
    return matches[0]


def test_every_mart_contract_has_a_suite_built_from_its_vocabulary():
    from data_contracts.quality_suites import SUITES

    assert set(SUITES) == set(MART_CONTRACTS)
    risk = SUITES["supply_risk"]
    statuses = SupplyRisk.to_schema().columns["sr_status"].checks[0].statistics["allowed_values"]
    assert _expectation(risk, "ExpectColumnValuesToBeInSet", "sr_status").value_set == list(statuses)
    between = _expectation(risk, "ExpectColumnValuesToBeBetween", "ir")
    assert (between.min_value, between.max_value, between.strict_min) == (0, 1, False)
    assert _expectation(risk, "ExpectColumnValuesToNotBeNull", "commodity")  # not nullable in the contract
    # nullable: present (the table's column set), nulls allowed
    assert "supply_risk" in _expectation(risk, "ExpectTableColumnsToMatchSet", None).column_set
    assert not [e for e in risk if getattr(e, "column", None) == "supply_risk" and "Null" in type(e).__name__]
    measures = SUITES["export_measures"]
    assert _expectation(measures, "ExpectColumnValuesToBeInSet", "status").value_set == list(MEASURE_STATUSES)
    hhi = _expectation(SUITES["import_dependency"], "ExpectColumnValuesToBeBetween", "hhi")
    assert (hhi.min_value, hhi.strict_min, hhi.max_value) == (0, True, 10_000)  # gt=0 in the contract
    assert _expectation(measures, "ExpectColumnValuesToNotBeNull", "source_urls")
    # a key column's non-null is its grain test's (dbt), not restated in the contract, so not in the suite either
    assert not [e for e in measures if getattr(e, "column", None) == "measure_id"]


def test_a_contract_rule_without_a_gx_translation_fails_loudly():
    from data_contracts.quality_suites import UntranslatedCheck, suite_from_contract

    class Odd(pa.DataFrameModel):
        flag: dt.String = pa.Field(eq="x")

    with pytest.raises(UntranslatedCheck, match="equal_to"):
        suite_from_contract(Odd)

    class Custom(pa.DataFrameModel):
        share: dt.Float64 = pa.Field(ge=0)

        @pa.check("share", name="share_not_above_one")
        def not_above_one(cls, data):
            return data.table[data.key] <= 1

    # A custom ibis column check has no GX form: it stays with Pandera in DuckDB; the built-in bound is translated.
    kinds = [type(e).__name__ for e in suite_from_contract(Custom)]
    assert kinds == ["ExpectTableRowCountToBeBetween", "ExpectTableColumnsToMatchSet", "ExpectColumnValuesToNotBeNull",
                     "ExpectColumnValuesToBeBetween"]


def test_a_mart_without_a_nullable_contract_column_fails_its_column_set(tmp_path):
    nullable = [c for c, spec in MART_CONTRACTS["import_dependency"].to_schema().columns.items() if spec.nullable]
    missing = next(c for c in nullable if c in ROW)
    path = _import_dependency(tmp_path / "bad.duckdb")
    connection = duckdb.connect(str(path))
    connection.execute(f"alter table marts.import_dependency drop column {missing}")
    connection.close()
    bad = build_data_docs(path, tmp_path / "docs_bad", _suite("import_dependency"))
    assert not bad.success
    assert f"expect_table_columns_to_match_set: missing ['{missing}']" in bad.failures["import_dependency"]


def test_a_published_column_the_yaml_does_not_list_fails_the_column_set(tmp_path):
    path = _import_dependency(tmp_path / "extra.duckdb")
    connection = duckdb.connect(str(path))
    connection.execute("alter table marts.import_dependency add column share_probe double")
    connection.close()
    bad = build_data_docs(path, tmp_path / "docs_extra", _suite("import_dependency"))
    assert not bad.success
    assert [f for f in bad.failures["import_dependency"] if f.startswith("expect_table_columns_to_match_set")
            and "share_probe" in f], bad.failures


def test_data_docs_pass_on_a_good_mart_and_name_the_failure_on_a_bad_one(tmp_path):
    suites = _suite("import_dependency")
    good = build_data_docs(_import_dependency(tmp_path / "good.duckdb"), tmp_path / "docs_good", suites)
    assert good.success and good.failures == {} and good.site_index.is_file()
    passed, total = good.results["import_dependency"]
    assert passed == total == len(suites["import_dependency"])

    bad = build_data_docs(_import_dependency(tmp_path / "bad.duckdb", china_share="1.5", denominator_scope="'wrld'"),
                          tmp_path / "docs_bad", suites)
    assert not bad.success and bad.failed_count == 2
    failures = bad.failures["import_dependency"]
    assert any("expect_column_values_to_be_between(china_share): 1 unexpected, e.g. [1.5]" == f for f in failures)
    assert any(f.startswith("expect_column_values_to_be_in_set(denominator_scope)") and "'wrld'" in f for f in failures)
    metadata = {RESULTS_KEY: {m: f"{p}/{t}" for m, (p, t) in bad.results.items()}, FAILED_KEY: bad.failures}
    line = quality_summary(metadata)
    assert line.startswith(f"Data Docs: 1 suites, {total - 2}/{total} expectations passed; FAILED: import_dependency: ")
    assert "china_share" in line and "denominator_scope" in line
    assert quality_summary({RESULTS_KEY: metadata[RESULTS_KEY] | {"import_dependency": f"{total}/{total}"}}) \
        == f"Data Docs: 1 suites, {total}/{total} expectations passed"


def _pages(site: Path) -> list[str]:
    return sorted(str(page.relative_to(site)) for page in (site / "validations").rglob("*.html"))


def test_a_mart_unchanged_since_the_last_publish_reuses_its_result_and_any_change_validates_it_again(tmp_path):
    import great_expectations as gx

    suites = _suite("import_dependency")
    total = len(suites["import_dependency"])
    two_years = _import_dependency(tmp_path / "good.duckdb")
    connection = duckdb.connect(str(two_years))
    connection.execute("insert into marts.import_dependency select * replace (2023 as year) from marts.import_dependency")
    connection.close()

    def publish(name, path, previous=None, suites=suites):
        return build_data_docs(path, tmp_path / name / "data_docs", suites,
                               previous_results=tmp_path / previous / VALIDATION_RESULTS if previous else None)

    first = publish("r1", two_years)
    assert first.reused == () and first.results == {"import_dependency": (total, total)}

    # Same rows, here in the other order (a rebuilt table may return them so), same suite: the result is reused,
    # and the site shows it on the same page as the first publish.
    connection = duckdb.connect(str(two_years))
    connection.execute("create or replace table marts.import_dependency as select * from marts.import_dependency order by year")
    connection.close()
    again = publish("r2", two_years, previous="r1")
    assert again.reused == ("import_dependency",) and again.results == first.results and again.success
    assert _pages(tmp_path / "r2" / "data_docs") == _pages(tmp_path / "r1" / "data_docs") and len(_pages(tmp_path / "r1" / "data_docs")) == 1

    # One value changed (same row count, same columns): validated again, and the failure is named.
    one_value = tmp_path / "one_value.duckdb"
    shutil.copyfile(two_years, one_value)
    connection = duckdb.connect(str(one_value))
    connection.execute("update marts.import_dependency set china_share = 1.5 where year = 2023")
    connection.close()
    changed = publish("r3", one_value, previous="r2")
    assert changed.reused == () and changed.failed_count == 1
    assert changed.failures["import_dependency"] == ["expect_column_values_to_be_between(china_share): 1 unexpected, e.g. [1.5]"]
    # ... and its failure is what the next publish of the same rows reuses.
    kept = publish("r4", one_value, previous="r3")
    assert kept.reused == ("import_dependency",) and kept.failures == changed.failures

    # A changed suite: validated again.
    stricter = {"import_dependency": [*suites["import_dependency"],
                                      gx.expectations.ExpectColumnValuesToBeInSet(column="importer_iso3", value_set=["CAN"])]}
    strict = publish("r5", two_years, previous="r2", suites=stricter)
    assert strict.reused == () and strict.results == {"import_dependency": (total, total + 1)}

    # A kept result that cannot be read is a miss, not an error.
    (tmp_path / "r2" / VALIDATION_RESULTS / "import_dependency.json").write_text("{not json", encoding="utf-8")
    damaged = publish("r6", two_years, previous="r2")
    assert damaged.reused == () and damaged.results == first.results


LOADS = re.compile(r'<(?:script|img)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"')


def assert_site_is_self_contained(site: Path) -> int:
    """No page loads anything over http(s), and every local file a page loads is in the site; returns the count."""
    checked = 0
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for match in LOADS.finditer(text):
            target = next(group for group in match.groups() if group)
            assert not target.startswith(("http:", "https:", "//")), f"{page.relative_to(site)} loads {target}"
            local = (page.parent / target.split("?")[0]).resolve()
            assert local.is_file() and site.resolve() in local.parents, f"{page.relative_to(site)}: {target} missing"
            checked += 1
        assert not re.search(r"url\(['\"]?https?:", text), page
    for stylesheet in site.rglob("*.css"):
        assert not re.search(r"url\(['\"]?https?:", stylesheet.read_text(encoding="utf-8")), stylesheet
    return checked


def test_published_site_loads_nothing_from_the_internet(tmp_path):
    report = build_data_docs(_import_dependency(tmp_path / "good.duckdb"), tmp_path / "docs", _suite("import_dependency"))
    assert report.remote_urls == {}
    assert assert_site_is_self_contained(tmp_path / "docs") > 20
    fonts = tmp_path / "docs" / offline_site.SITE_VENDOR / "fontawesome-free-6.6.0" / "webfonts" / "fa-solid-900.woff2"
    assert fonts.is_file()  # the pass/fail icons


def test_gx_output_is_rewritten_and_an_unknown_cdn_is_reported(tmp_path):
    site = tmp_path / "site"
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    (site / "static" / "styles").mkdir()
    (site / "static" / "styles" / "s.css").write_text(f"a {{background: url('{offline_site.GX_IMAGES}full_logo_dark.png')}}")
    page = site / "validations" / "m" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>\n'
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" integrity="sha384-x" '
        'crossorigin="anonymous"></script>\n'
        f'<img src="{offline_site.GX_IMAGES}logo-long.png?d=1&dataContextId=2"/>\n'
        '<link rel="stylesheet" href="https://example.org/new-in-a-gx-upgrade.css">\n'
    )
    remaining = offline_site.make_offline(site)
    text = page.read_text()
    assert '<script src="../../static/vendor/jquery-3.7.1/jquery.min.js"></script>' in text
    assert '<script src="../../static/vendor/popper.js-1.12.9/popper.min.js"></script>' in text  # no SRI on file://
    assert "vega" not in text  # no chart on the page
    assert '<img src="../../static/images/logo-long.png"/>' in text
    assert "url('../images/logo-long.png')" in (site / "static" / "styles" / "s.css").read_text()
    assert remaining == {"validations/m/page.html": ["https://example.org/new-in-a-gx-upgrade.css"]}


def test_a_vendored_file_that_differs_from_its_manifest_is_refused(tmp_path, monkeypatch):
    vendor = tmp_path / "vendor"
    shutil.copytree(offline_site.VENDOR_DIR, vendor)
    offline_site.verify_vendor()  # the committed copy is intact
    (vendor / "jquery-3.7.1" / "jquery.min.js").write_text("alert('not jquery')")
    monkeypatch.setattr(offline_site, "VENDOR_DIR", vendor)
    monkeypatch.setattr(offline_site, "VENDOR_MANIFEST", vendor / "VENDOR.csv")
    with pytest.raises(ValueError, match="jquery.min.js: sha256"):
        offline_site.verify_vendor()


def test_index_lists_validations_in_a_browser_with_the_network_blocked(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    report = build_data_docs(_import_dependency(tmp_path / "good.duckdb"), tmp_path / "docs", _suite("import_dependency"))
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", '--host-resolver-rules=MAP * ~NOTFOUND',
         "--virtual-time-budget=5000", "--dump-dom", report.site_index.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    # bootstrap-table draws the validation rows from data in the page: without its script there is no row at all.
    rows = re.findall(r'<tr class="clickable-row" data-href="(validations/[^"]+)" data-index="\d+">(.*?)</tr>', dom, re.S)
    assert len(rows) == 1, dom[-3000:]
    href, cells = rows[0]
    assert "import_dependency" in href and (report.site_index.parent / href).is_file()
    assert "fa-check-circle" in cells and "marts.import_dependency" in cells
