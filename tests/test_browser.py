"""The built map in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pandas as pd
import pytest

from geomap.build import build
from geomap.settings import Settings

from conftest import write_doc

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# A 1x1 transparent PNG served for every tile request: the test never reaches the internet.
BLANK_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(seeds_build):
    """The seeds' build served over HTTP on 127.0.0.1."""
    with _serve(seeds_build.out_dir) as url:
        yield url, seeds_build.out_dir


class _serve:
    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _open(browser, url):
    """A page with every non-local request recorded and answered locally (tiles get a blank PNG)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(request_route):
        request_url = request_route.request.url
        if request_url.startswith("http://127.0.0.1"):
            request_route.continue_()
        else:
            outside.append(request_url)
            request_route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route("**/*", route)
    page.goto(f"{url}/index.html")
    page.wait_for_function("() => window.L !== undefined && document.querySelector('.leaflet-container')")
    page.wait_for_timeout(500)
    return page, errors, outside


def _layer_counts(page):
    return page.evaluate("""() => {
      const map = window[document.querySelector('.folium-map').id];
      let events = 0, circles = 0, markers = 0;
      map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) events += layer.getLayers().length;
        else if (layer instanceof L.CircleMarker) circles += 1;
        else if (layer instanceof L.Marker && !layer.__parent) markers += 1;
      });
      return {events, circles, markers};
    }""")


def test_map_loads_offline_and_draws_what_the_exports_hold(browser, served, repo):
    url, out = served
    page, errors, outside = _open(browser, url)
    assert page.evaluate("typeof L.MarkerClusterGroup") == "function"
    assert errors == []
    events = pd.read_csv(out / "events.csv")
    places = json.loads((out / "places.geojson").read_text())
    counts = _layer_counts(page)
    assert counts["events"] == int(events["lat"].notna().sum())
    assert counts["circles"] == len(places["features"])
    assert all(not u.startswith("http://127.0.0.1") for u in outside)
    assert all(_is_tile(u) for u in outside), [u for u in outside if not _is_tile(u)]
    shot = repo / "docs" / "img" / "map.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    page.close()


def _is_tile(url: str) -> bool:
    return any(host in url for host in ("tile.openstreetmap.org", "basemaps.cartocdn.com", "arcgisonline.com"))


def test_clicked_event_marker_shows_its_quote_as_text(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv").dropna(subset=["lat"])
    event = events[events["place_id"] == "kh-ream-naval-base"].iloc[0]
    page, errors, _ = _open(browser, url)
    _click_event(page, event["event_id"])
    content = page.locator(".leaflet-popup-content")
    content.wait_for()
    assert event["quote"] in content.inner_text()
    assert "Ream Naval Base" in content.inner_text()
    assert errors == []
    page.close()


def _click_event(page, event_id: str) -> None:
    """Zoom until the marker leaves its cluster, then click it with the mouse like a person."""
    page.evaluate("""(eventId) => new Promise(resolve => {
      const map = window[document.querySelector('.folium-map').id];
      map.eachLayer(layer => {
        if (!(layer instanceof L.MarkerClusterGroup)) return;
        layer.getLayers().forEach(marker => {
          const html = marker.getPopup() && marker.getPopup().getContent();
          const text = typeof html === 'string' ? html : (html && html.outerHTML) || '';
          if (text.includes('data-event-id="' + eventId + '"')) {
            layer.zoomToShowLayer(marker, () => { marker._icon.setAttribute('data-test-target', '1'); resolve(); });
          }
        });
      });
    })""", event_id)
    page.locator("[data-test-target='1']").first.click()


def test_document_text_is_escaped_in_popups(browser, tmp_path, repo):
    seeds = tmp_path / "seeds"
    hostile = ('Police raided a compound in Sihanoukville <img src=x onerror="window.pwned=1"> '
               '${window.pwned=2} `x` </script><script>window.pwned=3</script>.')
    write_doc(seeds, "hostile.txt", "---\ntitle: <b>Bold</b> title\npublished: 2024-05-01\n---\n" + hostile + "\n")
    out = tmp_path / "maps"
    build(Settings(seeds_dir=seeds, gazetteer_dir=repo / "gazetteer", out_dir=out, show_progress=False))
    events = pd.read_csv(out / "events.csv")
    assert list(events["type"]) == ["raid"]
    with _serve(out) as url:
        page, errors, _ = _open(browser, url)
        _click_event(page, events["event_id"][0])
        content = page.locator(".leaflet-popup-content")
        content.wait_for()
        text = content.inner_text()
        assert '<img src=x onerror="window.pwned=1">' in text
        assert "${window.pwned=2}" in text
        assert "<b>Bold</b> title" in text
        assert content.locator("img, script").count() == 0
        assert page.evaluate("window.pwned === undefined")
        assert errors == []
        page.close()
