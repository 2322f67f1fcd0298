(function () {
  // The events are data (#events-data); only the rows of the page shown are made, each value set as
  // text. Tens of thousands of rows in the page took seconds to open.
  var data = JSON.parse(document.getElementById('events-data').textContent);
  var at = {};
  data.fields.forEach(function (name, index) { at[name] = index; });
  var table = document.getElementById('events'), body = table.tBodies[0];
  var rows = data.rows.map(function (r) {
    return {r: r, titles: r[at.titles].map(function (i) { return data.titles[i]; }).join('; '), text: null};
  });
  var f = {type: document.getElementById('f-type'), status: document.getElementById('f-status'),
           from: document.getElementById('f-from'), to: document.getElementById('f-to'),
           place: document.getElementById('f-place'), text: document.getElementById('f-text')};
  var pageSize = document.getElementById('f-page-size'), pageLabel = document.getElementById('page');
  var prev = document.getElementById('page-prev'), next = document.getElementById('page-next'), page = 0;
  var sortKeys = {date: 'start', type: 'type', status: 'status', place: 'place', sources: 'sources', text: 'quote'};
  function lastDay(month) {
    var p = month.split('-').map(Number);
    return month + '-' + String(new Date(Date.UTC(p[0], p[1], 0)).getUTCDate()).padStart(2, '0');
  }
  function searchText(row) {  // what the text filter looks in: everything the row shows, and its id
    if (row.text === null) {
      var r = row.r;
      row.text = [r[at.date], r[at.precision], r[at.type], r[at.kind] === 'context' ? 'context' : '', r[at.status],
                  r[at.place], r[at.where], r[at.sources], r[at.quote], row.titles, r[at.off_map], r[at.id]]
        .join(' ').toLowerCase();
    }
    return row.text;
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  var labels = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent; });
  function cell(tr, text, note, className) {
    var td = el('td', text, className);
    td.dataset.label = labels[tr.cells.length];  // shown before the value where a row is a card (a phone)
    if (note !== undefined) td.appendChild(el('div', note, 'muted'));
    tr.appendChild(td);
    return td;
  }
  function makeRow(row) {
    var r = row.r, tr = document.createElement('tr');
    tr.dataset.id = r[at.id]; tr.dataset.start = r[at.start]; tr.dataset.end = r[at.end];
    tr.dataset.type = r[at.type]; tr.dataset.kind = r[at.kind]; tr.dataset.status = r[at.status];
    cell(tr, r[at.date], r[at.precision]);
    cell(tr, r[at.type], r[at.kind] === 'context' ? 'context' : undefined);
    cell(tr, r[at.status]);
    cell(tr, r[at.place], r[at.where]);
    cell(tr, String(r[at.sources]));
    var text = cell(tr, r[at.quote], undefined, 'text'), note = el('div', row.titles + ' · ', 'muted');
    if (r[at.link]) {
      var link = el('a', 'map', 'to-map');
      link.setAttribute('href', 'index.html#event=' + r[at.link]);  // percent-encoded by the build
      note.appendChild(link);
    } else {
      note.appendChild(el('span', r[at.off_map], 'muted'));
    }
    text.appendChild(note);
    return tr;
  }
  function apply() {
    var from = f.from.value ? f.from.value + '-01' : '', to = f.to.value ? lastDay(f.to.value) : '';
    var place = f.place.value.trim().toLowerCase(), text = f.text.value.trim().toLowerCase();
    var size = Number(pageSize.value), matching = rows.filter(function (row) {
      var r = row.r;
      return (!f.type.value || r[at.type] === f.type.value) &&
        (!f.status.value || r[at.status] === f.status.value) &&
        (!from || (r[at.end] && r[at.end] >= from)) && (!to || (r[at.start] && r[at.start] <= to)) &&
        (!place || r[at.place].toLowerCase().indexOf(place) >= 0) && (!text || searchText(row).indexOf(text) >= 0);
    });
    var pages = size ? Math.max(1, Math.ceil(matching.length / size)) : 1;
    page = Math.min(page, pages - 1);
    var first = size ? page * size : 0, shown = matching.slice(first, size ? first + size : undefined);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (row) { fragment.appendChild(makeRow(row)); });
    body.textContent = '';
    body.appendChild(fragment);
    pageLabel.textContent = 'page ' + (page + 1) + ' of ' + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    document.getElementById('count').textContent = matching.length + ' of ' + rows.length + ' events';
  }
  // a filter redraws the table only when what it asks changed: a text box also fires "change" when it
  // loses focus, and a table redrawn then took away the link being clicked
  var asked = null;
  function refilter() {
    var now = JSON.stringify(Object.keys(f).map(function (k) { return f[k].value; }).concat([pageSize.value]));
    if (now === asked) return;
    asked = now;
    page = 0;
    apply();
  }
  Object.keys(f).forEach(function (k) { f[k].addEventListener('input', refilter); f[k].addEventListener('change', refilter); });
  pageSize.addEventListener('change', refilter);
  prev.addEventListener('click', function () { page -= 1; apply(); });
  next.addEventListener('click', function () { page += 1; apply(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener('click', function () {
      var index = at[sortKeys[th.dataset.key]], up = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a.r[index], y = b.r[index];
        if (typeof x === 'string') { x = x.toLowerCase(); y = y.toLowerCase(); }
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1) || (a.r[at.id] < b.r[at.id] ? -1 : 1);
      });
      page = 0;
      apply();  // the same filters, rows in another order
    });
    th.tabIndex = 0;  // sorted from the keyboard too
    th.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); th.click(); }
    });
  });
  apply();
})();
