"""Proof in a real browser: the hostile corpus's map and events table opened in headless Chromium,
every popup opened, payloads typed into the search and the table's filters. No dialog opens, no
payload sets a global, no request leaves the local host but for map tiles, and every payload a
reader should see is there as text."""

from __future__ import annotations

import csv
import io
import re

import pytest

import hostile_corpus
from browsing import open_page, serve

pytestmark = pytest.mark.browser

TILE_HOSTS = ("tile.openstreetmap.org", "basemaps.cartocdn.com", "server.arcgisonline.com")


@pytest.fixture(scope="module")
def site(hostile_build):
    assert hostile_build["result"].exit_code == 0, hostile_build["result"].output
    out = hostile_build["out"]
    events = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    with serve(out) as url:
        yield url, events


def watched(browser, url, wait_for_map=True):
    """A page whose errors include every dialog opened, from before it loads (see open_page)."""
    page, errors, outside = open_page(browser, url, wait_for_map)
    return page, errors, outside


def assert_nothing_ran(page, errors, outside):
    assert page.evaluate("() => window.pwned === undefined && window.parent.pwned === undefined")
    assert errors == []
    assert all(any(host in u for host in TILE_HOSTS) for u in outside), outside


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_popup_shows_its_payloads_as_text_and_runs_none(browser, site):
    url, events = site
    page, errors, outside = watched(browser, url)
    shown = []
    for event in events:
        page.evaluate("(id) => window.geomap.openEvent(id)", event["event_id"])
        page.wait_for_function("""(id) => Array.from(document.querySelectorAll('.leaflet-popup-content [data-event-id]'))
                                     .some(node => node.dataset.eventId === id)""", arg=event["event_id"])
        shown.append(page.locator(".leaflet-popup-content").last.inner_text())
    text = squeeze(" ".join(shown))
    for payload in hostile_corpus.VISIBLE + [hostile_corpus.VISIBLE_GEOCODED]:
        assert squeeze(payload) in text, payload
    # every popup of every layer, open or not: parsed by the page, none holds live markup
    live = page.evaluate("""() => {
      const found = [];
      window.geomap.map.eachLayer(layer => {
        const popup = layer.getPopup && layer.getPopup();
        let content = popup && popup.getContent();
        if (typeof content === 'function') content = content(layer);  // made when first opened
        if (!content || typeof content === 'string') return;
        content.querySelectorAll('*').forEach(node => {
          if (/^(SCRIPT|IMG|IFRAME|SVG|OBJECT|EMBED)$/i.test(node.tagName)) found.push(node.tagName);
          Array.from(node.attributes).forEach(a => { if (/^on/i.test(a.name)) found.push(a.name); });
          if (node.tagName === 'A' && !/^https?:/i.test(node.getAttribute('href') || '')) found.push(node.outerHTML);
        });
      });
      return found;
    }""")
    assert live == []
    assert_nothing_ran(page, errors, outside)
    page.close()


def test_payloads_typed_into_the_search_run_nothing(browser, site):
    url, _ = site
    page, errors, outside = watched(browser, url)
    search = page.locator("#gm-search")
    for payload in hostile_corpus.ALL + hostile_corpus.URLS:
        search.fill(payload)
        search.press("Enter")
    search.fill("{{ 7*7 }}")
    search.press("Enter")
    status = page.locator("#gm-search-status").inner_text()
    assert status.startswith("event: ") or "{{ 7*7 }}" in status, status  # found, and shown as typed
    page.wait_for_timeout(400)
    assert_nothing_ran(page, errors, outside)
    page.close()


def test_events_table_shows_payloads_as_text_and_its_filters_run_nothing(browser, site):
    url, events = site
    page, errors, outside = watched(browser, f"{url}/events.html", wait_for_map=False)
    page.wait_for_selector("#events tbody tr")
    body = squeeze(page.locator("body").inner_text())
    for payload in ("Raid {{ 7*7 }}", "<script>window.pwned='script'</script>", "{% if true %}yes{% endif %}"):
        assert squeeze(payload) in body, payload
    for field in ("#f-text", "#f-place"):
        for payload in hostile_corpus.ALL:
            page.fill(field, payload)
        page.fill(field, "")
    page.fill("#f-text", "{{ 7*7 }}")
    assert page.locator("#count").inner_text() != f"0 of {len(events)} events"
    page.fill("#f-text", "")
    assert page.locator("#events a[href^='javascript'], #events a[href^='data']").count() == 0
    assert_nothing_ran(page, errors, outside)
    page.close()


def test_a_link_from_the_table_opens_an_event_whose_file_name_has_url_characters(browser, site):
    url, events = site
    odd = next(e for e in events if e["doc"] == "R&D #1 100%.txt" and e["lat"])
    page, errors, outside = watched(browser, f"{url}/events.html", wait_for_map=False)
    page.locator(f"#events tr[data-id='{odd['event_id']}'] a.to-map").click()
    page.wait_for_function("() => window.geomap !== undefined")
    page.wait_for_function("""(id) => Array.from(document.querySelectorAll('.leaflet-popup-content [data-event-id]'))
                                 .some(node => node.dataset.eventId === id)""", arg=odd["event_id"])
    assert_nothing_ran(page, errors, outside)
    page.close()


def test_a_malformed_url_hash_does_not_stop_the_map_controls(browser, site):
    url, _ = site
    page, errors, outside = watched(browser, f"{url}/index.html#from=%E0%A4%A&event=constructor&to=%")
    assert page.locator("#gm-search").count() == 1 and page.locator(".gm-histogram").count() == 1
    assert_nothing_ran(page, errors, outside)
    page.close()
