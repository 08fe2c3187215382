// Autosave of the week grid. Each change is sent to the draft (never to the ERP) as JSON with
// the draft version it was based on. Unsaved changes are kept in localStorage (per user and
// week) until the server has them, so a network blip or a reload loses nothing.
(function () {
  'use strict';
  var script = document.currentScript;
  var form = document.getElementById('week-form');
  var statusEl = document.getElementById('save-status');
  if (!form || !statusEl || form.dataset.readonly === 'true') return;

  var msg = script ? script.dataset : {};
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var versionInput = document.getElementById('week-version');
  var storageKey = 'timesheet:pending:' + form.dataset.user + ':' + form.dataset.week;
  var url = '/week/' + encodeURIComponent(form.dataset.week) + '/autosave';
  var pending = {}; // key -> {key, raw, comment}
  var inFlight = null;
  var timer = null;
  var retryDelay = 2000;
  var conflicted = false;

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.dataset.kind = kind || '';
  }

  function persist() {
    try {
      if (Object.keys(pending).length) localStorage.setItem(storageKey, JSON.stringify(pending));
      else localStorage.removeItem(storageKey);
    } catch (e) { /* private mode: the in-page copy still holds the values */ }
  }

  function cellOf(key) {
    return form.querySelector('td[data-key="' + CSS.escape(key) + '"]');
  }

  function readCell(td) {
    var h = td.querySelector('input.hours');
    var c = td.querySelector('textarea');
    return { key: td.dataset.key, raw: h ? h.value : '', comment: c ? c.value : '' };
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function showErrors(errors) {
    form.querySelectorAll('td.cell').forEach(function (td) {
      var err = errors.filter(function (e) { return e.key === td.dataset.key; });
      var input = td.querySelector('input.hours');
      var p = td.querySelector('.field-error');
      if (!input) return;
      if (err.length) {
        if (!p) {
          p = document.createElement('p');
          p.className = 'field-error';
          p.id = 'err-' + input.id;
          td.appendChild(p);
        }
        p.textContent = err.map(function (e) { return e.message; }).join(' ');
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'input-help ' + p.id);
        td.classList.add('has-error');
      } else {
        if (p) p.remove();
        input.removeAttribute('aria-invalid');
        input.setAttribute('aria-describedby', 'input-help');
        td.classList.remove('has-error');
      }
    });
  }

  function showTotals(body) {
    form.querySelectorAll('[data-day-total]').forEach(function (el) {
      el.textContent = body.dayTotals[el.dataset.dayTotal] || '0';
    });
    form.querySelectorAll('[data-row-total]').forEach(function (el) {
      el.textContent = body.rowTotals[el.dataset.rowTotal] || '0';
    });
    var wt = form.querySelector('[data-week-total]');
    if (wt) wt.textContent = body.weekTotal;
  }

  function flush() {
    if (inFlight || conflicted) return;
    var changes = Object.keys(pending).map(function (k) { return pending[k]; });
    if (!changes.length) return;
    setStatus(msg.msgSaving, 'saving');
    var sent = JSON.stringify(changes);
    inFlight = fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ version: Number(versionInput.value), changes: changes })
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return { res: res, body: body }; });
    }).then(function (r) {
      inFlight = null;
      if (r.res.ok) {
        versionInput.value = String(r.body.version);
        // Drop what the server now holds, unless it was typed again meanwhile.
        JSON.parse(sent).forEach(function (c) {
          var now = pending[c.key];
          if (now && now.raw === c.raw && now.comment === c.comment) delete pending[c.key];
        });
        persist();
        showTotals(r.body);
        showErrors(r.body.errors || []);
        retryDelay = 2000;
        if (Object.keys(pending).length) schedule(0);
        else setStatus(msg.msgSaved, 'saved');
        return;
      }
      if (r.res.status === 409 && r.body.error === 'conflict') {
        conflicted = true;
        setStatus(msg.msgConflict, 'conflict');
        return;
      }
      setStatus(String(msg.msgError).replace('{reason}', r.body.message || ('HTTP ' + r.res.status)), 'error');
      if (r.res.status >= 500) { schedule(retryDelay); retryDelay = Math.min(retryDelay * 2, 30000); }
    }).catch(function () {
      inFlight = null;
      setStatus(String(msg.msgOffline).replace('{count}', String(Object.keys(pending).length)), 'offline');
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function onEdit(event) {
    var td = event.target.closest('td.cell');
    if (!td || !td.dataset.key) return;
    pending[td.dataset.key] = readCell(td);
    persist();
    schedule(event.type === 'change' ? 0 : 600);
  }

  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  window.addEventListener('online', function () { schedule(0); });

  form.addEventListener('submit', function (event) {
    // Let the last autosave land first, so the form's version is current.
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
    } else {
      clearTimeout(timer);
    }
  });

  // Restore what a previous page (reload, lost connection) had not saved yet.
  try {
    var saved = JSON.parse(localStorage.getItem(storageKey) || '{}');
    Object.keys(saved).forEach(function (key) {
      var td = cellOf(key);
      if (!td) return;
      var current = readCell(td);
      var want = saved[key];
      if (current.raw === want.raw && current.comment === want.comment) return;
      var h = td.querySelector('input.hours');
      var c = td.querySelector('textarea');
      if (h) h.value = want.raw;
      if (c) c.value = want.comment;
      pending[key] = want;
    });
    persist();
    if (Object.keys(pending).length) schedule(0);
  } catch (e) { /* unreadable local copy: nothing to restore */ }
})();
