"""What the report holds, by name: its figures' titles and the folder of their thumbnails. Kept apart from build.py
so the code location can describe the report asset without importing matplotlib (~0.5 s in every process that
loads it: webserver, daemon, each run, `make run`)."""

THUMBNAIL_DIR = "thumbnails"
FIGURE_TITLES = {
    "china_share_hhi": "US imports: China share and supplier HHI over time (USITC DataWeb, annual)",
    "measures_timeline": "US imports from China with export-control effective dates",
    "event_studies": "Event studies: imports from the restricting country, indexed to the pre-period mean (=100)",
    "world_production_china_share": "China's share of world production (USGS MCS 2026)",
    "chip_equipment_supplier_shares": "China's imports of chip-making equipment (HS07 8486): supplier shares, with the "
                                      "US, Japanese and Dutch controls (CEPII BACI, FOB)",
    "chip_equipment_imports_by_supplier": "China's imports of chip-making equipment (HS07 8486) by supplier, USD billion "
                                          "(CEPII BACI, FOB)",
    "chip_equipment_claim_check": "The '$38 billion' claim beside China's HS 8486 imports: two different measures",
    "monthly_event_windows": "Monthly imports from China of the goods in scope of China's major measures: quantity and "
                             "unit value around the effective date (UK HMRC, Brazil Comex Stat)",
}
