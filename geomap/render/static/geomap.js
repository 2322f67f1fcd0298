/* geomap's own map controls: a date-range filter with a monthly histogram, a search box, and
   opening an event from the URL (#event=ID, #from=YYYY-MM&to=YYYY-MM). Written for geomap's folium
   maps: event markers carry gmId/gmStart/gmEnd options; all text shown is set with textContent. */
(function () {
  "use strict";

  function monthStart(value) { return value ? value + "-01" : ""; }
  function monthEnd(value) {
    if (!value) return "";
    var parts = value.split("-").map(Number);
    var last = new Date(Date.UTC(parts[0], parts[1], 0)).getUTCDate();
    return value + "-" + String(last).padStart(2, "0");
  }
  // A hand-typed or cut URL can hold a stray "%": it must never stop the map's controls.
  function decode(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }
  function parseHash() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("=");
      var key = at < 0 ? pair : pair.slice(0, at), value = at < 0 ? "" : pair.slice(at + 1);
      out[decode(key)] = decode(value);
    });
    return out;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Geomap(map, config) {
    this.map = map;
    this.config = config;
    // id -> {marker, cluster, start, end, row, kind}: the marker shown (or to show) and its cluster;
    // ids come from file names
    this.events = Object.create(null);
    this.kinds = [];       // one per event layer: {group, full, shown, key (null: all), make, ids}
    this.dated = [];       // movement lines and context points: {layer, group, start, end, row (its event's)}
    this.range = {from: "", to: ""};
    this.ownPlaceOnly = false;  // hide the events whose place the sentence does not give
    this._collect();
    this._collectAreas();
  }

  Geomap.prototype._collectAreas = function () {
    var self = this;
    this.areas = Object.keys(areaOf).sort().map(function (id) { return areaOf[id]; });
    Object.keys(areaEventRows).forEach(function (id) {
      var item = areaEventRows[id];
      var kind = self.kinds.filter(function (k) { return k.full === item.cluster; })[0];
      self.events[id] = {marker: null, full: null, cluster: item.cluster, start: item.row[3] || "", end: item.row[4] || "",
                         row: item.row, kind: kind, area: areaOf[item.row[7]]};
    });
    this.map.on("overlayadd overlayremove", function (e) {
      self._paintAreas();
      self._paintDated();
      // a type's layer switched: the shading and the heat count only the types shown
      if (self.kinds.some(function (kind) { return kind.group === e.layer; })) {
        self._paintProvinces();
        self._paintHeat();
        self._recountHistogram();
      }
    });
  };

  // An event shown: its type's layer on, in the date window (areas list theirs by date; the province
  // shading and the heat map count them)
  Geomap.prototype.areaShows = function (id) {
    var e = this.events[id];
    return !!e && this.shows(e) && this.map.hasLayer(e.kind.group);
  };
  Geomap.prototype.areaIds = function (area) {
    var self = this;
    return area.ids.filter(function (id) { return self.areaShows(id); }).sort(function (a, b) {
      var x = self.events[a].start, y = self.events[b].start;
      return x < y ? -1 : x > y ? 1 : a < b ? -1 : 1;
    });
  };

  // Each badge counts its area's events shown; an area with none shows no badge. The badge stays on
  // the map, its icon hidden and its number rewritten in place: taking two hundred badges off and
  // on, and making their icons again, was a third of a date-filter change.
  Geomap.prototype._paintAreas = function () {
    var self = this;
    (this.areas || []).forEach(function (area) {
      var count = 0;
      area.ids.forEach(function (id) { if (self.areaShows(id)) count += 1; });
      area.hidden = !count;
      if (count && count !== area.count) {
        area.count = count;
        area.badge.options.icon = badgeIcon(count);  // for an icon made again when the layer comes back
        if (area.badge._icon) area.badge._icon.querySelector(".gm-badge span").textContent = String(count);
      }
      showBadge(area);
    });
  };
  function showBadge(area) {
    var icon = area.badge._icon;
    if (!icon) return;
    icon.style.display = area.hidden ? "none" : "";
    if (area.hidden && area.badge.isPopupOpen()) area.badge.closePopup();
  }
  Geomap.prototype.badgeShown = function (area) { return !area.hidden && this.map.hasLayer(area.group); };

  Geomap.prototype.setOpen = function (id) {
    this.openId = id;
    this.writeHash();
  };

  Geomap.prototype._collect = function () {
    var self = this;
    this.map.eachLayer(function (layer) {
      if (!(layer instanceof L.MarkerClusterGroup) || !layer._gmMake) return;
      var group = Object.keys(layer._eventParents || {}).map(function (k) { return layer._eventParents[k]; })[0];
      var kind = {group: group, full: layer, shown: layer, key: null, make: layer._gmMake, ids: [],
                  type: layer._gmType || ""};
      self.kinds.push(kind);
      layer.getLayers().forEach(function (marker) {
        var o = marker.options;
        kind.ids.push(o.gmId);
        self.events[o.gmId] = {marker: marker, full: marker, cluster: layer, start: o.gmStart || "", end: o.gmEnd || "",
                               row: marker._gmRow, kind: kind};
      });
      kind.ids.sort();
    });
    this.map.eachLayer(function (layer) { self._collectDated(layer); });
    // a layer that is off at load (the Context layer) is not on the map yet: its items are
    // collected, and filtered by the current range, when it is switched on
    this.map.on("overlayadd", function (e) {
      self.collect(e.layer);
      self._paintProvinces();  // the layers the filters shade and weigh, painted only while on the map
      self._paintHeat();
    });
  };

  // the dated items of a layer switched on, or whose items were just made: shown by the current range
  Geomap.prototype.collect = function (layer) {
    if (this._collectDated(layer) && (this.range.from || this.range.to || this.ownPlaceOnly)) {
      this.setRange(this.range.from, this.range.to, true);
    }
  };

  // The date filter hides a dated line or circle of the canvas by a flag: it is not drawn and does
  // not answer the mouse. (Taking thousands of them off the map and back, one by one, cost a tenth
  // of a second per change.)
  function hideable(layer) {
    var draw = layer._updatePath, contains = layer._containsPoint;
    layer._updatePath = function () { if (!this._gmHidden) draw.call(this); };
    layer._containsPoint = function (point) { return !this._gmHidden && contains.call(this, point); };
  }
  function setHidden(layer, hidden) {
    if (!!layer._gmHidden === hidden) return;
    layer._gmHidden = hidden;
    if (hidden && layer.isPopupOpen && layer.isPopupOpen()) layer.closePopup();
    if (hidden && layer.closeTooltip) layer.closeTooltip();
    if (layer._map && layer._renderer && layer._renderer._requestRedraw) layer._renderer._requestRedraw(layer);
  }

  Geomap.prototype._collectDated = function (layer) {
    var self = this;
    if (!(layer instanceof L.FeatureGroup) || layer instanceof L.MarkerClusterGroup || layer._gmCollected ||
        layer._gmWaiting) return false;
    layer._gmCollected = true;
    var found = false;
    layer.getLayers().forEach(function (child) {
      var o = child.options || {};
      // movement lines and context points: dated items outside the clusters
      if (o.gmId && o.gmStart !== undefined) {
        hideable(child);
        self.dated.push({layer: child, group: layer, start: o.gmStart || "", end: o.gmEnd || "", row: child._gmRow});
        found = true;
      }
    });
    return found;
  };

  Geomap.prototype.inRange = function (event) {
    var bounds = this._rangeDays;  // the range's first and last day, worked out once per range
    if (!bounds || bounds.range !== this.range) {
      bounds = this._rangeDays = {range: this.range, from: monthStart(this.range.from), to: monthEnd(this.range.to)};
    }
    var from = bounds.from, to = bounds.to;
    if (!from && !to) return true;
    if (!event.start) return false;  // undated events are shown only when no range is set
    return (!from || event.end >= from) && (!to || event.start <= to);
  };

  // An event whose place was taken from elsewhere in its document (its paragraph, the story's
  // scene, its dateline, the country it is about) is wrong about twice as often as one its own
  // sentence places (README, "Only events placed by their own sentence"): the reader may hide them
  Geomap.prototype.placedByItsSentence = function (event) {
    var record = event.row && event.row[6];
    return (labels().borrowed || []).indexOf(record ? record[5] : "") < 0;
  };

  // Movement lines and context points: shown while the filters show them and, for a line, while
  // its event's type is switched on (the lines of switched-off raids would be lines of nothing)
  Geomap.prototype._paintDated = function () {
    var self = this;
    this.dated.forEach(function (d) {
      var event = d.row && !d.layer.options.gmContext ? self.events[d.row[0]] : null;
      setHidden(d.layer, !self.shows(d) || !!(event && event.kind && !self.map.hasLayer(event.kind.group)));
    });
  };

  Geomap.prototype.shows = function (event) {
    return this.inRange(event) && (!this.ownPlaceOnly || this.placedByItsSentence(event));
  };

  Geomap.prototype.setOwnPlaceOnly = function (on, keepHash) {
    this.ownPlaceOnly = !!on;
    if (this.ownPlaceInput) this.ownPlaceInput.checked = this.ownPlaceOnly;
    this.setRange(this.range.from, this.range.to, keepHash);
  };

  Geomap.prototype.setRange = function (from, to, keepHash) {
    var self = this;
    if (from && to && from > to) { var swap = from; from = to; to = swap; }  // "2025-01 to 2022-01": the same months
    this.range = {from: from || "", to: to || ""};
    // Each event layer keeps its full cluster, built once and never taken off the map: a range hides
    // its pane, "All dates" shows it again at once. A range gets a cluster of its own, of new markers
    // for the events in it. (Refilling one cluster took seconds at ten thousand events, most of it
    // collecting the garbage; taking the full one off and on again, most of a second.)
    this.kinds.forEach(function (kind) {
      var ids = kind.ids.filter(function (id) { return self.shows(self.events[id]); });
      var key = ids.length === kind.ids.length ? null : ids.join("\n");
      if (key === kind.key) return;  // the same events as shown
      kind.ids.forEach(function (id) {  // out of the range: the marker of the full cluster, hidden
        var e = self.events[id];
        e.marker = e.full;
        e.cluster = kind.full;
      });
      if (kind.shown !== kind.full) kind.group.removeLayer(kind.shown);
      var next = kind.full;
      if (key !== null) {
        next = L.markerClusterGroup(L.extend({}, kind.full.options, {clusterPane: "markerPane"}));
        next.addLayers(ids.map(function (id) {
          var e = self.events[id];
          e.marker = kind.make(e.row, false);
          e.cluster = next;
          return e.marker;
        }));
        kind.group.addLayer(next);
      }
      kind.full._gmHidden = key !== null;
      var pane = self.map.getPane(kind.full._gmPane);
      if (pane) pane.style.display = kind.full._gmHidden ? "none" : "";
      // a spread cluster's legs are drawn outside its pane: folded, they do not stay behind
      if (kind.full._gmHidden) kind.full.unspiderfy();
      kind.shown = next;
      kind.key = key;
    });
    this._paintDated();
    this._paintAreas();
    this._paintProvinces();
    this._paintHeat();
    if (this.fromInput) { this.fromInput.value = this.range.from; this.toInput.value = this.range.to; }
    this._paintHistogram();
    if (!keepHash) this.writeHash();
  };

  // A line or circle on the map and not hidden by the date filter
  Geomap.prototype.isShown = function (layer) { return this.map.hasLayer(layer) && !layer._gmHidden; };

  Geomap.prototype.visibleEventIds = function () {
    var self = this;
    return Object.keys(this.events).filter(function (id) {
      var e = self.events[id];
      if (e.area) return self.map.hasLayer(e.area.group) && self.map.hasLayer(e.kind.group) && self.shows(e);
      return e.cluster.hasLayer(e.marker) && self.map.hasLayer(e.cluster) && !e.cluster._gmHidden;
    }).sort();
  };

  Geomap.prototype.openEvent = function (id) {
    var e = this.events[id], map = this.map;
    if (!e) return false;
    if (!this.shows(e)) {  // hidden by a filter: the filter that hides it is let go
      var inRange = this.inRange(e);
      if (!this.placedByItsSentence(e)) {
        this.ownPlaceOnly = false;
        if (this.ownPlaceInput) this.ownPlaceInput.checked = false;
      }
      this.setRange(inRange ? this.range.from : "", inRange ? this.range.to : "");
    }
    if (!map.hasLayer(e.kind.group)) map.addLayer(e.kind.group);  // its layer was switched off
    if (e.area) return this._openAreaEvent(e, id);
    function open() {
      // Zoom in without animation, then open the marker, or spread its cluster first: events at the
      // same place stay clustered at every zoom (markercluster's zoomToShowLayer can wait forever then).
      map.setView(e.marker.getLatLng(), Math.max(map.getZoom(), 13), {animate: false});
      setTimeout(function () {
        var parent = e.cluster.getVisibleParent(e.marker);
        if (parent && parent !== e.marker && parent.spiderfy) {
          e.cluster.once("spiderfied", function () { e.marker.openPopup(); });
          parent.spiderfy();
        } else {
          e.marker.openPopup();
        }
      }, 350);
    }
    // Leaflet ignores a new view while a zoom animation runs (the page's first fitBounds, say)
    if (map._animatingZoom) map.once("zoomend", open); else open();
    return true;
  };

  // A link to an event placed only to an area fits the area, and its badge shows the event.
  Geomap.prototype._openAreaEvent = function (e, id) {
    var map = this.map, area = e.area;
    if (!map.hasLayer(area.group)) map.addLayer(area.group);
    this._paintAreas();
    function open() {
      map.fitBounds(area.bounds, {animate: false, maxZoom: 9});
      showAreaEvent(area, id);
    }
    if (map._animatingZoom) map.once("zoomend", open); else open();
    return true;
  };

  Geomap.prototype._timeControl = function () {
    var self = this, histogram = this.config.histogram;
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "gm-time leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.appendChild(el("div", {"class": "gm-time-title"}, "Events per month (pale: may fall in it; click a bar to show it)"));
      var svgNS = "http://www.w3.org/2000/svg";
      var width = Math.min(440, Math.max(240, histogram.length * 12)), height = 48;
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("width", width); svg.setAttribute("height", height + 14);
      svg.setAttribute("viewBox", "0 0 " + width + " " + (height + 14));  // shrinks with a narrow screen
      svg.setAttribute("class", "gm-histogram");
      // a month's bar: dark, the events dated within it; pale above, those whose wider window (a
      // year, the days before an article) takes it in. Clicking it shows both.
      // the scale of all the events: with fewer types shown the bars are lower, not stretched
      var max = Math.max.apply(null, histogram.map(function (b) { return b.count + (b.wider || 0); }).concat([1]));
      var step = width / Math.max(1, histogram.length);
      self.histogramScale = {height: height, max: max};
      self.bars = histogram.map(function (bin, i) {
        var rect = document.createElementNS(svgNS, "rect");
        rect.setAttribute("x", i * step + 1);
        rect.setAttribute("width", Math.max(1, step - 2));
        rect.setAttribute("data-month", bin.month);
        rect.setAttribute("class", "gm-bar-wider");
        rect.appendChild(document.createElementNS(svgNS, "title"));
        // drawn over the bar, and clicks go through it to the bar
        var solid = document.createElementNS(svgNS, "rect");
        solid.setAttribute("x", i * step + 1);
        solid.setAttribute("width", Math.max(1, step - 2));
        solid.setAttribute("class", "gm-bar-solid");
        solid.setAttribute("pointer-events", "none");
        rect._gmSolid = solid;
        self._sizeBar(rect, bin.count, bin.wider || 0);
        rect.setAttribute("tabindex", "0");
        rect.setAttribute("role", "button");
        rect.addEventListener("click", function () { self.stop(); self.setRange(bin.month, bin.month); });
        rect.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); self.stop(); self.setRange(bin.month, bin.month); }
        });
        svg.appendChild(rect);
        if (rect._gmSolid) svg.appendChild(rect._gmSolid);
        return rect;
      });
      if (histogram.length) {
        [[0, "start"], [histogram.length - 1, "end"]].forEach(function (pair) {
          var label = document.createElementNS(svgNS, "text");
          label.setAttribute("x", pair[0] * step + (pair[1] === "end" ? step : 0));
          label.setAttribute("y", height + 12); label.setAttribute("text-anchor", pair[1]);
          label.textContent = histogram[pair[0]].month;
          svg.appendChild(label);
        });
      }
      box.appendChild(svg);
      var row = el("div", {"class": "gm-time-row"});
      self.fromInput = el("input", {type: "month", id: "gm-from", "aria-label": "from month"});
      self.toInput = el("input", {type: "month", id: "gm-to", "aria-label": "to month"});
      var reset = el("button", {type: "button", id: "gm-reset"}, "All dates");
      row.appendChild(el("label", {"for": "gm-from"}, "From ")); row.appendChild(self.fromInput);
      row.appendChild(el("label", {"for": "gm-to"}, " to ")); row.appendChild(self.toInput);
      row.appendChild(reset);
      box.appendChild(row);
      self.ownPlaceInput = el("input", {type: "checkbox", id: "gm-own-place"});
      var own = el("label", {"for": "gm-own-place", "class": "gm-own-place",
                             title: "Hide the events whose sentence names no place for them: their place was taken from "
                                    + "their paragraph, the story, its dateline or the country it is about"});
      own.appendChild(self.ownPlaceInput);
      own.appendChild(document.createTextNode(" only events placed by their own sentence"));
      box.appendChild(own);
      self.ownPlaceInput.addEventListener("change", function () { self.setOwnPlaceOnly(self.ownPlaceInput.checked); });
      self.fromInput.addEventListener("change", function () { self.setRange(self.fromInput.value, self.toInput.value); });
      self.toInput.addEventListener("change", function () { self.setRange(self.fromInput.value, self.toInput.value); });
      reset.addEventListener("click", function () { self.setRange("", ""); });
      return box;
    };
    control.addTo(this.map);
  };

  // "Events per province": each province's events that the filters show, counted and shaded by the
  // rule of layers/provinces.py (shade): the lightest for none, then by the share of the largest count
  Geomap.prototype._paintProvinces = function () {
    var self = this, shades = this.config.provinceShades || [];
    var layer = (this.layerEntries().filter(function (e) {
      return e.layer instanceof L.GeoJSON && e.layer.getLayers().some(function (l) {
        return l.feature && l.feature.properties && l.feature.properties.gmEvents; });
    })[0] || {}).layer;
    if (!layer || !shades.length || !this.map.hasLayer(layer)) return;  // painted when switched on
    var provinces = layer.getLayers().filter(function (l) { return l.feature && l.feature.properties.gmEvents; });
    provinces.forEach(function (l) {
      l.feature.properties.events = l.feature.properties.gmEvents.filter(function (id) {
        return self.areaShows(id); }).length;  // the tooltip reads it; its type's layer on, as the map shows
    });
    var top = Math.max.apply(null, provinces.map(function (l) { return l.feature.properties.events; }).concat([1]));
    provinces.forEach(function (l) {
      var count = l.feature.properties.events;
      l.setStyle({fillColor: count ? shades[Math.min(shades.length - 1, 1 + Math.floor((shades.length - 2) * count / top))]
                                   : shades[0]});
    });
  };

  // The heat map: one point per place of the events the filters show, weighted by their number, as
  // layers/heat.py makes it for all of them (events placed only to an area left out)
  Geomap.prototype._paintHeat = function () {
    var self = this;
    var heat = (this.layerEntries().filter(function (e) { return L.HeatLayer && e.layer instanceof L.HeatLayer; })[0]
                || {}).layer;
    if (!heat || !this.map.hasLayer(heat)) return;  // painted when switched on
    var weights = Object.create(null);
    Object.keys(this.events).forEach(function (id) {
      var e = self.events[id];
      if (e.area || !self.areaShows(id)) return;
      var key = e.row[1] + "," + e.row[2];
      weights[key] = (weights[key] || 0) + 1;
    });
    heat.setLatLngs(Object.keys(weights).sort().map(function (key) {
      var point = key.split(",").map(Number);
      return [point[0], point[1], weights[key]];
    }));
  };

  // A month's bar for ``count`` events dated within it and ``wider`` more whose window takes it in
  Geomap.prototype._sizeBar = function (rect, count, wider) {
    var scale = this.histogramScale, month = rect.getAttribute("data-month"), total = count + wider;
    var h = total ? Math.max(1, Math.round(scale.height * total / scale.max)) : 1;
    rect.setAttribute("y", scale.height - h); rect.setAttribute("height", h);
    var hs = count ? Math.max(1, Math.round(scale.height * count / scale.max)) : 0;
    rect._gmSolid.setAttribute("y", scale.height - hs); rect._gmSolid.setAttribute("height", hs);
    var told = count + " event(s) dated in this month" + (wider ? ", " + wider + " more whose dates may fall in it" : "");
    rect.firstChild.textContent = month + ": " + told;
    rect.setAttribute("aria-label", "show " + month + ": " + told);
  };

  // The bars count the event types shown (as layers/controls.py counts them all for the page)
  Geomap.prototype._recountHistogram = function () {
    var self = this, within = {}, wider = {}, months = (this.bars || []).map(function (r) { return r.getAttribute("data-month"); });
    if (!months.length) return;
    Object.keys(this.events).forEach(function (id) {
      var e = self.events[id];
      if (!e.start || !e.end || !self.map.hasLayer(e.kind.group)) return;
      var first = e.start.slice(0, 7), last = e.end.slice(0, 7);
      if (first === last) { within[first] = (within[first] || 0) + 1; return; }
      months.forEach(function (m) { if (m >= first && m <= last) wider[m] = (wider[m] || 0) + 1; });
    });
    this.bars.forEach(function (rect) {
      var m = rect.getAttribute("data-month");
      self._sizeBar(rect, within[m] || 0, wider[m] || 0);
    });
  };

  Geomap.prototype._paintHistogram = function () {
    var from = this.range.from, to = this.range.to;
    (this.bars || []).forEach(function (rect) {
      var m = rect.getAttribute("data-month");
      var inside = (!from || m >= from) && (!to || m <= to);
      rect.setAttribute("class", inside ? "gm-bar-wider" : "gm-bar-wider gm-bar-out");
      if (rect._gmSolid) rect._gmSolid.setAttribute("class", inside ? "gm-bar-solid" : "gm-bar-solid gm-bar-out");
    });
  };

  // --- the layer panel: grouped, folded to a button on screens under 1400 px, never over a popup ---
  var WIDE = 1400;
  var GROUPS = [[/^(Outlines|Events per province)/, "Areas"], [/^(Places mentioned|Scam compounds|Border towns)/, "Places"],
                [/^(Events: |Movements)/, "Events"], [/^(Context|Heat map)/, "Context"], [/^Needs review/, "For editors"]];

  function plainName(html) {
    var box = document.createElement("div");
    box.innerHTML = html;  // a layer's name: built from the build's constants and counts only
    return box.textContent.replace(/\s+/g, " ").trim();
  }
  // a layer's key in the URL: its name before any count, in lower case ("Events: raid (3)" -> "events-raid")
  function layerKey(name) {
    return plainName(name).split("(")[0].toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  Geomap.prototype.narrow = function () { return window.innerWidth < WIDE; };

  Geomap.prototype._layerPanel = function (control) {
    var self = this, map = this.map, container = control.getContainer();
    this.layerControl = control;
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", "Map layers");
    var update = control._update;
    control._update = function () {  // Leaflet remakes the list whenever a layer comes or goes
      var result = update.apply(this, arguments);
      self._groupLayers();
      return result;
    };
    this._groupLayers();
    var link = container.querySelector(".leaflet-control-layers-toggle");
    link.setAttribute("aria-label", "Show the map layers");
    var fold = el("button", {type: "button", "class": "gm-fold", id: "gm-fold-layers"}, "Hide layers");
    container.querySelector(".leaflet-control-layers-list").prepend(fold);
    this.foldLayers = function () {
      control.collapse();
      link.setAttribute("aria-expanded", "false");
      self._popupPadding();
    };
    fold.addEventListener("click", function () { self.foldLayers(); link.focus(); });
    link.addEventListener("click", function () {
      link.setAttribute("aria-expanded", "true");
      self._popupPadding();
      if (self.narrow()) fold.focus();  // the button is hidden while the panel is open: focus moves inside
    });
    link.addEventListener("keydown", function (ev) { if (ev.key === " ") { ev.preventDefault(); link.click(); } });
    container.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && self.narrow()) { self.foldLayers(); link.focus(); }
    });
    map.on("click", function () { if (self.narrow()) self.foldLayers(); });
    map.on("popupopen", function () { if (self.narrow() && self.layersOpen()) self.foldLayers(); });
    if (this.narrow()) this.foldLayers(); else this._popupPadding();
  };

  Geomap.prototype.layersOpen = function () {
    return L.DomUtil.hasClass(this.layerControl.getContainer(), "leaflet-control-layers-expanded");
  };

  // A popup pans clear of the open panel at the top right.
  Geomap.prototype._popupPadding = function () {
    var container = this.layerControl.getContainer();
    L.Popup.prototype.options.autoPanPaddingTopRight = this.layersOpen()
      ? L.point(container.offsetWidth + 24, 16) : L.point(5, 5);
  };

  Geomap.prototype._groupLayers = function () {
    var self = this, list = this.layerControl.getContainer().querySelector(".leaflet-control-layers-overlays");
    if (!list) return;
    var done = Object.create(null);
    Array.prototype.slice.call(list.children).forEach(function (label) {
      if (label.tagName !== "LABEL") return;
      var name = label.textContent.trim();
      GROUPS.forEach(function (group) {
        if (done[group[1]] || !group[0].test(name)) return;
        done[group[1]] = true;
        list.insertBefore(self._groupHead(group[1]), label);
      });
    });
  };

  Geomap.prototype._groupHead = function (title) {
    var self = this, head = el("div", {"class": "gm-layer-group"});
    if (title !== "Events" || !this.kinds.length) {
      head.textContent = title;
      return head;
    }
    // one switch for every event type
    var all = el("input", {type: "checkbox", id: "gm-all-events", "class": "leaflet-control-layers-selector"});
    all.checked = this.kinds.every(function (kind) { return self.map.hasLayer(kind.group); });
    var label = el("label", {"for": "gm-all-events"});
    label.appendChild(all);
    label.appendChild(document.createTextNode(" Events (all types)"));
    head.appendChild(label);
    all.addEventListener("change", function () {
      var on = all.checked;
      self.kinds.forEach(function (kind) {
        if (on && !self.map.hasLayer(kind.group)) self.map.addLayer(kind.group);
        if (!on && self.map.hasLayer(kind.group)) self.map.removeLayer(kind.group);
      });
    });
    return head;
  };

  // Every overlay and base layer of the panel: {layer, name, key, overlay}
  Geomap.prototype.layerEntries = function () {
    if (!this.layerControl) return [];
    return this.layerControl._layers.map(function (entry) {
      return {layer: entry.layer, name: plainName(entry.name), key: layerKey(entry.name), overlay: entry.overlay};
    });
  };

  // --- the legend: what every symbol means (HTML the build made of its constants) ---
  Geomap.prototype._legend = function () {
    if (!this.config.legend) return;
    var html = this.config.legend;
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("details", "gm-legend leaflet-bar");
      box.id = "gm-legend";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.appendChild(el("summary", {}, "Legend"));
      var body = el("div", {"class": "gm-legend-body"});
      body.innerHTML = html;
      box.appendChild(body);
      return box;
    };
    control.addTo(this.map);
  };

  // --- time in motion: the window steps month by month ---
  Geomap.prototype.play = function () {
    var self = this, months = this.config.histogram.map(function (b) { return b.month; });
    if (this.playing) { this.stop(); return; }
    if (!months.length) return;
    var at = months.indexOf(this.range.from);
    if (at < 0 || this.range.from !== this.range.to || at === months.length - 1) {
      // from the first month an event is dated in: before it, the bars are only the pale windows of
      // events dated to a year (a play of 2020-2024 once stepped through twenty empty months first)
      at = 0;
      while (at < months.length - 1 && !this.config.histogram[at].count) at += 1;
    }
    this.playing = true;
    this.playButton.textContent = "Pause";
    this.playButton.setAttribute("aria-pressed", "true");
    function step() {
      self.setRange(months[at], months[at]);
      at += 1;
      self.playTimer = at < months.length ? setTimeout(step, self.playDelay) : null;
      if (!self.playTimer) self.stop(true);
    }
    step();
  };
  Geomap.prototype.playDelay = 900;
  Geomap.prototype.stop = function () {
    clearTimeout(this.playTimer);
    this.playTimer = null;
    this.playing = false;
    if (this.playButton) {
      this.playButton.textContent = "Play by month";
      this.playButton.setAttribute("aria-pressed", "false");
    }
  };

  // --- a view to share: the URL holds it; "copy link"; the events shown as CSV or GeoJSON ---
  Geomap.prototype.writeHash = function () {
    if (this.restoring) return;
    var c = this.map.getCenter(), parts = ["map=" + this.map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4)];
    var map = this.map, entries = this.layerEntries();
    if (entries.length) {
      var base = entries.filter(function (e) { return !e.overlay && map.hasLayer(e.layer); })[0];
      if (base) parts.push("base=" + base.key);
      parts.push("layers=" + entries.filter(function (e) { return e.overlay && map.hasLayer(e.layer); })
                                  .map(function (e) { return e.key; }).join(","));
    }
    if (this.range.from) parts.push("from=" + this.range.from);
    if (this.range.to) parts.push("to=" + this.range.to);
    if (this.ownPlaceOnly) parts.push("placed=own");
    if (this.openId) parts.push("event=" + encodeURIComponent(this.openId));
    history.replaceState(null, "", "#" + parts.join("&"));
  };

  // The view a link holds, in a page already open
  Geomap.prototype.showLink = function (hash) {
    this.ownPlaceOnly = hash.placed === "own";
    if (this.ownPlaceInput) this.ownPlaceInput.checked = this.ownPlaceOnly;
    this.setRange(hash.from || "", hash.to || "", true);
    this.restoreView(hash);
    if (hash.event) this.openEvent(hash.event);
  };

  Geomap.prototype.restoreView = function (hash) {
    var map = this.map;
    this.restoring = true;
    try {
      // a base map the link names that is not one of the page's ("base=offline") changes nothing
      var entries = this.layerEntries(), base = entries.some(function (e) { return !e.overlay && e.key === hash.base; })
        ? hash.base : "";
      if (hash.layers !== undefined || base) {
        // a link without "layers=" keeps the overlays as they open; without "base=", the base map
        var wanted = hash.layers === undefined ? null : hash.layers.split(",");
        entries.forEach(function (e) {
          if (e.overlay ? wanted === null : !base) return;
          var want = e.overlay ? wanted.indexOf(e.key) >= 0 : e.key === base;
          if (want && !map.hasLayer(e.layer)) map.addLayer(e.layer);
          if (!want && map.hasLayer(e.layer)) map.removeLayer(e.layer);
        });
      }
      var view = (hash.map || "").split("/").map(Number);
      if (view.length === 3 && view.every(isFinite)) map.setView([view[1], view[2]], view[0], {animate: false});
    } finally {
      this.restoring = false;
    }
  };

  // The events shown: on a layer that is on, in the date window, inside the view.
  Geomap.prototype.shownEvents = function () {
    var self = this, bounds = this.map.getBounds();
    return this.visibleEventIds().map(function (id) { return self.events[id]; })
      .filter(function (e) { return bounds.contains(e.area ? e.area.latlng : e.marker.getLatLng()); });
  };

  // each source's document, title, address, publisher and date beside its quote, so that a download
  // cites what it shows without a join to events.csv; lists are JSON (a title may hold any separator)
  var CSV_FIELDS = ["event_id", "type", "status", "date_start", "date_end", "date_told", "place",
                    "place_kind", "place_basis", "lat", "lon", "precision_km", "documents", "titles", "urls",
                    "publishers", "published", "quotes"];
  function eventFields(e) {
    var row = e.row, record = row[6], documents = rowsOf("documents");
    var cited = record[9].map(function (s) { return documents[s[0]] || ["", "", "", "", ""]; });
    function column(i) { return JSON.stringify(cited.map(function (d) { return d[i]; })); }
    return {event_id: row[0], type: e.kind.type,
            status: record[1] || "happened", date_start: row[3], date_end: row[4],
            date_told: record[2][2] ? "no (the publication date)" : (record[2][1] || "unknown"),
            place: record[3], place_kind: record[4][0], place_basis: record[5] || "sentence", lat: row[1], lon: row[2],
            precision_km: record[4][2],  // the place's (row[5], the circle drawn, is 0 for a precise point)
            documents: column(0), titles: column(1), urls: column(2), publishers: column(3), published: column(4),
            quotes: JSON.stringify(record[9].map(function (s) { return s[1]; }))};
  }
  // a spreadsheet runs a cell starting with one of these as a formula: prefixed with ' (as exports.py does)
  function csvCell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }
  Geomap.prototype.shownAsCsv = function () {
    var lines = [CSV_FIELDS.join(",")];
    this.shownEvents().forEach(function (e) {
      var f = eventFields(e);
      lines.push(CSV_FIELDS.map(function (k) { return csvCell(f[k]); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  };
  Geomap.prototype.shownAsGeoJson = function () {
    return JSON.stringify({type: "FeatureCollection", features: this.shownEvents().map(function (e) {
      var f = eventFields(e);
      ["documents", "titles", "urls", "publishers", "published", "quotes"].forEach(function (k) { f[k] = JSON.parse(f[k]); });
      return {type: "Feature", geometry: {type: "Point", coordinates: [f.lon, f.lat]}, properties: f};
    })});
  };
  function download(name, type, text) {
    var link = el("a", {href: URL.createObjectURL(new Blob([text], {type: type})), download: name});
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  Geomap.prototype._shareControl = function () {
    var self = this, control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "gm-share leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      var status = el("span", {"class": "gm-share-status", id: "gm-share-status", role: "status", "aria-live": "polite"});
      function button(id, text, action) {
        var b = el("button", {type: "button", id: id}, text);
        b.addEventListener("click", action);
        box.appendChild(b);
        return b;
      }
      self.playButton = button("gm-play", "Play by month", function () { self.play(); });
      self.playButton.setAttribute("aria-pressed", "false");
      button("gm-copy-link", "Copy link", function () {
        self.writeHash();
        var href = window.location.href, done = function () { status.textContent = "Link copied"; };
        var fallback = function () {  // no clipboard (a page opened from disk): the link, selected, to copy
          var input = el("input", {type: "text", id: "gm-link", readonly: "readonly", "aria-label": "link to this view"});
          input.value = href;
          status.textContent = "";
          status.appendChild(input);
          input.select();
        };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(href).then(done, fallback);
        else fallback();
      });
      button("gm-download-csv", "Download CSV", function () {
        download("geomap-events-shown.csv", "text/csv", self.shownAsCsv());
        status.textContent = self.shownEvents().length + " event(s) downloaded";
      });
      button("gm-download-geojson", "Download GeoJSON", function () {
        download("geomap-events-shown.geojson", "application/geo+json", self.shownAsGeoJson());
        status.textContent = self.shownEvents().length + " event(s) downloaded";
      });
      box.appendChild(status);
      return box;
    };
    control.addTo(this.map);
  };

  // --- search that shows: a ring that pulses where the thing found is ---
  Geomap.prototype.highlight = function (latlng) {
    if (this.highlighted) this.highlighted.remove();
    // the ring is inside the icon: Leaflet places the icon with a transform, which the pulse must not replace
    var icon = L.divIcon({className: "gm-found", iconSize: [44, 44], iconAnchor: [22, 22],
                          html: '<div class="gm-found-ring"></div>'});
    this.highlighted = L.marker(latlng, {icon: icon, interactive: false, keyboard: false, zIndexOffset: 1000}).addTo(this.map);
  };

  var SUGGESTIONS = 20;

  // Entries whose label is the query, then those whose label starts with it, then those whose text
  // holds it, then those whose label and text hold each of its words, in any order ("Poipet raid"
  // finds "raid: Poipet"); at most ``limit``.
  Geomap.prototype.matches = function (query, limit) {
    var q = (query || "").trim().toLowerCase().replace(/\s+/g, " ");
    if (!q) return [];
    var words = q.split(" "), exact = [], prefix = [], inside = [], every = [];
    this.config.search.some(function (e) {
      var label = e.label.toLowerCase();
      if (label === q) exact.push(e);
      else if (label.indexOf(q) === 0) prefix.push(e);
      else if (inside.length < limit && (label.indexOf(q) >= 0 || e.text.indexOf(q) >= 0)) inside.push(e);
      else if (words.length > 1 && every.length < limit && words.every(function (w) {
        return label.indexOf(w) >= 0 || e.text.indexOf(w) >= 0; })) every.push(e);
      return exact.length >= limit;
    });
    return exact.concat(prefix, inside, every).slice(0, limit);
  };

  Geomap.prototype.search = function (query) {
    var hit = this.matches(query, 1)[0];
    if (!hit) return null;
    this.highlight([hit.lat, hit.lon]);
    this.map.closePopup();
    if (hit.event && this.openEvent(hit.event)) return hit;
    this.map.setView([hit.lat, hit.lon], hit.zoom, {animate: false});
    // the thing found is shown whichever layer it is in (its layer may be off): a popup names it
    this.foundPopup = this.foundPopup || L.popup({className: "gm-found-popup"});
    this.foundPopup.setLatLng([hit.lat, hit.lon]).setContent(el("div", {"class": "gm-popup"}, hit.kind + ": " + hit.label))
      .openOn(this.map);
    return hit;
  };

  Geomap.prototype._searchControl = function () {
    var self = this;
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "gm-search leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      var input = el("input", {type: "search", id: "gm-search", list: "gm-search-list",
                               placeholder: "Search places, compounds, actors, events", "aria-label": "search"});
      // the suggestions are the first matches of what is typed: one option per entry made tens of
      // thousands of DOM nodes on a large map
      var list = el("datalist", {id: "gm-search-list"});
      var status = el("div", {"class": "gm-search-status", id: "gm-search-status"});
      box.appendChild(input); box.appendChild(list); box.appendChild(status);
      function suggest() {
        list.textContent = "";
        self.matches(input.value, SUGGESTIONS).forEach(function (e) { list.appendChild(el("option", {value: e.label})); });
      }
      function run() {
        var hit = self.search(input.value);
        status.textContent = hit ? hit.kind + ": " + hit.label : (input.value ? "nothing found" : "");
        if (!hit && input.value) self.map.closePopup();  // the popup of an earlier search is no answer to this one
      }
      input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") run(); });
      input.addEventListener("input", suggest);
      input.addEventListener("change", run);
      return box;
    };
    control.addTo(this.map);
  };

  // The map's data files (map-data.js, map-data-later.js) hold the rows of the largest layers; these
  // makers turn them into Leaflet layers. Events and places are records of data and text, made into
  // tooltips and popups here with textContent; the popups of the review queue and the tooltips of
  // the other layers are HTML the build escaped. A popup's elements are made only when it is opened.
  function rowsOf(key) { return (window.GEOMAP_DATA || {})[key] || []; }
  // the sentences records name by key (popups.popup_labels)
  function labels() { return (window.GEOMAP_DATA || {}).labels || {basis: {}, status: {}}; }
  // tooltip: HTML the build escaped, or a function giving text; popup: HTML the build escaped, or a
  // function making the popup's element
  function withText(layer, tooltip, popup) {
    layer.bindTooltip(typeof tooltip === "function" ? function () { return el("span", {}, tooltip()); } : tooltip,
                      {sticky: true});
    layer.bindPopup(typeof popup === "function" ? popup : function () {
      var box = document.createElement("div");
      box.innerHTML = popup;
      return box;
    }, popupOptions());
    return layer;
  }
  // On a phone the controls take the top and the bottom of the screen: a popup is kept between them,
  // as wide as the screen allows, and scrolls when it is longer
  function popupOptions() {
    var narrow = window.innerWidth < 600;
    return {maxWidth: Math.min(400, window.innerWidth - 50),
            maxHeight: narrow ? Math.round(window.innerHeight * 0.45) : null,
            autoPanPaddingTopLeft: L.point(10, narrow ? 130 : 10),
            autoPanPaddingBottomRight: L.point(10, narrow ? 260 : 10)};
  }

  // A place's province and border distance: [province or "", km or null] (popups.geography_record).
  function geographyText(geography) {
    var parts = geography[0] ? ["Province: " + geography[0]] : [];
    if (geography[1] !== null) parts.push(geography[1] + " km from an international land border");
    return parts.join(" · ");
  }
  // an event's row: [id, lat, lon, window start, window end, precision circle m, record (popups.event_record)]
  function dateLine(row) {
    var date = row[6][2], line = "Date: date unknown (the document has no publication date)";
    if (date[0] && date[2]) {
      // no date in the text: the article's day, and the window it allows, are all that is known
      line = "Date: not told; the article is of " + date[0];
      if (row[3] !== row[4]) line += ", so between " + row[3] + " and " + row[4];
    } else if (date[0]) {
      line = "Date: " + date[0] + " (" + (date[1] || "unknown") + ")";
      if (row[3] !== row[4]) line += " · between " + row[3] + " and " + row[4];
    }
    return line + (date[3] ? " · rests on an inferred publication date" : "");
  }
  function eventLabel(type, row) { return type + ": " + row[6][3] + ", " + (row[6][2][0] || "undated"); }
  function eventTooltip(type, row) {
    var record = row[6];
    return type + (record[1] ? " (" + record[1] + ")" : "") + ": " + record[3] + (row[5] ? " (±" + record[4][2] + " km)" : "") +
      ", " + (record[2][0] || "undated") + " · " + record[8][1] + " source(s)";
  }

  // An event's popup from its row: every piece of text is set as text, so nothing a document says is
  // ever read as markup. Sources cite the rows of "documents": [file name, title, web address or "",
  // publisher, publication date].
  function eventPopup(row) {
    var record = row[6], names = labels(), documents = rowsOf("documents");
    var box = el("div", {"class": "gm-popup", "data-event-id": row[0]});
    function text(value) { box.appendChild(document.createTextNode(value)); }
    function line(value) { box.appendChild(el("br")); text(value); }
    var head = el("div", {"class": "gm-head"}, record[0]);
    if (record[1]) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", {"class": "gm-status"}, "(" + (names.status[record[1]] || record[1]) + ")"));
    }
    box.appendChild(head);
    text(dateLine(row));
    box.appendChild(el("br"));
    text("Place: ");
    box.appendChild(el("b", {}, record[3]));
    text(" (" + record[4][0] + ") · resolved by " + record[4][1] + " · ±" + record[4][2] + " km");
    if (record[5]) { box.appendChild(el("br")); box.appendChild(el("i", {}, names.basis[record[5]] || "")); }
    var geography = geographyText(record[6]);
    if (geography) line(geography);
    record[7].forEach(line);
    // sentences of one article that restate an event are not independent reports of it
    box.appendChild(el("div", {"class": "gm-sources"}, "Told in " + record[8][0] + " sentence(s) of " + record[8][1]
                                                       + " document(s)"));
    record[9].forEach(function (source) {
      var doc = documents[source[0]] || ["", "", "", "", ""];
      var block = el("div", {"class": "gm-source"}), title = el("div", {"class": "gm-title"});
      if (/^https?:\/\//i.test(doc[2])) {
        title.appendChild(el("a", {href: doc[2], target: "_blank", rel: "noopener noreferrer nofollow"}, doc[1]));
      } else {
        title.appendChild(document.createTextNode(doc[1]));
      }
      title.appendChild(document.createTextNode((doc[3] ? " — " + doc[3] : "") + ", " + doc[4]));
      block.appendChild(title);
      block.appendChild(marked(source[1], source[2]));
      block.appendChild(el("div", {"class": "gm-doc"}, doc[0]));
      box.appendChild(block);
    });
    return box;
  }

  // A place's record (popups.place_record): [name, kind, resolved by, ± km, mentions, [documents],
  // [names used], geography, where its coordinates come from, [[event id, label] placed here, the
  // latest first], how many events are placed here].
  function placeTooltip(record) { return record[0] + " — " + record[4] + " mention(s), ±" + record[3] + " km"; }
  function placePopup(record) {
    var documents = rowsOf("documents"), box = el("div", {"class": "gm-popup"});
    function line(value) { box.appendChild(el("br")); box.appendChild(document.createTextNode(value)); }
    box.appendChild(el("div", {"class": "gm-head"}, "Place"));
    box.appendChild(el("b", {}, record[0]));
    box.appendChild(document.createTextNode(" (" + record[1] + ") · resolved by " + record[2] + " · ±" + record[3] + " km"));
    var placed = record[9] || [];
    if (placed.length) {
      // events at one spot are clustered by type, one cluster over the other: each opens from here
      box.appendChild(el("div", {"class": "gm-head"}, "Events placed here (" + record[10] + ")"));
      var list = el("ul", {"class": "gm-place-events"});
      placed.forEach(function (item) {
        // a button, not a link: the page's only links lead to the sources' web pages
        var link = el("button", {type: "button", "class": "gm-link", "data-open-event": item[0]}, item[1]);
        link.addEventListener("click", function () {
          if (!window.geomap) return;
          window.geomap.map.closePopup();  // the place's: the event's opens instead
          window.geomap.openEvent(item[0]);
        });
        var entry = el("li");
        entry.appendChild(link);
        list.appendChild(entry);
      });
      box.appendChild(list);
      if (record[10] > placed.length) {
        box.appendChild(document.createTextNode("… and " + (record[10] - placed.length) +
                                                " earlier: the events page (events.html) lists them all."));
      }
    }
    line(record[4] + " mention(s) in " + record[5].length + " document(s): " +
         record[5].map(function (i) { return (documents[i] || [""])[0]; }).join(", "));
    line("Names used: " + record[6].join(", "));
    var geography = geographyText(record[7]);
    if (geography) line(geography);
    line("Coordinates: " + record[8]);
    return box;
  }

  // the quote with its trigger and place marked: [start, end, class] spans, sorted, overlaps skipped
  function marked(quote, spans) {
    var block = el("blockquote", {"class": "gm-quote"}), cursor = 0;
    spans.forEach(function (span) {
      if (span[0] < cursor) return;
      block.appendChild(document.createTextNode(quote.slice(cursor, span[0])));
      block.appendChild(el("mark", {"class": span[2]}, quote.slice(span[0], span[1])));
      cursor = span[1];
    });
    block.appendChild(document.createTextNode(quote.slice(cursor)));
    return block;
  }
  function divIcon(html, status) {
    // an event only planned, denied or alleged is drawn faded: it is not a happening the text vouches for
    return L.divIcon({html: html, iconSize: [24, 24], iconAnchor: [12, 12],
                      className: "gm-event-icon" + (status ? " gm-status-" + status : "")});
  }

  var eventRows = new Map();  // event id -> {row, type}: for the lines that show an event again, and the search
  // events placed only to an area: id -> {row, cluster of its type}; areas by place id (geomapAddAreas)
  var areaEventRows = Object.create(null), areaOf = Object.create(null);

  // The area an approximate place or event may lie in, drawn for the one item hovered or open:
  // thousands of such circles at once covered the map and took seconds to draw. An area wider than
  // options.areaM (a country, a sea) is only outlined.
  var shownArea = null;
  function hideArea() {
    if (shownArea) { shownArea.remove(); shownArea = null; }
  }
  function withArea(layer, radius, colour, areaM) {
    if (!radius) return layer;
    function show() {
      hideArea();
      if (!layer._map) return;
      shownArea = L.circle(layer.getLatLng(), {radius: radius, color: colour, weight: 1, dashArray: "4 4",
                                               fill: radius <= areaM, fillOpacity: 0.05, interactive: false,
                                               className: "gm-area"}).addTo(layer._map);
    }
    layer.on("mouseover popupopen", show);
    layer.on("mouseout", function () { if (!layer.isPopupOpen()) hideArea(); });
    layer.on("popupclose remove", hideArea);
    return layer;
  }

  // events of one type: [id, lat, lon, start, end, precision circle (m, 0: precise), record, area id
  // or ""], into a cluster (an approximate event is a ring), except those placed only to an area
  window.geomapAddEvents = function (cluster, key, options) {
    var made = {}, type = key.replace(/^events\//, "");
    function icon(row) {  // one icon per precision and status, made once
      var key = (row[5] ? 1 : 0) + (row[6][1] || "");
      if (!made[key]) made[key] = divIcon(options.icons[row[5] ? 1 : 0], row[6][1]);
      return made[key];
    }
    // The full cluster draws into a pane of its own, which the date filter hides while a range is
    // shown instead of taking the cluster off the map: putting back a thousand icons cost "All dates"
    // most of a second at ten thousand events.
    var pane = "gmAll" + type.replace(/[^A-Za-z0-9]/g, "");
    cluster.options.clusterPane = pane;
    cluster._gmPane = pane;
    cluster.beforeAdd = function (map) {
      if (!map.getPane(pane)) map.createPane(pane).style.zIndex = 600;  // beside the marker pane
      map.getPane(pane).style.display = cluster._gmHidden ? "none" : "";
    };
    cluster._gmType = type;
    cluster._gmMake = function (row, full) {  // the date filter makes markers again for a range's cluster
      var marker = L.marker([row[1], row[2]], {icon: icon(row), gmId: row[0], gmStart: row[3], gmEnd: row[4],
                                               pane: full ? pane : "markerPane"});
      marker._gmRow = row;
      withText(marker, function () { return eventTooltip(type, row); }, function () { return eventPopup(row); });
      return withArea(marker, row[5], options.colour, options.areaM);
    };
    cluster.addLayers(rowsOf(key).filter(function (row) {
      eventRows.set(row[0], {row: row, type: type});
      if (!row[7]) return true;
      areaEventRows[row[0]] = {row: row, cluster: cluster};  // counted by its area's badge instead
      return false;
    }).map(function (row) { return cluster._gmMake(row, true); }));
  };

  // Events placed only to an area (a country, a province, a region): one badge per area with the
  // number of its events shown; a click lists them, each opening its record; pointing at the badge
  // outlines the area. Rows: [place id, name, kind, lat, lon, [[s, w], [n, e]], outline or null, [ids]]
  window.geomapAddAreas = function (group, key) {
    rowsOf(key).forEach(function (row) {
      var area = {id: row[0], name: row[1], kind: row[2], latlng: L.latLng(row[3], row[4]),
                  bounds: L.latLngBounds(row[5]), outline: row[6], ids: row[7], group: group, count: row[7].length};
      area.badge = L.marker(area.latlng, {icon: badgeIcon(area.count), gmArea: area.id, riseOnHover: true,
                                          title: area.name + ": events placed only to the " + area.kind,
                                          alt: area.name});
      area.badge.bindTooltip(function () { return badgeLabel(area); }, {sticky: true});
      area.badge.bindPopup(function () { return areaList(area); },
                           L.extend(popupOptions(), {maxWidth: Math.min(420, window.innerWidth - 50),
                                                     className: "gm-area-popup"}));
      area.badge.on("mouseover popupopen", function () { showOutline(area); });
      area.badge.on("popupopen", function () { area.badge.closeTooltip(); });
      area.badge.on("mouseout", function () { if (!area.badge.isPopupOpen()) hideArea(); });
      area.badge.on("popupclose", function () {
        hideArea();
        area.badge.getPopup().setContent(function () { return areaList(area); });  // the list again next time
      });
      area.badge.on("remove", hideArea);
      area.badge.on("add", function () { showBadge(area); });
      group.addLayer(area.badge);
      areaOf[area.id] = area;
    });
  };

  function badgeIcon(count) {
    return L.divIcon({html: '<div class="gm-badge"><span>' + Number(count) + "</span></div>",
                      iconSize: [34, 34], iconAnchor: [17, 17], className: "gm-badge-icon"});
  }
  function badgeLabel(area) {
    var box = el("span", {}, area.name + " (" + area.kind + "): " + area.count +
                 " event(s) placed only to the " + area.kind + " — click to list them");
    return box;
  }
  function shownIds(area) {
    var app = window.geomap;
    return app ? app.areaIds(area) : area.ids;
  }
  function areaList(area) {
    var ids = shownIds(area), box = el("div", {"class": "gm-popup gm-area-list", "data-area": area.id});
    box.appendChild(el("div", {"class": "gm-head"}, area.name + " (" + area.kind + "): " + ids.length + " event(s)"));
    // not "their sources name no finer place": a sentence may name a town the rules did not take
    // for where the event happened (where its people came from, where a body sits)
    box.appendChild(el("div", {"class": "gm-doc"}, "Placed no finer than the " + area.kind +
                                                    ": geomap found no finer place for them where they are told" +
                                                    " (each popup says how its place was chosen)."));
    var list = el("ul", {"class": "gm-area-items"});
    ids.forEach(function (id) {
      var item = areaEventRows[id].row, record = item[6], quote = (record[9][0] || ["", ""])[1];
      var when = item[3] === item[4] ? item[3] : item[3] + " to " + item[4];
      var button = el("button", {type: "button", "class": "gm-area-item", "data-event-id": id},
                      record[0] + (record[1] ? " (" + record[1] + ")" : "") + " · " + (when || "undated") + " · "
                      + (quote.length > 90 ? quote.slice(0, 90) + "…" : quote));
      // the button leaves the page as the popup changes: the click must not reach the map, which
      // would read it as a click beside the popup and close it
      button.addEventListener("click", function (ev) { L.DomEvent.stop(ev); showAreaEvent(area, id); });
      var li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }
  function showAreaEvent(area, id) {
    var box = el("div"), back = el("button", {type: "button", "class": "gm-area-back"}, "← all events placed to " + area.name);
    back.addEventListener("click", function (ev) {
      L.DomEvent.stop(ev);
      area.badge.getPopup().setContent(areaList(area));
      if (window.geomap) window.geomap.setOpen(null);
    });
    box.appendChild(back);
    box.appendChild(eventPopup(areaEventRows[id].row));
    var popup = area.badge.getPopup();
    popup.setContent(box);
    if (!area.badge.isPopupOpen()) area.badge.openPopup();
    if (window.geomap) window.geomap.setOpen(id);
  }
  function showOutline(area) {
    hideArea();
    var map = area.badge._map;
    if (!map) return;
    var style = {color: "#d7191c", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.04, interactive: false,
                 className: "gm-area-outline"};
    shownArea = (area.outline ? L.geoJSON(area.outline, {style: function () { return style; }, interactive: false})
                              : L.rectangle(area.bounds, style)).addTo(map);
  }

  // places mentioned: [lat, lon, radius, stage, precision circle (m, 0: none), dashed rim, record]
  window.geomapAddPlaces = function (group, key, options) {
    rowsOf(key).forEach(function (row) {
      var marker = L.circleMarker([row[0], row[1]], {
        radius: row[2], weight: 1, className: "gm-place", color: "#333333", fill: true, fillOpacity: 0.6,
        fillColor: options.colours[row[3]] || options.other, dashArray: row[5] ? "3 2" : null});
      withText(marker, function () { return placeTooltip(row[6]); }, function () { return placePopup(row[6]); });
      withArea(marker, row[4], "#1f78b4", options.areaM).addTo(group);
    });
  };

  // movement lines: [event id, "from"/"to", [lat, lon], [lat, lon], weight, start, end, tooltip]; the
  // two legs differ by colour, not by dashes, which doubled the time to draw thousands of lines; the
  // popup is the event's
  window.geomapAddMovements = function (group, key, colours) {
    rowsOf(key).forEach(function (row) {
      var line = L.polyline([row[2], row[3]], {
        color: colours[row[1]], weight: row[4], opacity: 0.8,
        gmId: row[0], gmLeg: row[1], gmStart: row[5], gmEnd: row[6]});
      var event = eventRows.get(row[0]);
      line._gmRow = event ? event.row : null;  // for the filters: the line shows while its event does
      withText(line, row[7], event ? function () { return eventPopup(event.row); } : "").addTo(group);
    });
  };

  // context (trends, history, claims): an event's row, "", its type; small grey circles
  window.geomapAddContext = function (group, key, options) {
    rowsOf(key).forEach(function (row) {
      var marker = L.circleMarker([row[1], row[2]], {radius: 5, color: options.colour, weight: 1, fill: true,
                                                     fillOpacity: 0.6, gmId: row[0], gmContext: true,
                                                     gmStart: row[3], gmEnd: row[4]});
      marker._gmRow = row;
      withText(marker, function () { return "context (" + row[8] + "): " + row[6][3] + ", " + (row[6][2][0] || "undated"); },
               function () { return eventPopup(row); }).addTo(group);
    });
  };

  // plain markers with one icon: [lat, lon, tooltip, popup]
  window.geomapAddMarkers = function (group, key, options) {
    var icon = L.divIcon({html: options.icon, iconSize: [24, 24], iconAnchor: [12, 12], className: "empty"});
    rowsOf(key).forEach(function (row) {
      withText(L.marker([row[0], row[1]], {icon: icon}), row[2], row[3]).addTo(group);
    });
  };

  // a layer that is off at load: the first time it is switched on, read its data file (a
  // <script src>, which a page opened from disk may load where fetch() may not), then make it
  window.geomapAddLater = function (group, maker, file, variable, key, options) {
    var asked = false;
    group.on("add", function () {
      if (asked) return;
      asked = true;
      var script = document.createElement("script");
      script.src = file;
      group._gmWaiting = true;  // not collected by the date filter until its items are made
      script.onerror = function () {  // the file is not beside the page: the next switch tries again
        asked = false;
        group._gmWaiting = false;
        script.remove();
      };
      script.onload = function () {
        window.GEOMAP_DATA = window.GEOMAP_DATA || {};
        window.GEOMAP_DATA[key] = (window[variable] || {})[key] || [];
        window[maker](group, key, options);
        group._gmWaiting = false;
        if (window.geomap) window.geomap.collect(group);
      };
      document.head.appendChild(script);
    });
  };

  window.geomapInit = function (map, config, layerControl) {
    if (typeof config.search === "string") {  // rows of map-data.js: [label, kind, lat, lon, zoom, text, event]
      config.search = rowsOf(config.search).map(function (r) {
        return {label: r[0], kind: r[1], lat: r[2], lon: r[3], zoom: r[4], text: (r[0] + " " + r[5]).toLowerCase(),
                event: r[6]};
      });
      // then the events, from their rows: by label, by the lines of their popup, by their sources' quotes
      eventRows.forEach(function (item, id) {
        var row = item.row, record = row[6], label = eventLabel(item.type, row) + " (" + id + ")";
        var quotes = record[9].map(function (source) { return source[1]; }).join(" ");
        config.search.push({label: label, kind: "event", lat: row[1], lon: row[2], zoom: 10, event: id,
                            text: (label + " " + record[7].join(" ") + " " + quotes).toLowerCase()});
      });
    }
    var app = new Geomap(map, config);
    app._searchControl();
    if (layerControl) app._layerPanel(layerControl);
    app._timeControl();
    app._shareControl();
    app._legend();
    var hash = parseHash();
    // the base map is added here, not by the page: a link to the offline base must not ask a tile
    // server for the default one first (an investigator's address would reach it)
    var bases = app.layerEntries().filter(function (e) { return !e.overlay; });
    if (bases.length && !bases.some(function (e) { return map.hasLayer(e.layer); })) {
      map.addLayer((bases.filter(function (e) { return e.key === hash.base; })[0] || bases[0]).layer);
    }
    app.ownPlaceOnly = hash.placed === "own";
    if (app.ownPlaceInput) app.ownPlaceInput.checked = app.ownPlaceOnly;
    if (hash.from || hash.to || app.ownPlaceOnly) app.setRange(hash.from || "", hash.to || "", true);
    else app._paintHistogram();
    map.on("popupopen", function (e) {
      var id = e.popup._source && e.popup._source.options.gmId;
      if (id && app.events[id]) { app.openId = id; app.writeHash(); }
    });
    map.on("popupclose", function (e) {
      var source = e.popup._source, id = source && source.options.gmId;
      if ((id && id === app.openId) || (source && source.options.gmArea && app.openId)) app.setOpen(null);
    });
    // after the rest of the page's script has run (it sets the initial view last)
    function restore() {
      app.restoreView(hash);
      if (hash.event) app.openEvent(hash.event);
      map.on("moveend overlayadd overlayremove baselayerchange", function () { app.writeHash(); });
      // a link pasted into the tab that shows the map: only the hash changes, and the page stays
      window.addEventListener("hashchange", function () { app.showLink(parseHash()); });
      app.ready = true;
    }
    setTimeout(function () {
      // Leaflet ignores a new view while a zoom animation runs (the page's first fitBounds)
      if (map._animatingZoom) map.once("zoomend", restore); else restore();
    }, 0);
    window.geomap = app;
    return app;
  };
})();
