"""The built map in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geomap.build import build
from geomap.settings import Settings

from browsing import WIDE, expected_visible as _expected_visible, open_page, serve
from conftest import write_doc

pytestmark = pytest.mark.browser



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
    assert page.title() == f"geomap: {counts['events']} events from 5 documents"
    # places named in the text (places.geojson also lists, with no mention, the places only events hold)
    assert counts["places"] == sum(1 for f in places["features"] if f["properties"]["mentions"])
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


def test_a_link_to_the_offline_base_asks_no_tile_server_even_while_the_page_opens(browser, served):
    url, _ = served
    # no "layers=": the overlays stay as the page opens them
    page, errors, outside = open_page(browser, f"{url}/index.html#base=offline-outlines-only",
                                      viewport=WIDE)
    page.wait_for_timeout(500)
    assert outside == []
    shown = page.evaluate("""() => window.geomap.layerEntries().filter(e => window.geomap.map.hasLayer(e.layer))
                                   .map(e => e.key)""")
    assert "offline-outlines-only" in shown and any(key.startswith("events") for key in shown), shown
    assert errors == []
    page.close()
    # with no link, or one naming no base map of the page, the first base map is shown (its tiles
    # answered here by a blank image)
    for link in ("", "/index.html#base=offline"):
        page, errors, outside = open_page(browser, url + link, viewport=WIDE)
        assert outside and page.evaluate("""() => window.geomap.layerEntries().filter(e => !e.overlay
                                                  && window.geomap.map.hasLayer(e.layer)).length""") == 1, link
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
    dated = (f"not told; the article is of {event['date']}" if event["date_from_publication"]
             else f"{event['date']} ({event['date_precision']})")
    assert event["title"] in text and dated in text
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


def _events_with_icons_on_screen(page) -> list[str]:
    """The events whose own marker icon the browser renders (not in a cluster, not in a hidden pane)."""
    return page.evaluate("""() => Object.keys(window.geomap.events).filter(id => {
      const e = window.geomap.events[id];
      return [e.full, e.marker].some(m => m && m._icon && m._icon.checkVisibility());
    }).sort()""")


def test_date_filter_hides_events_outside_the_range_and_reads_the_url(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    page, errors, _ = open_page(browser, url)
    total = len(page.evaluate("window.geomap.visibleEventIds()"))
    before = set(_events_with_icons_on_screen(page))
    page.locator("#gm-from").fill("2022-01")
    page.locator("#gm-to").fill("2022-12")
    page.locator("#gm-to").dispatch_event("change")
    page.wait_for_timeout(300)
    visible = page.evaluate("window.geomap.visibleEventIds()")
    assert visible == _expected_visible(events, "2022-01-01", "2022-12-31")
    assert 0 < len(visible) < total
    # what the reader sees: no icon of an event outside the range, though some were on screen before
    assert before - set(visible), "some event outside 2022 had its own icon at the first view"
    assert set(_events_with_icons_on_screen(page)) <= set(visible)
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
    page.locator("th[data-key=date]").focus()  # from the keyboard too
    page.keyboard.press("Enter")
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
    # a place's country beside it, a country alone
    in_cambodia = [i for i in shown if by_id.loc[i, "place_id"].startswith("kh")]
    assert in_cambodia
    for i in in_cambodia:
        cell = page.locator(f"tr[data-id='{i}'] td").nth(3).inner_text()
        name = by_id.loc[i, "place_name"]
        assert cell.startswith(name if by_id.loc[i, "place_kind"] == "country" else f"{name} (KH)"), (i, cell)
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
        if (layer instanceof L.Polyline && layer.options.gmLeg && window.geomap.isShown(layer))
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
            if (l instanceof L.CircleMarker && l.options.gmContext && window.geomap.isShown(l)) n += 1; }); return n; }""")

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


