"""Make a Great Expectations Data Docs site render without internet.

GX's page templates load Bootstrap, jQuery, bootstrap-table, Font Awesome and the GX logo from CDNs; offline the
index's validation list (drawn by bootstrap-table) stays empty and the pass/fail icons (Font Awesome) are missing.
The files are vendored in ``data_docs_vendor/`` (byte-identical to the CDN copies GX pins: the SRI hashes GX puts on
popper and bootstrap match; origin, version, licence and sha256 of each file in ``VENDOR.csv``). Publishing copies
them into ``static/vendor/`` of the site and points every page at them."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).with_name("data_docs_vendor")
VENDOR_MANIFEST = VENDOR_DIR / "VENDOR.csv"
SITE_VENDOR = "static/vendor"
GX_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
FALLBACK_LOGO = "logo-long.png"
# Vega draws the charts of distribution expectations only; none of our suites has one, so the scripts (0.8 MB,
# not vendored) are dropped from pages that draw no chart. A page that does keeps them and is reported.
CHART_SCRIPT = re.compile(r'\s*<script src="https://cdn\.jsdelivr\.net/npm/vega(?:-lite|-embed)?@\d+"></script>')
# Subresource attributes: a crossorigin request for a file:// page is refused by browsers, so local copies go without.
SRI_ATTRIBUTES = re.compile(r'\s+(?:integrity="[^"]*"|crossorigin="[^"]*")')
# What a page loads (as opposed to links it merely shows): scripts, stylesheets, images, CSS url().
LOADED_REMOTE = re.compile(
    r'<script[^>]*\ssrc="(https?://[^"]+)"|<link[^>]*\shref="(https?://[^"]+)"|<img[^>]*\ssrc="(https?://[^"]+)"'
    r"|url\(['\"]?(https?://[^'\")]+)"
)


@dataclass(frozen=True)
class VendoredFile:
    cdn_url: str
    local_file: str
    sha256: str


def vendored_files() -> list[VendoredFile]:
    with VENDOR_MANIFEST.open(newline="", encoding="utf-8") as handle:
        return [VendoredFile(row["cdn_url"], row["local_file"], row["sha256"]) for row in csv.DictReader(handle)]


def verify_vendor() -> None:
    """Fail before publishing a site whose vendored copy is not the recorded file."""
    for item in vendored_files():
        digest = hashlib.sha256((VENDOR_DIR / item.local_file).read_bytes()).hexdigest()
        if digest != item.sha256:
            raise ValueError(f"{VENDOR_DIR / item.local_file}: sha256 {digest}, VENDOR.csv says {item.sha256}")


def make_offline(site: Path) -> dict[str, list[str]]:
    """Rewrite the site in place to its local copies; returns the remote URLs a page still loads (page -> URLs)."""
    verify_vendor()
    files = vendored_files()
    shutil.copytree(VENDOR_DIR, site / SITE_VENDOR, dirs_exist_ok=True)
    remaining = {}
    for page in sorted(site.rglob("*.html")):
        up = "../" * (len(page.relative_to(site).parts) - 1)
        text = page.read_text(encoding="utf-8")
        for item in files:
            text = text.replace(f'"{item.cdn_url}"', f'"{up}{SITE_VENDOR}/{item.local_file}"')
        text = _local_images(text, f"{up}static/images/", site)
        text = SRI_ATTRIBUTES.sub("", text)
        text = _fix_static_depth(text, page, up)
        if "vegaEmbed(" not in CHART_SCRIPT.sub("", text):
            text = CHART_SCRIPT.sub("", text)
        page.write_text(text, encoding="utf-8")
        left = remote_loads(text)
        if left:
            remaining[str(page.relative_to(site))] = left
    for stylesheet in (site / "static" / "styles").glob("*.css"):
        text = _local_images(stylesheet.read_text(encoding="utf-8"), "../images/", site)
        stylesheet.write_text(text, encoding="utf-8")
        left = remote_loads(text)
        if left:
            remaining[str(stylesheet.relative_to(site))] = left
    return remaining


def _local_images(text: str, images: str, site: Path) -> str:
    """Point GX's logo URLs at its shipped copies. The bucket holds only logos; the dark theme's (full_logo_dark.png,
    in inline and file styles) is not shipped, so the light one stands in."""
    def local(match: re.Match) -> str:
        name = match.group(1)
        return images + (name if (site / "static" / "images" / name).exists() else FALLBACK_LOGO)

    # GX appends a cache-busting query (?d=…&dataContextId=…) to its logo URL.
    return re.sub(re.escape(GX_IMAGES) + r'([\w.-]+)(?:\?[^"\')]*)?', local, text)


def _fix_static_depth(text: str, page: Path, up: str) -> str:
    """GX counts one "../" too few for some links of validation pages (the favicon: ../../../../static/ from five
    folders down); re-anchor every static/ link that does not resolve at the site root."""
    def anchored(match: re.Match) -> str:
        path = match.group(2)
        if (page.parent / path).exists():
            return match.group(0)
        return f'{match.group(1)}="{up}static/{path.rsplit("static/", 1)[1]}"'

    return re.sub(r'(src|href)="((?:\.\./)*static/[^"?#]+)"', anchored, text)


def remote_loads(text: str) -> list[str]:
    return sorted({next(group for group in match.groups() if group) for match in LOADED_REMOTE.finditer(text)})
