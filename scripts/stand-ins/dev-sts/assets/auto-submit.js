// Posts the SAML response to the service provider as soon as the page is parsed (loaded with
// defer). A file, not an inline script, so the page works under a CSP without 'unsafe-inline';
// the visible Continue button covers browsers without JavaScript.
'use strict';
(function () {
  var form = document.querySelector('form[data-auto-submit]');
  if (form) form.submit();
})();
