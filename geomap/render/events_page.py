"""``events.html``: every event in a table that sorts and filters in the browser, each row linking to
its event on the map. Written as plain HTML with a little script, nothing loaded from elsewhere."""

from __future__ import annotations

import json
from urllib.parse import quote

from ..atlas import Atlas, MappedEvent
from .popups import esc

_COLUMNS = (("date", "Date"), ("type", "Type"), ("status", "Status"), ("place", "Place"),
            ("sources", "Sources"), ("text", "What the source says"))

_SCRIPT = """
(function () {
  var table = document.getElementById('events'), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var f = {type: document.getElementById('f-type'), status: document.getElementById('f-status'),
           from: document.getElementById('f-from'), to: document.getElementById('f-to'),
           place: document.getElementById('f-place'), text: document.getElementById('f-text')};
  function lastDay(month) {
    var p = month.split('-').map(Number);
    return month + '-' + String(new Date(Date.UTC(p[0], p[1], 0)).getUTCDate()).padStart(2, '0');
  }
  function apply() {
    var from = f.from.value ? f.from.value + '-01' : '', to = f.to.value ? lastDay(f.to.value) : '';
    var place = f.place.value.trim().toLowerCase(), text = f.text.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset, ok = (!f.type.value || d.type === f.type.value) &&
        (!f.status.value || d.status === f.status.value) &&
        (!from || (d.end && d.end >= from)) && (!to || (d.start && d.start <= to)) &&
        (!place || d.place.indexOf(place) >= 0) && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    document.getElementById('count').textContent = shown + ' of ' + rows.length + ' events';
  }
  Object.keys(f).forEach(function (k) { f[k].addEventListener('input', apply); f[k].addEventListener('change', apply); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener('click', function () {
      var key = th.dataset.key, up = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        if (key === 'sources') { x = Number(x); y = Number(y); }
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1) || (a.dataset.id < b.dataset.id ? -1 : 1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
"""

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; margin-bottom: 10px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; cursor: pointer; background: #f2f2f2; position: sticky; top: 0; user-select: none; }
th[aria-sort=ascending]::after { content: " \\25B2"; } th[aria-sort=descending]::after { content: " \\25BC"; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
td.text { max-width: 640px; } .muted { color: #777; font-size: 12px; }
"""


def _row(mapped: MappedEvent, atlas: Atlas) -> str:
    event, place = mapped.event, mapped.place
    start, end = event.date.period
    place_name = place.name if place else "no place"
    on_map = (f'<a href="index.html#event={esc(quote(event.event_id, safe=""))}" class="to-map">map</a>'
              if place else '<span class="muted">not on the map</span>')
    titles = esc("; ".join(dict.fromkeys(atlas.document_of(doc).title for doc in event.documents)))
    where = (f'{esc(event.geo_precision)}, ±{esc(place.precision_km)} km' if place
             else "the text names no place that could be resolved")
    return (
        f'<tr data-id="{esc(event.event_id)}" data-date="{esc(start)}" data-start="{esc(start)}" '
        f'data-end="{esc(end)}" data-type="{esc(event.type)}" data-status="{esc(event.status)}" '
        f'data-place="{esc(place_name.lower())}" data-sources="{len(event.documents)}" '
        f'data-text="{esc(event.quote.lower())}">'
        f'<td>{esc(event.date.iso or "undated")}<div class="muted">{esc(event.date.precision or "unknown")}</div></td>'
        f'<td>{esc(event.type)}</td><td>{esc(event.status)}</td>'
        f'<td>{esc(place_name)}<div class="muted">{where}</div></td>'
        f'<td>{len(event.documents)}</td>'
        f'<td class="text">{esc(event.quote)}<div class="muted">{titles} · {on_map}</div></td></tr>')


def render_events_page(atlas: Atlas) -> str:
    events = [mapped.event for mapped in atlas.events]
    types = sorted({e.type for e in events})
    statuses = sorted({e.status for e in events})
    body = [_row(mapped, atlas) for mapped in atlas.events]
    options = lambda values: "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)  # noqa: E731
    head = "".join(f'<th data-key="{key}" scope="col">{label}</th>' for key, label in _COLUMNS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>geomap: events</title><style>{_STYLE}</style></head>
<body>
<h1>Events</h1>
<p><a href="index.html">Back to the map</a> · click a column to sort · <span id="count"></span></p>
<div class="filters">
<label>Type<select id="f-type"><option value="">all</option>{options(types)}</select></label>
<label>Status<select id="f-status"><option value="">all</option>{options(statuses)}</select></label>
<label>From<input type="month" id="f-from"></label><label>To<input type="month" id="f-to"></label>
<label>Place<input type="search" id="f-place" placeholder="e.g. Sihanoukville"></label>
<label>Text<input type="search" id="f-text" placeholder="words in the quote"></label>
</div>
<table id="events"><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(body)}
</tbody></table>
<script>{_SCRIPT}</script>
<script type="application/json" id="events-count">{json.dumps(len(events))}</script>
</body></html>
"""
