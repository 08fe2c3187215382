// Autosave of the week grid. Each change is sent to the draft (never to the ERP) as JSON with
// the draft version it was based on. Unsaved changes are kept in localStorage (per user, week and
// page) until the server has them, so a network blip, a reload or an ended session loses nothing.
//
// Never a silent overwrite: each unsaved cell remembers the saved value it was typed over (its
// base). When the server answers 409 (saved elsewhere: another tab or device), cells the person
// did not touch take the saved values; a cell typed here whose saved value changed elsewhere is a
// conflict, shown side by side until the person chooses "Keep mine" or "Use the saved version".
(function () {
  'use strict';
  var script = document.currentScript;
  var form = document.getElementById('week-form');
  var statusEl = document.getElementById('save-status');
  var alertEl = document.getElementById('draft-alert');
  if (!form || !statusEl || !alertEl || form.dataset.readonly === 'true') return;

  var msg = script ? script.dataset : {};
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var versionInput = document.getElementById('week-version');
  var week = form.dataset.week;
  // One key per page, so two tabs of the same week never overwrite each other's unsaved cells;
  // a page that opens the week adopts what earlier pages left (legacy key: the prefix alone).
  var storagePrefix = 'timesheet:pending:' + form.dataset.user + ':' + week;
  var storageKey = storagePrefix + ':' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  var url = '/week/' + encodeURIComponent(week) + '/autosave';
  var known = {};   // key -> {raw, comment}: what the server holds, as far as this page knows
  var pending = {}; // key -> {key, raw, comment, base: {raw, comment}, at}
  var inFlight = null;
  var timer = null;
  var retryDelay = 2000;
  var conflict = null; // {version, keys: [...]} while the person has to choose
  var blocked = null;  // 'signin' | 'reload' | 'stale' after a 401 / 403 / unusable 409

  function text(template, params) {
    return String(template || '').replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }

  function setStatus(value, kind) {
    statusEl.textContent = value;
    statusEl.dataset.kind = kind || '';
  }

  function count() {
    return Object.keys(pending).length;
  }

  function showOffline() {
    var n = count();
    setStatus(text(n === 1 ? msg.msgOfflineOne : msg.msgOffline, { count: n }), 'offline');
  }

  function same(a, b) {
    return !!a && !!b && a.raw === b.raw && a.comment === b.comment;
  }

  function empty() {
    return { raw: '', comment: '' };
  }

  function persist() {
    try {
      if (count()) localStorage.setItem(storageKey, JSON.stringify(pending));
      else localStorage.removeItem(storageKey);
    } catch (e) { /* private mode or full: the in-page copy still holds the values */ }
  }

  function cellOf(key) {
    return form.querySelector('td[data-key="' + CSS.escape(key) + '"]');
  }

  function readCell(td) {
    var h = td.querySelector('input.hours');
    var c = td.querySelector('textarea');
    return { key: td.dataset.key, raw: h ? h.value : '', comment: c ? c.value : '' };
  }

  function writeCell(td, value) {
    var h = td.querySelector('input.hours');
    var c = td.querySelector('textarea');
    if (h) h.value = value.raw;
    if (c) c.value = value.comment;
    var d = td.querySelector('details.comment');
    if (d) {
      if (value.comment) d.setAttribute('data-has-comment', 'true');
      else d.removeAttribute('data-has-comment');
    }
  }

  function labelOf(td) {
    var h = td.querySelector('input.hours');
    var l = h && form.querySelector('label[for="' + CSS.escape(h.id) + '"]');
    return l ? l.textContent.trim() : td.dataset.key;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function setCellError(td, messages) {
    var input = td.querySelector('input.hours');
    var p = td.querySelector('.field-error');
    if (!input) return;
    if (messages.length) {
      if (!p) {
        p = document.createElement('p');
        p.className = 'field-error';
        p.id = 'err-' + input.id;
        td.appendChild(p);
      }
      p.textContent = messages.join(' ');
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'input-help ' + p.id);
      td.classList.add('has-error');
    } else {
      if (p) p.remove();
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', 'input-help');
      td.classList.remove('has-error');
    }
  }

  function showErrors(errors) {
    form.querySelectorAll('td.cell').forEach(function (td) {
      setCellError(td, errors.filter(function (e) { return e.key === td.dataset.key; }).map(function (e) { return e.message; }));
    });
  }

  function showTotals(body) {
    // Runs after every answer that changed `known` (saved, 409 merge): grid-keys.js keeps it for Escape.
    form.dispatchEvent(new CustomEvent('timesheet:confirmed', { detail: known }));
    if (!body.dayTotals || !body.rowTotals) return;
    form.querySelectorAll('[data-day-total]').forEach(function (el) {
      el.textContent = body.dayTotals[el.dataset.dayTotal] || '0';
    });
    form.querySelectorAll('[data-row-total]').forEach(function (el) {
      el.textContent = body.rowTotals[el.dataset.rowTotal] || '0';
    });
    var wt = form.querySelector('[data-week-total]');
    if (wt && body.weekTotal !== undefined) wt.textContent = body.weekTotal;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function clearAlert() {
    alertEl.textContent = '';
    alertEl.removeAttribute('data-kind');
  }

  // ---- Conflicts: saved elsewhere since this page's version ----

  /** Unsaved cells whose saved value changed elsewhere since they were typed, and differs from mine. */
  function conflictKeys() {
    return Object.keys(pending).filter(function (k) {
      var srv = known[k] || empty();
      return !same(srv, pending[k]) && !same(srv, pending[k].base || srv);
    });
  }

  function shown(value) {
    var hours = value.raw.trim() === '' ? msg.msgConflictEmpty : value.raw;
    return value.comment ? text(msg.msgConflictWithComment, { hours: hours, comment: value.comment }) : hours;
  }

  function renderConflict() {
    var keys = conflictKeys();
    if (!keys.length) return resolveConflict(null);
    conflict.keys = keys;
    clearAlert();
    alertEl.dataset.kind = 'conflict';
    var title = el('h2', 'draft-alert-title', msg.msgConflictTitle);
    title.id = 'draft-alert-title';
    title.tabIndex = -1;
    alertEl.appendChild(title);
    alertEl.appendChild(el('p', '', msg.msgConflictIntro));
    var list = el('ul', 'conflict-list');
    keys.forEach(function (k) {
      var td = cellOf(k);
      var item = el('li', 'conflict-item');
      item.dataset.key = k;
      item.appendChild(el('span', 'conflict-cell', td ? labelOf(td) : k));
      var pair = el('span', 'conflict-pair');
      pair.appendChild(el('span', 'conflict-mine', text(msg.msgConflictMine, { value: shown(pending[k]) })));
      pair.appendChild(el('span', 'conflict-theirs', text(msg.msgConflictTheirs, { value: shown(known[k] || empty()) })));
      item.appendChild(pair);
      list.appendChild(item);
    });
    alertEl.appendChild(list);
    var actions = el('div', 'conflict-actions');
    var mine = el('button', 'primary', msg.msgKeepMine);
    mine.type = 'button';
    mine.dataset.choice = 'mine';
    var theirs = el('button', 'secondary', msg.msgUseSaved);
    theirs.type = 'button';
    theirs.dataset.choice = 'saved';
    actions.appendChild(mine);
    actions.appendChild(theirs);
    alertEl.appendChild(actions);
    setStatus(msg.msgChoose, 'conflict');
  }

  /** While the person has not chosen, typing here updates "In this tab" (and may end the conflict). */
  function refreshConflict() {
    var keys = conflictKeys();
    if (keys.join('\n') !== conflict.keys.join('\n')) return renderConflict();
    keys.forEach(function (k) {
      var item = alertEl.querySelector('li[data-key="' + CSS.escape(k) + '"] .conflict-mine');
      var now = text(msg.msgConflictMine, { value: shown(pending[k]) });
      if (item && item.textContent !== now) item.textContent = now;
    });
  }

  function focusCell(key) {
    var td = key && cellOf(key);
    var input = td && td.querySelector('input.hours');
    if (input) input.focus();
  }

  /** choice: 'mine' (deliberate overwrite), 'saved' (take the saved values), null (nothing left to choose). */
  function resolveConflict(choice) {
    var keys = conflict ? conflict.keys : [];
    if (conflict) versionInput.value = String(conflict.version);
    conflict = null;
    clearAlert();
    keys.forEach(function (k) {
      if (!pending[k]) return;
      if (choice === 'mine') {
        pending[k].base = { raw: (known[k] || empty()).raw, comment: (known[k] || empty()).comment };
      } else if (choice === 'saved') {
        var td = cellOf(k);
        if (td) {
          writeCell(td, known[k] || empty());
          setCellError(td, []);
        }
        delete pending[k];
      }
    });
    persist();
    if (choice) focusCell(keys[0]);
    if (count()) {
      schedule(0);
    } else if (choice === 'saved') {
      setStatus(msg.msgTookSaved, 'saved');
    } else {
      setStatus(msg.msgSaved, 'saved');
    }
  }

  alertEl.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-choice]');
    if (!button || !conflict) return;
    resolveConflict(button.dataset.choice === 'mine' ? 'mine' : 'saved');
  });

  function onConflict(body, sentVersion) {
    var version = Number(body.currentVersion);
    if (!body.draft || !Number.isInteger(version) || version === sentVersion || (body.status && body.status !== 'draft')) {
      return block('stale');
    }
    // What the server holds now: the whole draft (cells absent from it are empty).
    known = {};
    Object.keys(body.draft).forEach(function (k) { known[k] = body.draft[k]; });
    Object.keys(body.cells || {}).forEach(function (k) { known[k] = body.cells[k]; });
    form.querySelectorAll('td.cell[data-key]').forEach(function (td) {
      var k = td.dataset.key;
      if (!td.querySelector('input.hours')) return;
      if (pending[k]) {
        // Already saved with my value (by me in another tab, or typed alike): nothing to send.
        if (same(known[k] || empty(), pending[k])) delete pending[k];
        return;
      }
      // Not touched here: simply show what was saved elsewhere.
      var srv = known[k] || empty();
      if (!same(readCell(td), srv)) writeCell(td, srv);
    });
    showTotals(body);
    persist();
    conflict = { version: version, keys: [] };
    if (conflictKeys().length) return renderConflict();
    // Cells I typed were not changed elsewhere: a merge cell by cell, then saved on the new version.
    resolveConflict(null);
  }

  // ---- Session ended or page expired ----

  /** kind: 'signin' (401), 'reload' (403 with a live session), 'stale' (nothing to choose from: reload). */
  function block(kind, message) {
    blocked = kind;
    clearTimeout(timer);
    clearAlert();
    alertEl.dataset.kind = kind;
    var p = el('p', '', message || (kind === 'signin' ? msg.msgSessionEnded : kind === 'reload' ? msg.msgPageExpired : msg.msgConflict));
    alertEl.appendChild(p);
    var link = el('a', 'draft-alert-action', kind === 'signin' ? msg.msgSignIn : msg.msgReload);
    link.href = kind === 'signin' ? '/login?returnTo=/week/' + encodeURIComponent(week) : '/week/' + encodeURIComponent(week);
    link.id = 'draft-alert-action';
    alertEl.appendChild(el('p')).appendChild(link);
    setStatus(msg.msgNotSaved, 'error');
  }

  /** A 403 for the CSRF token: the session ended (sign in again) or only this page's token is stale (reload). */
  function probeSession() {
    return fetch('/week/' + encodeURIComponent(week), { credentials: 'same-origin', redirect: 'manual', headers: { Accept: 'text/html' } })
      .then(function (res) { return res.type === 'opaqueredirect' || res.status === 401 ? 'signin' : 'reload'; })
      .catch(function () { return 'reload'; });
  }

  // ---- Saving ----

  function flush() {
    if (inFlight || conflict || blocked) return;
    var changes = Object.keys(pending).map(function (k) {
      return { key: k, raw: pending[k].raw, comment: pending[k].comment };
    });
    if (!changes.length) return;
    setStatus(msg.msgSaving, 'saving');
    var sentVersion = Number(versionInput.value);
    inFlight = fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ version: sentVersion, changes: changes })
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return { res: res, body: body }; });
    }).then(function (r) {
      inFlight = null;
      var status = r.res.status;
      var body = r.body || {};
      if (r.res.ok) {
        versionInput.value = String(body.version);
        changes.forEach(function (c) {
          known[c.key] = { raw: c.raw, comment: c.comment };
          // Drop what the server now holds, unless it was typed again meanwhile.
          if (same(pending[c.key], c)) delete pending[c.key];
          else if (pending[c.key]) pending[c.key].base = { raw: c.raw, comment: c.comment };
        });
        persist();
        showTotals(body);
        showErrors(body.errors || []);
        retryDelay = 2000;
        if (count()) schedule(0);
        else setStatus(msg.msgSaved, 'saved');
        return;
      }
      if (status === 409 && body.error === 'conflict') return onConflict(body, sentVersion);
      // Submitted meanwhile (another tab or device): nothing more can be saved; the values stay kept here.
      if (status === 409 && body.error === 'locked') return block('stale', body.message);
      if (status === 401) return block('signin');
      if (status === 403 && body.error === 'csrf') {
        blocked = 'probing';
        return probeSession().then(block);
      }
      setStatus(text(msg.msgError, { reason: body.message || ('HTTP ' + status) }), 'error');
      if (status >= 500 || status === 429) {
        schedule(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      }
    }).catch(function () {
      inFlight = null;
      showOffline();
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function onEdit(event) {
    var td = event.target.closest('td.cell');
    if (!td || !td.dataset.key) return;
    var key = td.dataset.key;
    var now = readCell(td);
    var before = pending[key];
    var base = before ? before.base : (known[key] || empty());
    pending[key] = { key: key, raw: now.raw, comment: now.comment, base: { raw: base.raw, comment: base.comment }, at: Date.now() };
    persist();
    if (conflict) return refreshConflict();
    if (blocked) return;
    if (statusEl.dataset.kind === 'offline') showOffline();
    schedule(event.type === 'change' ? 0 : 600);
  }

  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  var heldSubmitter; // undefined: nothing held; null: a post without a button
  window.addEventListener('online', function () {
    retryDelay = 2000;
    schedule(0);
    if (heldSubmitter !== undefined) {
      var submitter = heldSubmitter;
      heldSubmitter = undefined;
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    }
  });
  window.addEventListener('offline', function () {
    if (count() && !conflict && !blocked) showOffline();
  });
  // Another page of this week adopted my unsaved cells and removed my key: write it back, so
  // closing that page before it saves them loses nothing.
  window.addEventListener('storage', function (event) {
    if (event.key === storageKey && event.newValue === null && count()) persist();
  });

  form.addEventListener('submit', function (event) {
    if (conflict || blocked) {
      // Nothing is sent until the person has chosen (or signed in again): show what to do.
      event.preventDefault();
      var target = document.getElementById(conflict ? 'draft-alert-title' : 'draft-alert-action');
      if (target) target.focus();
      return;
    }
    // Offline, a whole-form post (save, submit, a blank row's project, add, remove, copy) would
    // leave the page for the browser's error page, and the hours of a blank row, which only that
    // post saves, with it. Keep the page and post when the connection is back.
    if (navigator.onLine === false) {
      event.preventDefault();
      heldSubmitter = event.submitter || null;
      setStatus(msg.msgOfflineHeld, 'offline-held');
      return;
    }
    // Let the last autosave land first, so the form's version is current.
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
    } else {
      clearTimeout(timer);
    }
  });

  // What the server holds: the values the page was rendered with.
  form.querySelectorAll('td.cell[data-key]').forEach(function (td) {
    var h = td.querySelector('input.hours');
    var c = td.querySelector('textarea');
    if (h) known[td.dataset.key] = { raw: h.defaultValue, comment: c ? c.defaultValue : '' };
  });

  // Restore what earlier pages (reload, closed tab, lost connection, ended session) had not saved.
  try {
    var stored = {};
    var adopted = [];
    for (var i = 0; i < localStorage.length; i++) {
      var name = localStorage.key(i);
      if (name !== storagePrefix && (!name || name.indexOf(storagePrefix + ':') !== 0)) continue;
      adopted.push(name);
      var entries = JSON.parse(localStorage.getItem(name) || '{}');
      Object.keys(entries).forEach(function (k) {
        var e = entries[k];
        if (!e || typeof e.raw !== 'string' || typeof e.comment !== 'string') return;
        if (!stored[k] || (e.at || 0) >= (stored[k].at || 0)) stored[k] = e;
      });
    }
    Object.keys(stored).forEach(function (key) {
      var td = cellOf(key);
      if (!td || !known[key]) return;
      var want = stored[key];
      if (same(known[key], want)) return; // the server has it
      var base = want.base && typeof want.base.raw === 'string' ? want.base : known[key];
      writeCell(td, want);
      pending[key] = { key: key, raw: want.raw, comment: want.comment, base: { raw: base.raw, comment: base.comment || '' }, at: want.at || Date.now() };
    });
    persist();
    adopted.forEach(function (name) { if (name !== storageKey) localStorage.removeItem(name); });
    if (conflictKeys().length) {
      // Saved elsewhere since those cells were typed: the person chooses, as after a 409.
      conflict = { version: Number(versionInput.value), keys: [] };
      renderConflict();
    } else if (count()) {
      schedule(0);
    }
  } catch (e) { /* unreadable local copy: nothing to restore */ }

  // ---- Rows, non-working days and "week complete?" (issue 8). Without this script the same buttons
  // post the form and the server does the same work. ----

  var headCells = Array.prototype.slice.call(form.querySelectorAll('thead th'));

  /** Every input of a day column that holds something typed. */
  function dayHasTyping(date) {
    return Array.prototype.some.call(form.querySelectorAll('input.hours[data-date="' + CSS.escape(date) + '"]'), function (input) {
      return input.value.trim() !== '';
    });
  }

  // Hide non-working days at once (no reload) and remember it in the session, as the plain button does.
  var toggle = document.getElementById('toggle-nonworking');
  var note = document.getElementById('nonworking-note');
  if (toggle) {
    toggle.addEventListener('click', function (event) {
      event.preventDefault();
      var hide = !form.classList.contains('hide-nonworking');
      // A column typed into since the page loaded stays visible: nothing typed is ever hidden.
      headCells.forEach(function (th, col) {
        if (th.dataset.working !== 'false') return;
        var keep = dayHasTyping(th.dataset.date);
        form.querySelectorAll('tr').forEach(function (tr) {
          var cell = tr.children[col];
          if (cell) cell.classList.toggle('hideable', !keep);
        });
      });
      form.classList.toggle('hide-nonworking', hide);
      toggle.setAttribute('aria-pressed', hide ? 'true' : 'false');
      toggle.textContent = hide ? toggle.dataset.labelShow : toggle.dataset.labelHide;
      if (note) note.textContent = hide ? (msg.msgNonworkingHidden || '') : '';
      fetch('/week/' + encodeURIComponent(week) + '/view', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ hideNonWorking: hide })
      }).catch(function () { /* the view still changed; only the memory of it is lost */ });
    });
  }

  // A blank row's hours are saved with its project: choosing one saves the form (the row becomes a
  // project row); typing before choosing says so.
  var defaultSave = form.querySelector('button.default-save');
  form.addEventListener('change', function (event) {
    var select = event.target.closest && event.target.closest('select.blank-project');
    if (select && select.value && defaultSave) form.requestSubmit(defaultSave);
  });
  form.addEventListener('input', function (event) {
    var tr = event.target.closest && event.target.closest('tr.blank-row');
    var select = tr && tr.querySelector('select.blank-project');
    if (select && !select.value && msg.msgBlankHint) setStatus(msg.msgBlankHint, 'hint');
  });

  // A blank row's hours reach the server only with the post its project choice makes. Until then
  // they are kept in localStorage as well, so a closed tab or a crash loses nothing. A post that
  // landed moves the week's version on: what was kept is then dropped; otherwise it is put back
  // into the blank cells that are still empty.
  var blankKey = 'timesheet:blank:' + form.dataset.user + ':' + week;
  function blankValues() {
    var out = {};
    form.querySelectorAll('tr.blank-row input.hours, tr.blank-row select.blank-project').forEach(function (el) {
      if (el.value) out[el.name] = el.value;
    });
    return out;
  }
  var sentVersion = null; // the version this page posted its blank rows with, once it has
  function keepBlank() {
    try {
      var values = blankValues();
      var hasHours = Object.keys(values).some(function (name) { return name.indexOf('np:') !== 0; });
      if (hasHours) localStorage.setItem(blankKey, JSON.stringify({ values: values, sentVersion: sentVersion }));
      else localStorage.removeItem(blankKey);
    } catch (e) { /* storage full or disabled: the page still holds the values */ }
  }
  (function restoreBlank() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(blankKey) || 'null'); } catch (e) { kept = null; }
    if (!kept || !kept.values) return;
    if (typeof kept.sentVersion === 'number' && Number(versionInput.value) > kept.sentVersion) {
      try { localStorage.removeItem(blankKey); } catch (e) { /* nothing to drop */ }
      return;
    }
    var restored = 0;
    Object.keys(kept.values).forEach(function (name) {
      var el = form.querySelector('tr.blank-row [name="' + CSS.escape(name) + '"]');
      if (!el || el.value) return;
      el.value = kept.values[name];
      if (el.tagName === 'INPUT') restored++;
    });
    if (restored && msg.msgBlankRestored) setStatus(msg.msgBlankRestored, 'hint');
  })();
  // The project choice posts from its own change listener, before this one runs: sentVersion is
  // then already set and stays in what is kept.
  function onBlankEdit(event) {
    if (event.target.closest && event.target.closest('tr.blank-row')) keepBlank();
  }
  form.addEventListener('input', onBlankEdit);
  form.addEventListener('change', onBlankEdit);
  form.addEventListener('submit', function (event) {
    if (event.defaultPrevented) return;
    sentVersion = Number(versionInput.value);
    keepBlank();
  });

  // "Week complete?": working days with expected hours and nothing typed, asked in a modal dialog.
  var dialog = document.getElementById('complete-dialog');
  var dayList = document.getElementById('complete-dialog-days');
  var cancel = document.getElementById('complete-cancel');
  var submitButton = null;
  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    if (event.defaultPrevented || !dialog || typeof dialog.showModal !== 'function' || !submitter || submitter.value !== 'submit') return;
    var missing = headCells.filter(function (th) {
      return th.dataset.working === 'true' && th.dataset.expected === 'true' && !dayHasTyping(th.dataset.date);
    });
    if (!missing.length) return;
    event.preventDefault();
    submitButton = submitter;
    dayList.textContent = '';
    missing.forEach(function (th) {
      var li = document.createElement('li');
      li.textContent = th.dataset.long;
      dayList.appendChild(li);
    });
    dialog.showModal();
  });
  // Back to the week: the submit handler above stopped the autosave timer, so start it again.
  function backToWeek() {
    if (count() && !conflict && !blocked) schedule(0);
    if (submitButton) submitButton.focus();
  }
  if (cancel) {
    cancel.addEventListener('click', function () {
      dialog.close();
      backToWeek();
    });
  }
  if (dialog) dialog.addEventListener('cancel', backToWeek);
})();
