"""The map's controls in a real headless Chromium: the layer panel, the legend, the view kept in
the URL, downloads, play by month, search that marks what it found, and the badges of events placed
only to an area (the map issue's second pass)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from browsing import WIDE, expected_visible as _expected_visible, open_page

pytestmark = pytest.mark.browser


def _panel_open(page) -> bool:
    return page.evaluate("window.geomap.layersOpen()")


# (1280x800, the size of the other tests, is folded too: test_the_url_holds_the_view... opens it there)
@pytest.mark.parametrize("width,height,open_at_first", [(1600, 900, True), (1024, 640, False), (390, 844, False)])
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
    for symbol in ("ring: placed only", "dashed circle", "dashed rim", "scam compound", "orange: from where",
                   "blue: from the event"):
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
    # a link pasted into the tab that already shows the map: the page takes its view
    again.evaluate("window.location.hash = '#map=6/13.0000/101.0000&from=2023-01&to=2023-06'")
    again.wait_for_function("() => window.geomap.map.getZoom() === 6")
    center = again.evaluate("(() => { const c = window.geomap.map.getCenter(); return [c.lat, c.lng]; })()")
    assert abs(center[0] - 13.0) < 0.01 and abs(center[1] - 101.0) < 0.01
    assert (again.locator("#gm-from").input_value(), again.locator("#gm-to").input_value()) == ("2023-01", "2023-06")
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
    assert source["quote"] in json.loads(row["quotes"])
    # every row's precision is its place's, a precise point's too; each quote has its document, title,
    # publisher and date beside it (JSON lists, one item per source), as events.csv has them
    by_id = events.set_index("event_id")
    assert all(float(r.precision_km) == float(by_id.loc[r.event_id, "precision_km"]) for r in shown.itertuples())
    for r in shown.itertuples():
        quotes, documents = json.loads(r.quotes), json.loads(r.documents)
        assert len(quotes) == len(documents) == len(json.loads(r.titles)) == len(json.loads(r.published))
        assert set(documents) == set(by_id.loc[r.event_id, "source_docs"].split("; "))
        assert set(json.loads(r.titles)) == set(json.loads(by_id.loc[r.event_id, "source_titles"]))
        assert r.place_basis == by_id.loc[r.event_id, "place_basis"]
    with page.expect_download() as geojson_download:
        page.locator("#gm-download-geojson").click()
    collection = json.loads(open(geojson_download.value.path(), encoding="utf-8").read())
    assert sorted(f["properties"]["event_id"] for f in collection["features"]) == expected
    assert all(isinstance(f["properties"]["quotes"], list) for f in collection["features"])
    assert errors == []
    page.close()


def test_play_steps_the_window_month_by_month(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    bars = page.evaluate("window.geomap.config.histogram")
    # from the first month an event is dated in: the months before hold only year-wide windows
    first = next(i for i, b in enumerate(bars) if b["count"])
    assert first > 0  # the seeds' histogram opens on pale months (an event of "2020")
    months = [b["month"] for b in bars][first:]
    page.evaluate("""() => { const app = window.geomap; app.playDelay = 1; app.seen = [];
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


def test_search_takes_the_words_in_any_order_and_every_spelling_of_a_place(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    label = page.evaluate("window.geomap.config.search.filter(e => e.kind === 'event' "
                          "&& !e.label.includes(': Cambodia'))[0].label")  # "raid: Sihanoukville, 2022-02-22 (...)"
    event_type, place = label.split(": ", 1)[0], label.split(": ", 1)[1].split(",")[0]
    # the place, then the type: the label's words the other way round
    found = page.evaluate(f"window.geomap.matches({json.dumps(place + ' ' + event_type)}, 20).map(e => e.label)")
    assert label in found, (place, event_type, found)
    # a gazetteer spelling that the text never uses finds the place
    assert "Sihanoukville" in page.evaluate("window.geomap.matches('kampong som', 5).map(e => e.label)")
    assert errors == []
    page.close()


def test_the_histogram_counts_the_event_types_shown(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    placed = events[(events["kind"] == "event") & (events["lat"] != "") & (events["date_start"] != "")]

    def bars():
        return page.evaluate("""() => Object.fromEntries(window.geomap.bars.map(r => [r.getAttribute('data-month'),
            r.firstChild.textContent]))""")

    def expected(rows):
        told = {}
        for month in bars():
            within = int(((rows["date_start"].str[:7] == month) & (rows["date_end"].str[:7] == month)).sum())
            wider = int(((rows["date_start"].str[:7] != rows["date_end"].str[:7]) & (rows["date_start"].str[:7] <= month)
                         & (rows["date_end"].str[:7] >= month)).sum())
            told[month] = f"{month}: {within} event(s) dated in this month" + (
                f", {wider} more whose dates may fall in it" if wider else "")
        return told

    page, errors, _ = open_page(browser, url, viewport=WIDE)
    assert bars() == expected(placed)
    kind = placed["type"].value_counts().index[0]
    page.locator(".leaflet-control-layers-overlays label", has_text=f"Events: {kind}").first.locator("input").uncheck()
    assert bars() == expected(placed[placed["type"] != kind])
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
      .filter(a => window.geomap.badgeShown(a))
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


def test_on_a_phone_a_popup_opens_between_the_controls_and_inside_the_screen(browser, served):
    url, out = served
    events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
    pinned = events[(events["kind"] == "event") & (events["lat"] != "")
                    & ~events["place_kind"].isin(AREA_KINDS)].sort_values("quote", key=lambda q: -q.str.len())
    page, errors, _ = open_page(browser, url, viewport={"width": 390, "height": 844})
    page.evaluate(f"window.geomap.openEvent({json.dumps(pinned.iloc[0]['event_id'])})")  # the longest quote
    page.locator(".leaflet-popup-content").first.wait_for()
    page.wait_for_timeout(600)  # the map pans the popup into view
    box = {sel: page.locator(sel).first.bounding_box()
           for sel in (".leaflet-popup", ".leaflet-control-zoom", "#gm-search", ".gm-time", ".gm-share")}
    popup = box[".leaflet-popup"]
    top = max(box[sel]["y"] + box[sel]["height"] for sel in (".leaflet-control-zoom", "#gm-search"))
    bottom = min(box[sel]["y"] for sel in (".gm-time", ".gm-share"))
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= 390
    assert top <= popup["y"] and popup["y"] + popup["height"] <= bottom, (top, popup, bottom)
    assert errors == []
    page.close()


def test_a_range_typed_backwards_means_the_same_months(browser, served):
    url, _ = served
    page, errors, _ = open_page(browser, url)
    page.evaluate("window.geomap.setRange('2022-01', '2025-12')")
    forwards = page.evaluate("window.geomap.visibleEventIds()")
    page.locator("#gm-from").fill("2025-12")
    page.locator("#gm-to").fill("2022-01")
    page.locator("#gm-to").dispatch_event("change")
    assert forwards and page.evaluate("window.geomap.visibleEventIds()") == forwards
    assert (page.locator("#gm-from").input_value(), page.locator("#gm-to").input_value()) == ("2022-01", "2025-12")
    assert errors == []
    page.close()
