/**
 * The page's only script (plain ES5-level JavaScript, no library): shows the filter form, hides
 * the findings rows that do not match it, sorts the table when a column header is clicked, and
 * opens every `<details>` for printing. It only hides, shows and reorders server-rendered rows, so
 * the page reads the same without it. The Content-Security-Policy allows exactly this text (its
 * SHA-256, page.ts): keep it a constant.
 */
export const SCRIPT = `(function () {
  'use strict';
  var form = document.getElementById('filters');
  var table = document.getElementById('findings-table');
  var opened = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  if (!form || !table) { return; }
  form.hidden = false;
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll('select'));
  var text = document.getElementById('f-text');
  var count = document.getElementById('f-count');
  function matches(row, query) {
    for (var i = 0; i < selects.length; i++) {
      var s = selects[i];
      if (s.value === '') { continue; }
      var col = Number(s.getAttribute('data-col'));
      var value = col === 0 ? row.getAttribute('data-k') : row.cells[col].textContent;
      if (value !== s.value) { return false; }
    }
    return query === '' || row.textContent.toLowerCase().indexOf(query) >= 0;
  }
  function apply() {
    var query = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row, query);
      row.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown + ' of ' + rows.length + ' findings shown';
  }
  function key(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ''; }
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent : Number(v);
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = th.textContent;
    th.textContent = '';
    th.appendChild(button);
    button.addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = key(a, i), y = key(b, i);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  apply();
})();
`;
