"""The built map in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geomap.build import build
from geomap.settings import Settings

from browsing import open_page, serve
from conftest import write_doc

pytestmark = pytest.mark.browser

# a screen wide enough for the layer panel to be open at first (it is a button under 1400 px)
WIDE = {"width": 1600, "height": 900}


@pytest.fixture(scope="module")
def served(seeds_build):
    """The seeds' build served over HTTP on 127.0.0.1."""
    with serve(seeds_build.out_dir) as url:
        yield url, seeds_build.out_dir


def _layer_counts(page):
    return page.evaluate("""() => {
      const map = window.geomap.map;
      let events = 0, places = 0;
      map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) events += layer.getLayers().length;
        else if (layer.options && layer.options.className === 'gm-place') places += 1;
      });
      // events placed only to an area are counted by the area's badge
      const inAreas = window.geomap.areas.reduce((n, area) => n + area.ids.length, 0);
      return {events: events + inAreas, places, inAreas};
    }""")


def _visible_things(page) -> int:
    """What is drawn: the layers on the map (marker icons, clusters, each vector shape the canvas
    paints, the heat map). Vectors are painted on one canvas, so the DOM does not count them."""
    return page.evaluate("() => { let n = 0; window.geomap.map.eachLayer(() => { n += 1; }); return n; }")


def _drawn_count_becomes(page, wanted, seconds: float = 5.0) -> bool:
    """Whether what is drawn reaches a wanted count within a few seconds (polled every 50 ms)."""
    for _ in range(int(seconds / 0.05)):
        if wanted(_visible_things(page)):
            return True
        page.wait_for_timeout(50)
    return wanted(_visible_things(page))


def test_map_loads_offline_and_draws_what_the_exports_hold(browser, served, repo):
    url, out = served
    page, errors, outside = open_page(browser, url)
    assert page.evaluate("typeof L.MarkerClusterGroup") == "function"
    assert errors == []
    events = pd.read_csv(out / "events.csv")
    places = json.loads((out / "places.geojson").read_text())
    counts = _layer_counts(page)
    assert counts["events"] == int((events["lat"].notna() & (events["kind"] == "event")).sum())
    assert counts["places"] == len(places["features"])
    assert all(not u.startswith("http://127.0.0.1") for u in outside)
    assert outside and all(_is_tile(u) for u in outside), [u for u in outside if not _is_tile(u)]
    page.close()


def test_offline_base_layer_makes_no_request_at_all(browser, served):
    url, _ = served
    page, errors, outside = open_page(browser, url, viewport=WIDE)
    page.get_by_text("Offline: outlines only (no tiles)").click()
    page.wait_for_timeout(300)
    outside.clear()
    page.evaluate("void window.geomap.map.setView([11.5, 104.9], 8)")
    page.wait_for_timeout(800)
    assert outside == []
    outlines = page.evaluate("""() => { let n = 0; window.geomap.map.eachLayer(l => {
      if (l instanceof L.Polygon && l._renderer instanceof L.Canvas) n += 1; }); return n; }""")
    assert outlines > 20
    assert errors == []
    page.close()