def test_events_placed_by_their_own_sentence_only(browser, served):
    from geomap.render.popups import BORROWED_BASES

    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    basis = dict(zip(events["event_id"], events["place_basis"]))
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    everything = page.evaluate("() => window.geomap.visibleEventIds()")
    own = [i for i in everything if basis[i] not in BORROWED_BASES]
    assert 0 < len(own) < len(everything), "the seeds have events of both kinds of placement"
    lines = {line["id"] for line in _movement_lines(page)}
    assert lines - set(own), "the seeds have movement lines of events placed from elsewhere"
    page.locator("#gm-own-place").check()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.geomap.visibleEventIds()") == own
    assert "placed=own" in page.evaluate("() => window.location.hash")
    # an event's movement lines go with it
    assert {line["id"] for line in _movement_lines(page)} == lines & set(own)
    # with a date range as well: both filters at once, and the reset of the dates keeps this one
    first_month = min(events.loc[events["event_id"].isin(own), "date_start"])[:7]
    page.locator("#gm-from").fill(first_month)
    page.locator("#gm-to").fill(first_month)
    page.locator("#gm-to").dispatch_event("change")
    page.wait_for_timeout(200)
    in_month = page.evaluate("() => window.geomap.visibleEventIds()")
    assert in_month and set(in_month) < set(own)
    page.locator("#gm-reset").click()
    assert page.evaluate("() => window.geomap.visibleEventIds()") == own
    # the link keeps the choice
    shared = page.evaluate("() => window.location.href")
    again, more_errors, _ = open_page(browser, shared, viewport=WIDE)
    again.wait_for_function("() => window.geomap && window.geomap.ready")
    assert again.locator("#gm-own-place").is_checked()
    assert again.evaluate("() => window.geomap.visibleEventIds()") == own
    again.locator("#gm-own-place").uncheck()
    again.wait_for_timeout(200)
    assert again.evaluate("() => window.geomap.visibleEventIds()") == everything
    # a link to an event the box hides opens it, and lets the box go
    hidden = next(i for i in everything if i not in own and basis[i] != "document")
    again.evaluate("id => { window.location.hash = '#placed=own&event=' + encodeURIComponent(id); }", hidden)
    again.locator(".leaflet-popup-content").first.wait_for()
    assert not again.locator("#gm-own-place").is_checked()
    assert hidden in again.evaluate("() => window.geomap.visibleEventIds()")
    assert errors == [] and more_errors == []
    again.close()
    page.close()


