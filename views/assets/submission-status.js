// While a submitted week waits for the ERP (outbox), asks the server now and then whether the ERP
// has answered, and reloads the page when it has (receipt, or the reason it was refused). Without
// JavaScript the "Check again" link does the same.
(function () {
  'use strict';
  var panel = document.getElementById('submission-status');
  if (!panel) return;
  var url = '/week/' + encodeURIComponent(panel.dataset.week) + '/status';
  var delay = 2000;
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) {
        if (body && body.status !== 'submitting') {
          var status = document.getElementById('submitting-body');
          if (status) status.textContent = panel.dataset.msgDone || '';
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 15000);
        setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 1.5, 15000);
        setTimeout(poll, delay);
      });
  }
  setTimeout(poll, delay);
})();
