// While a submitted week waits for the ERP (outbox), asks the server now and then whether the ERP
// has answered, and reloads the page when it has (receipt, or the reason it was refused). Without
// JavaScript the "Check again" link does the same.
(function () {
  const panel = document.getElementById('submission-status');
  if (!panel) return;
  const url = '/week/' + encodeURIComponent(panel.dataset.week ?? '') + '/status';
  let delay = 2000;
  function later(): void {
    delay = Math.min(delay * 1.5, 15000);
    setTimeout(poll, delay);
  }
  function poll(): void {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<{ status?: string } | null>) : null))
      .then((body) => {
        if (body && body.status !== 'submitting') {
          const status = document.getElementById('submitting-body');
          if (status) status.textContent = panel?.dataset.msgDone || '';
          window.location.reload();
          return;
        }
        later();
      })
      .catch(later);
  }
  setTimeout(poll, delay);
})();