def test_a_popup_of_an_event_the_date_filter_hides_is_closed(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    target = page.evaluate("""() => window.geomap.visibleEventIds()
      .find(id => !window.geomap.events[id].area)""")
    assert target, "the seeds have an event with a marker of its own"
    page.evaluate("(id) => window.geomap.openEvent(id)", target)
    page.wait_for_selector(".leaflet-popup-content")
    page.evaluate("window.geomap.setRange('1990-01', '1990-12')")
    # closed as the popup fades out: waited for, not for a fixed time (a busy machine took longer)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup-content').length === 0", timeout=5000)
    assert errors == []
    page.close()


def test_the_heat_map_counts_the_events_placed_finer_than_an_area(browser, served):
    from geomap.render.layers.areas import AREA_KINDS

    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    placed = events[(events["kind"] == "event") & (events["lat"] != "")]
    finer = placed[~placed["place_kind"].isin(AREA_KINDS)]
    assert 0 < len(finer) < len(placed), "the seeds have events placed to a country and to finer places"
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    page.get_by_text("Heat map of events").click()
    weights = page.evaluate("""() => { let found = null; window.geomap.map.eachLayer(l => {
        if (l._latlngs && l._heat !== undefined) found = l._latlngs.map(p => [p.lat, p.lng, p.alt ?? p[2]]); });
        return found; }""")
    assert weights is not None
    assert sum(w[2] for w in weights) == len(finer)
    # the date range weighs it again
    month = sorted(finer["date_start"])[0][:7]
    page.evaluate(f"window.geomap.setRange('{month}', '{month}')")
    in_month = finer[(finer["date_start"].str[:7] <= month) & (finer["date_end"].str[:7] >= month)]
    weights = page.evaluate("""() => { let found = null; window.geomap.map.eachLayer(l => {
        if (l._latlngs && l._heat !== undefined) found = l._latlngs.map(p => p.alt ?? p[2]); }); return found; }""")
    assert 0 < sum(weights) == len(in_month) < len(finer)
    assert errors == []
    page.close()


def test_a_date_the_text_does_not_give_is_shown_as_not_told(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    untold = events[(events["kind"] == "event") & (events["lat"] != "") & (events["date_from_publication"] == "True")
                    & ~events["place_kind"].isin(["country", "province", "region", "water"])]
    told = events[(events["kind"] == "event") & (events["lat"] != "") & (events["date_from_publication"] == "False")
                  & ~events["place_kind"].isin(["country", "province", "region", "water"])]
    assert len(untold) and len(told), "the seeds have events dated by their text and by their article"
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    for rows, expected in ((untold, "Date: not told; the article is of {date}, so between {date_start} and "),
                           (told, "Date: {date} ({date_precision})")):
        row = rows.iloc[0]
        page.evaluate(f"window.geomap.openEvent({json.dumps(row['event_id'])})")
        # the popup of this event (the one closed before may still be fading out)
        content = page.locator(".leaflet-popup-content", has_text=row["quote"][:40]).first
        content.wait_for()
        assert expected.format(**row) in content.inner_text()
        page.evaluate("void window.geomap.map.closePopup()")
    table, table_errors, _ = open_page(browser, url + "/events.html", wait_for_map=False, viewport=WIDE)
    table.locator("#f-text").fill(untold.iloc[0]["quote"][:40])
    table.wait_for_timeout(300)
    assert f"not told (article of {untold.iloc[0]['date']})" in table.locator("tbody").inner_text()
    assert errors == [] and table_errors == []
    table.close()
    page.close()


def test_the_first_click_on_a_map_link_after_typing_a_filter_opens_the_map(browser, served):
    """A text box fires "change" when it loses focus, as the pointer goes down on a link: the table
    must not be drawn again then, or the click lands on a row that has just been replaced."""
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    row = events[(events["kind"] == "event") & (events["lat"] != "")].iloc[0]
    page, errors, _ = open_page(browser, url + "/events.html", wait_for_map=False, viewport=WIDE)
    page.locator("#f-text").fill(row["quote"][:30])
    page.wait_for_timeout(200)
    link = page.locator("tbody a[href*='index.html#']").first
    with page.expect_navigation(timeout=5000):
        link.click()
    assert "index.html#" in page.url and "event=" in page.url
    assert errors == []
    page.close()


def test_an_event_not_done_is_drawn_faded_and_said_so_in_its_area_list(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    placed = events[(events["kind"] == "event") & (events["lat"] != "")]
    pinned = placed[~placed["place_kind"].isin(["country", "province", "region", "water"])]
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    classes = page.evaluate("""() => { const out = {}; Object.values(window.geomap.events).forEach(e => {
        if (!e.area && e.marker) out[e.marker.options.gmId] = e.marker.options.icon.options.className; });
        return out; }""")
    assert {row.event_id: (f"gm-status-{row.status}" in classes[row.event_id]) for row in pinned.itertuples()} \
        == {row.event_id: row.status != "happened" for row in pinned.itertuples()}
    assert set(pinned["status"]) > {"happened"}, "the seeds have pinned events not done"
    item = placed[(placed["status"] != "happened") & (placed["place_kind"] == "country")].iloc[0]
    page.evaluate(f"window.geomap.openEvent({json.dumps(item['event_id'])})")
    page.locator(".leaflet-popup-content").first.wait_for()
    page.locator(".gm-area-back").first.click()
    assert f"({item['status']})" in page.locator(".gm-area-list").first.inner_text()
    assert errors == []
    page.close()


def test_on_a_phone_the_events_page_is_a_list_of_cards_that_fits_the_screen(browser, served):
    url, out = served
    page, errors, _ = open_page(browser, f"{url}/events.html", wait_for_map=False, viewport={"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
    first = page.locator("#events tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    labels = first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert labels == page.locator("#events thead th").all_inner_texts()
    page.locator("th[data-key=place]").click()  # the column names still sort
    places = page.eval_on_selector_all("#events tbody tr td:nth-child(4)", "cells => cells.map(c => c.firstChild.textContent)")
    assert places == sorted(places, key=str.lower)
    assert errors == []
    page.close()


def test_events_per_province_follow_the_filters(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    placed = events[(events["kind"] == "event") & (events["lat"] != "") & (events["admin1_code"] != "")]
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    page.get_by_text("Events per province (Cambodia)").click()

    def counts():
        return page.evaluate("""() => { const out = {}; window.geomap.map.eachLayer(l => {
            if (l.feature && l.feature.properties.gmEvents) out[l.feature.properties.iso] = l.feature.properties.events; });
            return out; }""")

    def expected(rows):
        return {code: int((rows["admin1_code"] == code).sum()) for code in counts()}

    assert counts() == expected(placed) and sum(counts().values()) > 0
    month = sorted(placed["date_start"])[0][:7]
    # a range set while the layer is off: painted when it is switched on
    page.get_by_text("Events per province (Cambodia)").click()
    page.evaluate(f"window.geomap.setRange('{month}', '{month}')")
    page.get_by_text("Events per province (Cambodia)").click()
    in_month = placed[(placed["date_start"].str[:7] <= month) & (placed["date_end"].str[:7] >= month)]
    assert counts() == expected(in_month)
    page.evaluate("window.geomap.setRange('', '')")
    page.evaluate(f"window.geomap.setRange('{month}', '{month}')")
    in_month = placed[(placed["date_start"].str[:7] <= month) & (placed["date_end"].str[:7] >= month)]
    assert counts() == expected(in_month) and sum(counts().values()) < len(placed)
    empty = page.evaluate("""() => { let colour = null; window.geomap.map.eachLayer(l => {
        if (l.feature && l.feature.properties.gmEvents && !l.feature.properties.events) colour = l.options.fillColor; });
        return colour; }""")
    assert empty == "#ffffcc"  # the lightest shade for none
    page.locator("#gm-reset").click()
    assert counts() == expected(placed)
    # a type's layer switched off: its events leave the counts
    kind = placed["type"].value_counts().index[0]
    page.locator(".leaflet-control-layers-overlays label", has_text=f"Events: {kind}").first.locator("input").uncheck()
    assert counts() == expected(placed[placed["type"] != kind])
    assert errors == []
    page.close()


def test_movement_lines_go_with_their_event_type(browser, served):
    url, out = served
    page, errors, _ = open_page(browser, url, viewport=WIDE)
    lines = _movement_lines(page)
    assert lines
    page.locator("#gm-all-events").uncheck()
    assert _movement_lines(page) == []  # no line of an event switched off
    page.locator("#gm-all-events").check()
    assert len(_movement_lines(page)) == len(lines)
    assert errors == []
    page.close()


def test_a_place_lists_its_events_and_opens_each_of_them(browser, served):
    # events at one spot are clustered by type, one cluster drawn over the other: the place's popup
    # is where each of them can be reached
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    events = events[(events["kind"] == "event") & (events["place_kind"] != "country")]
    place_id = events["place_id"].value_counts().index[0]
    here = events[events["place_id"] == place_id]
    assert len(here) >= 3
    places = {f["properties"]["id"]: f for f in json.loads((out / "places.geojson").read_text())["features"]}
    lon, lat = places[place_id]["geometry"]["coordinates"]
    page, errors, _ = open_page(browser, url)
    opened = page.evaluate("""([lat, lon]) => { let found = null;
      window.geomap.map.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.className === 'gm-place'
        && Math.abs(l.getLatLng().lat - lat) < 1e-4 && Math.abs(l.getLatLng().lng - lon) < 1e-4) found = l; });
      if (found) found.openPopup(); return !!found; }""", [lat, lon])
    assert opened
    content = page.locator(".leaflet-popup-content")
    assert f"Events placed here ({len(here)})" in content.inner_text()
    links = content.locator(".gm-place-events button")
    assert links.count() == min(len(here), 30)
    wanted = here.sort_values(["date", "event_id"], ascending=False).iloc[-1]  # the last listed: the earliest
    link = links.nth(links.count() - 1)
    assert link.get_attribute("data-open-event") == wanted["event_id"]
    link.click()
    page.wait_for_function("id => window.geomap.openId === id", arg=wanted["event_id"])
    page.locator(".leaflet-popup-content blockquote").first.wait_for()
    assert page.locator(".leaflet-popup-content").count() == 1  # the place's popup gave way
    assert wanted["quote"] in page.locator(".leaflet-popup-content").inner_text()
    assert errors == []
    page.close()
