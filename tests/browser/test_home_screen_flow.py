"""The site can be put on a phone's home screen: Chromium reads a web app manifest with
icons and finds nothing wrong with it (no offline promise: there is no service worker)."""

import json
import struct

from playwright.sync_api import Page

from tests.conftest import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"


def test_chromium_reads_the_manifest_without_errors(live_server, page: Page):
    page.goto(live_server.url)
    session = page.context.new_cdp_session(page)

    manifest = session.send("Page.getAppManifest")

    assert manifest["url"].endswith("/static/manifest.webmanifest")
    assert manifest["errors"] == []
    parsed = json.loads(manifest["data"])
    assert parsed["start_url"] == "/day/" and parsed["display"] == "standalone"
    for icon in parsed["icons"]:
        response = page.request.get(f"{live_server.url}/static/{icon['src']}")
        assert response.status == 200, icon["src"]
        assert response.headers["content-type"] == icon["type"]
    installable = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where Chromium installs nothing: that is the
    # test browser's, not the site's.
    assert [error["errorId"] for error in installable if error["errorId"] != "in-incognito"] == []


def test_the_icons_are_the_sizes_the_manifest_says():
    parsed = json.loads((STATIC / "manifest.webmanifest").read_text())
    for icon in parsed["icons"]:
        if icon["type"] != "image/png":
            continue
        header = (STATIC / icon["src"]).read_bytes()[:24]
        width, height = struct.unpack(">II", header[16:24])  # the PNG's IHDR chunk
        assert icon["sizes"] == f"{width}x{height}"