def test_each_overlay_toggles_what_is_drawn(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    page.evaluate("void window.geomap.map.setView([11.8, 104.5], 7)")
    page.wait_for_timeout(500)
    overlays = page.locator(".leaflet-control-layers-overlays > label")  # not the switch of all event types
    names = [overlays.nth(i).inner_text().strip() for i in range(overlays.count())]
    for expected in ("Places mentioned", "Scam compounds", "Border towns", "Events: raid", "Events per province",
                     "Heat map of events", "Needs review", "Outlines"):
        assert any(name.startswith(expected) for name in names), (expected, names)
    for index, name in enumerate(names):
        if name.startswith("Needs review (0 placed"):
            continue  # nothing to draw for the seeds: every mention is resolved by the gazetteer
        before = _visible_things(page)
        checkbox = overlays.nth(index).locator("input")
        checkbox.click()
        assert _drawn_count_becomes(page, lambda n: n != before), f"{name}: nothing drawn or removed"
        checkbox.click()
        assert _drawn_count_becomes(page, lambda n: n == before), f"{name}: not back to {before} things"
    assert errors == []
    page.close()


def _is_tile(url: str) -> bool:
    return any(host in url for host in ("tile.openstreetmap.org", "basemaps.cartocdn.com", "arcgisonline.com"))


def test_clicked_event_marker_shows_its_quote_and_source(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    event = events[events["place_id"] == "kh-ream-naval-base"].iloc[0]
    page, errors, _ = open_page(browser, url)
    _click_event(page, event["event_id"])
    content = page.locator(".leaflet-popup-content")
    content.wait_for()
    text = content.inner_text()
    assert event["quote"] in text
    assert "Ream Naval Base" in text and "resolved by gazetteer" in text
    assert event["title"] in text and f"{event['date']} ({event['date_precision']})" in text
    trigger = content.locator("mark.gm-trigger").first.inner_text()
    assert trigger == event["trigger"]
    assert content.locator("mark.gm-place").first.inner_text() == event["place_surface"]
    assert errors == []
    page.close()


_AREAS = """() => { const radii = []; window.geomap.map.eachLayer(l => {
  if (l instanceof L.Circle && l.options.className === 'gm-area') radii.push(Math.round(l.getRadius())); });
  return radii; }"""


def test_an_approximate_event_shows_its_area_only_while_hovered_or_open(browser, served):
    """No precision circle is drawn at load; an approximate event's appears under the mouse and
    while its popup is open, and goes with them."""
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    placed = events[(events["kind"] == "event") & (events["lat"] != "")
                    & ~events["place_kind"].isin(["country", "province", "region", "water"])]  # not an area's badge
    alone = placed.groupby(["lat", "lon"])["event_id"].transform("count") == 1  # no other marker on it
    event = placed[alone & (placed["precision_km"].astype(float) > 2)].sort_values("event_id").iloc[0]
    radius = round(float(event["precision_km"]) * 1000)
    page, errors, _ = open_page(browser, url)
    assert page.evaluate(_AREAS) == []
    _click_event(page, event["event_id"])
    page.locator(".leaflet-popup-content").wait_for()
    assert page.evaluate(_AREAS) == [radius]
    page.evaluate("void window.geomap.map.closePopup()")
    page.mouse.move(5, 400)
    assert page.evaluate(_AREAS) == []
    page.locator("[data-test-target='1']").first.hover()
    assert page.evaluate(_AREAS) == [radius]
    page.mouse.move(5, 400)
    assert page.evaluate(_AREAS) == []
    assert errors == []
    page.close()


def test_search_finds_sihanoukville_and_zooms_there(browser, served):
    url, out = served
    page, errors, _ = open_page(browser, url)
    box = page.locator("#gm-search")
    options = "() => Array.from(document.querySelectorAll('#gm-search-list option'), o => o.value)"
    assert page.evaluate(options) == []  # suggestions are made as one types, not one per entry at load
    box.fill("s")
    assert len(page.evaluate(options)) == 20
    box.fill("Sihanoukville")
    assert page.evaluate(options)[0] == "Sihanoukville"
    box.press("Enter")
    page.wait_for_timeout(600)
    center = page.evaluate("(() => { const c = window.geomap.map.getCenter(); return [c.lat, c.lng]; })()")
    zoom = page.evaluate("window.geomap.map.getZoom()")
    assert abs(center[0] - 10.61) < 0.2 and abs(center[1] - 103.53) < 0.2 and zoom >= 10
    assert "Sihanoukville" in page.locator("#gm-search-status").inner_text()
    box.fill("Prince Holding Group")  # an actor: opens an event that names it
    box.press("Enter")
    # (the popup naming the place found before fades out while the event's opens)
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.leaflet-popup-content'))
                                .some(p => p.textContent.includes('Prince Holding Group'))""")
    # words of a source's quote find its event
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    placed = events[(events["kind"] == "event") & (events["lat"] != "")].sort_values("event_id")
    words = " ".join(placed.iloc[0]["quote"].split()[3:8])
    box.fill(words)
    box.press("Enter")
    assert page.locator("#gm-search-status").inner_text().startswith("event: ")
    page.wait_for_function("""(words) => Array.from(document.querySelectorAll('.leaflet-popup-content .gm-quote'))
                                .some(quote => quote.textContent.includes(words))""", arg=words)
    assert errors == []
    page.close()


def _expected_visible(events: pd.DataFrame, start: str, end: str) -> list[str]:
    ids = []
    for row in events.itertuples():
        if row.lat == "" or row.kind != "event":
            continue
        first, last = row.date_start, row.date_end  # the window
        if first and last >= start and first <= end:
            ids.append(row.event_id)
    return sorted(ids)


def test_date_filter_hides_events_outside_the_range_and_reads_the_url(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    page, errors, _ = open_page(browser, url)
    total = len(page.evaluate("window.geomap.visibleEventIds()"))
    page.locator("#gm-from").fill("2022-01")
    page.locator("#gm-to").fill("2022-12")
    page.locator("#gm-to").dispatch_event("change")
    page.wait_for_timeout(300)
    visible = page.evaluate("window.geomap.visibleEventIds()")
    assert visible == _expected_visible(events, "2022-01-01", "2022-12-31")
    assert 0 < len(visible) < total
    assert "&from=2022-01&to=2022-12" in page.evaluate("window.location.hash")
    page.close()

    page, errors2, _ = open_page(browser, url + "/index.html#from=2025-10&to=2025-10")
    visible = page.evaluate("window.geomap.visibleEventIds()")
    assert visible == _expected_visible(events, "2025-10-01", "2025-10-31") and visible
    assert page.locator("#gm-from").input_value() == "2025-10"
    page.locator("#gm-reset").click()
    assert len(page.evaluate("window.geomap.visibleEventIds()")) == total
    assert errors == [] and errors2 == []
    page.close()


def test_events_table_sorts_filters_and_links_to_the_map(browser, served, repo):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    page, errors, outside = open_page(browser, f"{url}/events.html", wait_for_map=False)
    rows = page.locator("#events tbody tr")
    assert rows.count() == len(events)
    opening = page.eval_on_selector_all("#events tbody tr", "rows => rows.map(r => r.dataset.start)")
    assert opening == sorted(opening, key=lambda start: (not start, start))  # by date, undated last
    page.locator("th[data-key=date]").click()
    starts = [s for s in page.eval_on_selector_all("#events tbody tr", "rows => rows.map(r => r.dataset.start)")]
    assert starts == sorted(starts)
    page.locator("th[data-key=date]").click()
    starts = page.eval_on_selector_all("#events tbody tr", "rows => rows.map(r => r.dataset.start)")
    assert starts == sorted(starts, reverse=True)
    page.locator("#f-type").select_option("arrest")
    shown = page.eval_on_selector_all("#events tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)")
    assert sorted(shown) == sorted(events[events["type"] == "arrest"]["event_id"])
    page.locator("#f-type").select_option("")
    page.locator("#f-text").fill("Ream Naval Base")
    shown = page.eval_on_selector_all("#events tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)")
    by_id = events.set_index("event_id")
    assert shown and all("Ream Naval Base" in by_id.loc[i, "quote"] + by_id.loc[i, "place_name"] for i in shown)
    page.locator("#f-text").fill("")
    # one page at a time: 25 rows, then the rest on the next page
    page.locator("#f-page-size").select_option("25")
    visible = "#events tbody tr:not([hidden])"
    assert page.locator(visible).count() == 25 and page.locator("#page").inner_text() == \
        f"page 1 of {-(-len(events) // 25)}"
    assert page.locator("#events tbody tr").count() == 25  # the other pages' rows are not made at all
    assert page.locator("#page-prev").is_disabled()
    first_page = page.eval_on_selector_all(visible, "rows => rows.map(r => r.dataset.id)")
    page.locator("#page-next").click()
    second_page = page.eval_on_selector_all(visible, "rows => rows.map(r => r.dataset.id)")
    assert len(second_page) == min(25, len(events) - 25) and not set(first_page) & set(second_page)
    page.locator("#f-page-size").select_option("100")
    assert page.locator("#page").inner_text() == "page 1 of 1"
    page.screenshot(path=str(repo / "docs" / "img" / "events.png"))
    target = shown[0]
    page.locator(f"tr[data-id='{target}'] a.to-map").click()
    page.wait_for_function("() => window.geomap !== undefined")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(f"[data-event-id='{target}']").count() == 1
    assert errors == []
    assert all(_is_tile(u) for u in outside)
    page.close()


def _click_event(page, event_id: str) -> None:
    """Zoom in on the marker, spread its cluster if it still has one, then click it with the mouse
    like a person."""
    page.evaluate("""(eventId) => new Promise(resolve => {
      const app = window.geomap, event = app.events[eventId], map = app.map;
      const mark = () => { event.marker._icon.setAttribute('data-test-target', '1'); resolve(); };
      map.setView(event.marker.getLatLng(), 17, {animate: false});
      setTimeout(() => {
        if (event.marker._icon) return mark();
        event.cluster.once('spiderfied', mark);
        event.cluster.getVisibleParent(event.marker).spiderfy();
      }, 100);
    })""", event_id)
    page.locator("[data-test-target='1']").first.click()


def test_document_text_is_escaped_in_popups(browser, tmp_path, repo):
    seeds = tmp_path / "seeds"
    hostile = ('Police raided a compound in Sihanoukville <img src=x onerror="window.pwned=1"> '
               '${window.pwned=2} `x` </script><script>window.pwned=3</script>.')
    write_doc(seeds, "hostile.txt", "---\ntitle: <b>Bold</b> title\npublished: 2024-05-01\n---\n" + hostile + "\n")
    out = tmp_path / "maps"
    build(Settings(seeds_dir=seeds, gazetteer_dir=repo / "gazetteer", out_dir=out))
    events = pd.read_csv(out / "events.csv")
    assert list(events["type"]) == ["raid"]
    with serve(out) as url:
        page, errors, _ = open_page(browser, url)
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


def test_needs_review_layer_shows_fallback_mentions(browser, tmp_path, repo):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "a.txt", "---\npublished: 2024-05-01\n---\nPolice raided a casino in Poipet.\n"
                              "Victims were later flown home to Lyon.\n")
    out = tmp_path / "maps"
    build(Settings(seeds_dir=seeds, gazetteer_dir=repo / "gazetteer", out_dir=out))
    with serve(out) as url:
        page, errors, _ = open_page(browser, url, viewport=WIDE)
        label = page.locator(".leaflet-control-layers-overlays label", has_text="Needs review (1 placed")
        before = _visible_things(page)
        label.locator("input").click()
        page.wait_for_timeout(300)
        assert _visible_things(page) == before + 2  # the layer and its one marker
        page.evaluate("void window.geomap.map.setView([45.76, 4.84], 9, {animate: false})")  # Lyon
        page.wait_for_timeout(300)
        page.locator(".leaflet-marker-icon", has_text="?").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "Needs review: fallback" in popup.inner_text() and "Lyon" in popup.inner_text()
        assert errors == []
        page.close()


def _movement_lines(page) -> list[dict]:
    return page.evaluate("""() => {
      const lines = [];
      window.geomap.map.eachLayer(layer => {
        if (layer instanceof L.Polyline && layer.options.gmLeg && window.geomap.map.hasLayer(layer))
          lines.push({id: layer.options.gmId, leg: layer.options.gmLeg, weight: layer.options.weight,
                      points: layer.getLatLngs().map(p => [p.lat, p.lng])});
      });
      return lines;
    }""")


def test_movements_draw_each_origin_and_destination_and_cite_the_source(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    moving = events[(events["kind"] == "event") & (events["lat"] != "")
                    & ((events["origin_ids"] != "") | (events["destination_ids"] != ""))]
    expected = sorted((row.event_id, "from") for row in moving.itertuples() for _ in row.origin_ids.split("; ") if _) \
        + sorted((row.event_id, "to") for row in moving.itertuples() for _ in row.destination_ids.split("; ") if _)
    assert expected, "the seeds have events with origins or destinations"
    page, errors, _ = open_page(browser, url)
    lines = _movement_lines(page)
    assert sorted((line["id"], line["leg"]) for line in lines) == sorted(expected)
    for line in lines:  # every line ends (from) or starts (to) at its event's place
        row = moving[moving["event_id"] == line["id"]].iloc[0]
        here = [round(float(row["lat"]), 4), round(float(row["lon"]), 4)]
        end = line["points"][-1] if line["leg"] == "from" else line["points"][0]
        assert [round(end[0], 4), round(end[1], 4)] == here

    first = lines[0]
    page.evaluate("""id => { window.geomap.map.eachLayer(layer => {
        if (layer instanceof L.Polyline && layer.options.gmId === id && !window.geomap.map.hasLayer(layer.getPopup?.() || {}))
          { window.geomap.map.fitBounds(layer.getBounds()); layer.openPopup(); }
      }); }""", first["id"])
    content = page.locator(".leaflet-popup-content").first
    content.wait_for()
    row = moving[moving["event_id"] == first["id"]].iloc[0]
    assert row["quote"] in content.inner_text()
    assert ("People from" in content.inner_text()) == bool(row["origin_ids"])

    # the time filter hides the lines of events outside the range, and the reset brings them back
    page.locator("#gm-from").fill("1990-01")
    page.locator("#gm-to").fill("1990-12")
    page.locator("#gm-to").dispatch_event("change")
    page.wait_for_timeout(300)
    assert _movement_lines(page) == []
    page.locator("#gm-reset").click()
    assert len(_movement_lines(page)) == len(lines)
    assert errors == []
    page.close()


def test_context_switched_on_later_follows_the_date_filter(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    context = events[(events["kind"] == "context") & (events["lat"] != "")]
    assert len(context) > 0, "the seeds have placed context"
    page, errors, _ = open_page(browser, url, viewport=WIDE)

    def context_points():
        return page.evaluate("""() => { let n = 0; window.geomap.map.eachLayer(l => {
            if (l instanceof L.CircleMarker && l.options.gmContext) n += 1; }); return n; }""")

    assert context_points() == 0  # off by default
    page.locator("#gm-from").fill("1990-01")
    page.locator("#gm-to").fill("1990-12")
    page.locator("#gm-to").dispatch_event("change")
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Context:")
    label.locator("input").check()
    page.wait_for_timeout(300)
    assert context_points() == 0  # switched on, but nothing of 1990
    page.locator("#gm-reset").click()
    assert context_points() == len(context)
    assert errors == []
    page.close()


# --- the map's second pass: the layer panel, the legend, a view to share, time in motion, search ---

def _panel_open(page) -> bool:
    return page.evaluate("window.geomap.layersOpen()")


@pytest.mark.parametrize("width,height,open_at_first", [(1600, 900, True), (1280, 800, False), (1024, 640, False),
                                                        (390, 844, False)])
def test_the_layer_panel_is_a_button_on_screens_under_1400_px(browser, served, width, height, open_at_first):
    url, _ = served
    page, errors, _ = open_page(browser, url, viewport={"width": width, "height": height})
    assert _panel_open(page) is open_at_first
    if not open_at_first:
        box = page.locator(".leaflet-control-layers").bounding_box()
        assert box["width"] < 60 and box["height"] < 60  # only the button covers the map
        page.locator(".leaflet-control-layers-toggle").click()
        assert _panel_open(page)
        page.locator("#gm-fold-layers").click()
        assert not _panel_open(page)
        page.locator(".leaflet-control-layers-toggle").focus()
        page.keyboard.press("Enter")  # reachable by keyboard
        assert _panel_open(page)
        page.keyboard.press("Escape")
        assert not _panel_open(page)
    assert errors == []
    page.close()


def test_the_layer_panel_is_grouped_and_one_switch_turns_every_event_type(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    heads = page.locator(".gm-layer-group").all_inner_texts()
    assert [h.strip() for h in heads] == ["Areas", "Places", "Events (all types)", "Context", "For editors"]
    total = len(page.evaluate("window.geomap.visibleEventIds()"))
    assert total > 0
    page.locator("#gm-all-events").uncheck()
    assert page.evaluate("window.geomap.visibleEventIds()") == []
    page.locator("#gm-all-events").check()
    assert len(page.evaluate("window.geomap.visibleEventIds()")) == total
    # a popup opens clear of the open panel
    padding = page.evaluate("L.Popup.prototype.options.autoPanPaddingTopRight.x")
    panel = page.locator(".leaflet-control-layers").bounding_box()
    assert padding >= panel["width"]
    assert errors == []
    page.close()


def test_the_legend_explains_every_event_type_on_the_map_and_folds(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    shown_types = set(events[(events["kind"] == "event") & (events["lat"] != "")]["type"])
    page, errors, _ = open_page(browser, url)
    legend = page.locator("#gm-legend")
    assert not legend.evaluate("d => d.open")  # folded at first
    page.locator("#gm-legend summary").click()
    assert legend.evaluate("d => d.open")
    from geomap import event_types

    labels = {event_types.event_type(t).label for t in shown_types}
    text = page.locator(".gm-legend-body").inner_text()
    for label in labels:
        assert label in text
    for symbol in ("ring: placed only", "dashed circle", "dashed rim", "scam compound", "dashed: from where",
                   "solid: from the event"):
        assert symbol in text
    assert page.locator(".gm-legend-scale i").count() == 6
    assert errors == []
    page.close()


def test_the_url_holds_the_view_and_a_link_opens_the_same_view(browser, served):
    url, out = served
    page, errors, _ = open_page(browser, url)
    page.evaluate("void window.geomap.map.setView([11.55, 104.92], 9, {animate: false})")
    page.locator(".leaflet-control-layers-toggle").click()
    page.locator("label", has_text="Border towns and crossings").locator("input").check()
    page.locator("label", has_text="Events: statement").locator("input").uncheck()
    page.locator("#gm-from").fill("2022-01")
    page.locator("#gm-to").fill("2025-12")
    page.locator("#gm-to").dispatch_event("change")
    hash_ = page.evaluate("window.location.hash")
    assert hash_.startswith("#map=9/11.55")
    assert "border-towns-and-crossings" in hash_ and "events-statement" not in hash_ and "events-raid" in hash_
    assert "from=2022-01&to=2025-12" in hash_
    visible = page.evaluate("window.geomap.visibleEventIds()")
    page.close()

    again, errors2, _ = open_page(browser, url + "/index.html" + hash_)
    assert again.evaluate("window.geomap.map.getZoom()") == 9
    center = again.evaluate("(() => { const c = window.geomap.map.getCenter(); return [c.lat, c.lng]; })()")
    assert abs(center[0] - 11.55) < 0.01 and abs(center[1] - 104.92) < 0.01
    assert again.evaluate("window.geomap.visibleEventIds()") == visible
    keys = again.evaluate("window.geomap.layerEntries().filter(e => e.overlay && window.geomap.map.hasLayer(e.layer))"
                          ".map(e => e.key)")
    assert "border-towns-and-crossings" in keys and "events-statement" not in keys
    # the open event is in the link too, and leaves it when its popup closes
    first = visible[0]
    again.evaluate(f"window.geomap.openEvent({json.dumps(first)})")
    again.locator(".leaflet-popup-content").wait_for()
    again.wait_for_function("(id) => window.location.hash.includes('event=' + encodeURIComponent(id))", arg=first)
    again.evaluate("void window.geomap.map.closePopup()")
    assert "event=" not in again.evaluate("window.location.hash")
    assert errors == [] and errors2 == []
    again.close()


def test_copy_link_copies_the_view(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page.evaluate("void window.geomap.map.setView([13.65, 102.56], 10, {animate: false})")
    page.locator("#gm-copy-link").click()
    page.wait_for_function("() => document.getElementById('gm-share-status').textContent !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.evaluate("window.location.href") and "#map=10/13.65" in copied
    assert errors == []
    page.close()


def test_download_gives_the_events_in_the_window_and_the_view(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    page, errors, _ = open_page(browser, url)
    page.evaluate("void window.geomap.map.setView([11.0, 104.0], 7, {animate: false})")
    page.evaluate("window.geomap.setRange('2022-01', '2025-12')")
    bounds = page.evaluate("(() => { const b = window.geomap.map.getBounds(); "
                           "return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()")
    expected = [i for i in _expected_visible(events, "2022-01-01", "2025-12-31")
                if bounds[0] <= float(events.set_index("event_id").loc[i, "lat"]) <= bounds[2]
                and bounds[1] <= float(events.set_index("event_id").loc[i, "lon"]) <= bounds[3]]
    assert expected and len(expected) < len(_expected_visible(events, "0000", "9999"))
    with page.expect_download() as csv_download:
        page.locator("#gm-download-csv").click()
    shown = pd.read_csv(csv_download.value.path(), keep_default_na=False, dtype=str)
    assert sorted(shown["event_id"]) == expected
    row = shown.iloc[0]
    source = events.set_index("event_id").loc[row["event_id"]]
    assert (row["type"], row["date_start"], row["date_end"]) == (source["type"], source["date_start"], source["date_end"])
    assert source["quote"] in row["quotes"]
    with page.expect_download() as geojson_download:
        page.locator("#gm-download-geojson").click()
    collection = json.loads(open(geojson_download.value.path(), encoding="utf-8").read())
    assert sorted(f["properties"]["event_id"] for f in collection["features"]) == expected
    assert errors == []
    page.close()


def test_play_steps_the_window_month_by_month(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    months = page.evaluate("window.geomap.config.histogram.map(b => b.month)")
    page.evaluate("""() => { const app = window.geomap; app.playDelay = 20; app.seen = [];
                             const setRange = app.setRange.bind(app);
                             app.setRange = (from, to, keep) => { app.seen.push(from + '/' + to); setRange(from, to, keep); }; }""")
    page.locator("#gm-play").click()
    page.wait_for_function("() => !window.geomap.playing", timeout=20000)
    assert page.evaluate("window.geomap.seen") == [f"{m}/{m}" for m in months]
    assert page.locator("#gm-play").get_attribute("aria-pressed") == "false"
    assert errors == []
    page.close()


def test_search_shows_what_it_found_even_when_its_layer_is_off(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    assert not page.evaluate("window.geomap.layerEntries().some(e => e.key === 'border-towns-and-crossings' "
                             "&& window.geomap.map.hasLayer(e.layer))")
    page.locator("#gm-search").fill("Poipet")
    page.locator("#gm-search").press("Enter")
    page.locator(".gm-found").wait_for()
    assert "Poipet" in page.locator(".leaflet-popup-content").inner_text()
    found = page.locator(".gm-found").bounding_box()
    size = page.viewport_size
    # the ring is at the middle of the view, where the map centred on the place found
    assert abs(found["x"] + found["width"] / 2 - size["width"] / 2) < 30
    assert abs(found["y"] + found["height"] / 2 - size["height"] / 2) < 30
    assert errors == []
    page.close()


def test_a_month_of_the_histogram_is_chosen_with_the_keyboard(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    bar = page.locator(".gm-histogram rect[data-month]").last
    month = bar.get_attribute("data-month")
    bar.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("[window.geomap.range.from, window.geomap.range.to]") == [month, month]
    assert errors == []
    page.close()


AREA_KINDS = ("country", "province", "region", "water")


def _area_events(out) -> pd.DataFrame:
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    return events[(events["kind"] == "event") & (events["lat"] != "") & events["place_kind"].isin(AREA_KINDS)]


def _badges(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(window.geomap.areas
      .filter(a => a.group.hasLayer(a.badge) && window.geomap.map.hasLayer(a.group))
      .map(a => [a.id, Number(a.badge._icon ? a.badge._icon.textContent : a.count)]))""")


def test_events_placed_only_to_an_area_are_one_badge_with_a_count_per_area(browser, served):
    url, out = served
    area_events = _area_events(out)
    expected = area_events.groupby("place_id").size().to_dict()
    assert expected.get("kh", 0) > 5, "the seeds place many events only to Cambodia"
    page, errors, _ = open_page(browser, url)
    page.evaluate("void window.geomap.map.setView([12.5, 104.5], 6, {animate: false})")
    assert _badges(page) == expected
    # none of them is a marker of a cluster: no pile of identical icons on the country's point
    clustered = page.evaluate("""() => { const ids = []; window.geomap.map.eachLayer(l => {
      if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => ids.push(m.options.gmId)); }); return ids; }""")
    assert not set(clustered) & set(area_events["event_id"])
    badge = page.locator(".gm-badge-icon[title^='Cambodia']")
    badge.hover()
    outlined = "() => { let n = 0; window.geomap.map.eachLayer(l => { if (l.options && l.options.className === 'gm-area-outline') n += 1; }); return n; }"
    assert page.evaluate(outlined) > 0
    page.mouse.move(5, 400)
    assert page.evaluate(outlined) == 0
    badge.click()
    items = page.locator(".gm-area-item")
    assert items.count() == expected["kh"]
    first = items.first.get_attribute("data-event-id")
    items.first.click()
    page.locator(f".leaflet-popup-content [data-event-id='{first}']").wait_for()
    assert f"event={first}" in page.evaluate("decodeURIComponent(window.location.hash)")
    assert page.evaluate(outlined) > 0  # the area stays outlined while its popup is open
    page.locator(".gm-area-back").click()
    assert page.locator(".gm-area-item").count() == expected["kh"]
    assert errors == []
    page.close()


def test_area_badges_count_the_date_window_and_the_types_shown(browser, served):
    url, out = served
    area_events = _area_events(out)
    kh = area_events[area_events["place_id"] == "kh"]
    month = max(kh["date_start"])[:7]
    in_month = kh[(kh["date_start"] <= month + "-31") & (kh["date_end"] >= month + "-01")]
    page, errors, _ = open_page(browser, url)
    page.evaluate(f"window.geomap.setRange('{month}', '{month}')")
    assert _badges(page).get("kh") == len(in_month) > 0
    page.evaluate("window.geomap.setRange('1990-01', '1990-12')")
    assert _badges(page) == {}  # an area with no event in the window shows no badge
    page.evaluate("window.geomap.setRange('', '')")
    a_type = kh["type"].value_counts().index[0]
    page.locator(".leaflet-control-layers-toggle").click()
    page.locator(".leaflet-control-layers-overlays > label", has_text=f"Events: {a_type} (").locator("input").uncheck()
    assert _badges(page).get("kh", 0) == len(kh) - int((kh["type"] == a_type).sum())
    assert errors == []
    page.close()


def test_a_link_to_an_area_event_fits_the_area_not_a_street(browser, served):
    url, out = served
    event_id = sorted(_area_events(out).query("place_id == 'kh'")["event_id"])[0]
    page, errors, _ = open_page(browser, url + f"/index.html#event={event_id}")
    page.locator(f".leaflet-popup-content [data-event-id='{event_id}']").wait_for()
    zoom = page.evaluate("window.geomap.map.getZoom()")
    assert 5 <= zoom <= 9
    inside = page.evaluate("""(id) => window.geomap.map.getBounds().contains(window.geomap.events[id].area.latlng)""",
                           event_id)
    assert inside
    assert errors == []
    page.close()
