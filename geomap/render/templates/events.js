(function () {
  var table = document.getElementById('events'), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var f = {type: document.getElementById('f-type'), status: document.getElementById('f-status'),
           from: document.getElementById('f-from'), to: document.getElementById('f-to'),
           place: document.getElementById('f-place'), text: document.getElementById('f-text')};
  // Thousands of rows: only one page of the matching rows is shown (the others are hidden, so the
  // browser lays out a page, not the whole table)
  var pageSize = document.getElementById('f-page-size'), pageLabel = document.getElementById('page');
  var prev = document.getElementById('page-prev'), next = document.getElementById('page-next'), page = 0;
  function lastDay(month) {
    var p = month.split('-').map(Number);
    return month + '-' + String(new Date(Date.UTC(p[0], p[1], 0)).getUTCDate()).padStart(2, '0');
  }
  function apply() {
    var from = f.from.value ? f.from.value + '-01' : '', to = f.to.value ? lastDay(f.to.value) : '';
    var place = f.place.value.trim().toLowerCase(), text = f.text.value.trim().toLowerCase();
    var size = Number(pageSize.value), matching = rows.filter(function (row) {
      var d = row.dataset;
      return (!f.type.value || d.type === f.type.value) &&
        (!f.status.value || d.status === f.status.value) &&
        (!from || (d.end && d.end >= from)) && (!to || (d.start && d.start <= to)) &&
        (!place || d.place.indexOf(place) >= 0) && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
    });
    var pages = size ? Math.max(1, Math.ceil(matching.length / size)) : 1;
    page = Math.min(page, pages - 1);
    var first = size ? page * size : 0, shown = new Set(matching.slice(first, size ? first + size : undefined));
    rows.forEach(function (row) { row.hidden = !shown.has(row); });
    pageLabel.textContent = 'page ' + (page + 1) + ' of ' + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    document.getElementById('count').textContent = matching.length + ' of ' + rows.length + ' events';
  }
  function refilter() { page = 0; apply(); }
  Object.keys(f).forEach(function (k) { f[k].addEventListener('input', refilter); f[k].addEventListener('change', refilter); });
  pageSize.addEventListener('change', refilter);
  prev.addEventListener('click', function () { page -= 1; apply(); });
  next.addEventListener('click', function () { page += 1; apply(); });
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
      refilter();
    });
  });
  apply();
})();
