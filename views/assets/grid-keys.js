// Keyboard speed in the week grid, and day captions for the phone layout (grid-phone.css).
// Works on the DOM as it is at each key press, so rows added later by the page need nothing more.
// The keys are documented to the person in views/partials/shortcuts.ejs: keep both in step.
(function () {
  'use strict';
  var form = document.getElementById('week-form');
  if (!form) return;
  var readOnly = form.dataset.readonly === 'true';

  // ---- Where a key moves ----

  function isHours(node) {
    return !!node && node.nodeName === 'INPUT' && node.classList.contains('hours');
  }

  /** The hours input of a cell, if people can book it now (closed days have none; hidden ones are skipped too). */
  function bookable(td) {
    var input = td && td.querySelector('input.hours');
    return input && !input.disabled && input.getClientRects().length ? input : null;
  }

  function cellsOf(tr) {
    return Array.prototype.filter.call(tr.children, function (c) { return c.matches('td.cell'); });
  }

  /** Next bookable input from `input`: dx along its row (days), or dy across rows (same day). */
  function neighbour(input, dx, dy) {
    var td = input.closest('td.cell');
    var tr = td.parentElement;
    var col = cellsOf(tr).indexOf(td);
    if (dx) {
      var cells = cellsOf(tr);
      for (var i = col + dx; i >= 0 && i < cells.length; i += dx) {
        if (bookable(cells[i])) return bookable(cells[i]);
      }
      return null;
    }
    var rows = Array.prototype.slice.call(tr.parentElement.children);
    for (var r = rows.indexOf(tr) + dy; r >= 0 && r < rows.length; r += dy) {
      var found = bookable(cellsOf(rows[r])[col]);
      if (found) return found;
    }
    return null;
  }

  function wholeSelected(input) {
    return input.selectionStart === 0 && input.selectionEnd === input.value.length;
  }

  function caretAt(input, pos) {
    return input.selectionStart === pos && input.selectionEnd === pos;
  }

  // ---- Escape: back to what the server last confirmed ----

  // Cell key -> raw hours the server holds, as far as this page knows: the rendered values, then
  // what week.js reports after each save or merge (its `timesheet:confirmed` event).
  var confirmed = {};
  var escapeTo = null; // value Escape restores in the focused cell: confirmed when the person entered it
  var typedSinceFocus = false;

  function keyOf(input) {
    var td = input.closest('td.cell');
    return (td && td.dataset.key) || ''; // none in a new row without a project: not autosaved
  }

  function savedValue(input) {
    var key = keyOf(input);
    return key && Object.prototype.hasOwnProperty.call(confirmed, key) ? confirmed[key] : input.defaultValue;
  }

  form.addEventListener('timesheet:confirmed', function (event) {
    var known = event.detail || {};
    form.querySelectorAll('input.hours').forEach(function (input) {
      var k = keyOf(input);
      if (k) confirmed[k] = known[k] ? known[k].raw : '';
    });
    // A cell entered before the save landed and not typed in yet: its saved value is the new one.
    var active = document.activeElement;
    if (isHours(active) && !typedSinceFocus) escapeTo = savedValue(active);
  });

  function restoreSaved(input) {
    if (readOnly || input.readOnly || escapeTo === null || input.value === escapeTo) return;
    input.value = escapeTo;
    input.select();
    // An edit like any other for week.js, so the server ends with this value even when the
    // typed one was already sent; other cells are not touched.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // ---- Keys ----

  function move(target, event) {
    event.preventDefault();
    if (target) target.focus();
  }

  form.addEventListener('keydown', function (event) {
    var input = event.target;
    if (!isHours(input) || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowLeft':
        if (!event.shiftKey && (caretAt(input, 0) || wholeSelected(input))) move(neighbour(input, -1, 0), event);
        break;
      case 'ArrowRight':
        if (!event.shiftKey && (caretAt(input, input.value.length) || wholeSelected(input))) move(neighbour(input, 1, 0), event);
        break;
      case 'ArrowUp':
        if (!event.shiftKey) move(neighbour(input, 0, -1), event);
        break;
      case 'ArrowDown':
        if (!event.shiftKey) move(neighbour(input, 0, 1), event);
        break;
      case 'Enter':
        // Never the browser's implicit submission: the week is submitted with its button only.
        move(neighbour(input, 0, event.shiftKey ? -1 : 1), event);
        break;
      case 'Escape':
        event.preventDefault();
        restoreSaved(input);
        break;
    }
  });

  // Typing replaces: a cell reached by keyboard or mouse has its whole value selected.
  var clickFocus = false;
  form.addEventListener('focusin', function (event) {
    if (!isHours(event.target)) return;
    escapeTo = savedValue(event.target);
    typedSinceFocus = false;
    event.target.select();
  });
  form.addEventListener('input', function (event) {
    if (isHours(event.target) && event.isTrusted) typedSinceFocus = true;
  });
  // Chromium and WebKit drop the selection on the mouseup of the click that focused the input.
  form.addEventListener('mousedown', function (event) {
    clickFocus = isHours(event.target) && event.target !== document.activeElement;
  });
  form.addEventListener('mouseup', function (event) {
    if (clickFocus && isHours(event.target)) event.preventDefault();
    clickFocus = false;
  });

  // ---- Phone layout: each cell says its day (grid-phone.css shows data-caption on narrow screens) ----
  // An attribute, not a child: week.js rewrites the totals' text, which would wipe a child node.

  function captionRow(tr, headers) {
    Array.prototype.forEach.call(tr.children, function (cell, i) {
      var head = headers[i];
      // Hours and totals only: a row's buttons carry their own names.
      if (cell.matches('td.cell, td.total') && head && !cell.dataset.caption) {
        // The header's words for a non-working day ("Weekend", a holiday) too: not the hatching alone.
        var marker = head.querySelector('.day-marker');
        var day = head.getAttribute('abbr') || head.textContent.trim();
        cell.dataset.caption = marker && marker.textContent.trim() ? day + ' · ' + marker.textContent.trim() : day;
      }
    });
  }

  form.querySelectorAll('table.grid').forEach(function (table) {
    var headRow = table.tHead && table.tHead.rows[0];
    if (!headRow) return;
    var headers = Array.prototype.slice.call(headRow.cells);
    var all = function () {
      table.querySelectorAll('tbody > tr, tfoot > tr').forEach(function (tr) { captionRow(tr, headers); });
    };
    all();
    table.classList.add('has-captions');
    // Rows the page adds later (add a project, copy last week) get their captions too.
    new MutationObserver(function (records) {
      if (records.some(function (r) { return Array.prototype.some.call(r.addedNodes, function (n) { return n.nodeName === 'TR' || n.nodeName === 'TBODY'; }); })) all();
    }).observe(table, { childList: true, subtree: true });
  });
})();
