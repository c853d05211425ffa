// Shuniu: progressive enhancement only. Every page works without this file.
(function () {
  'use strict';

  // Organization form: mark which code field (USCC or filing number) applies to the
  // chosen legal form; the stylesheet dims the other one.
  var form = document.querySelector('form.org-form');
  if (form) {
    var select = form.querySelector('select[name="legal_form"]');
    if (select) {
      var sync = function () {
        form.setAttribute('data-legal-form', select.value);
      };
      select.addEventListener('change', sync);
      sync();
    }
  }

  // Status form: deregistration cannot be undone, so ask once.
  var statusForm = document.querySelector('form.status-form');
  if (statusForm) {
    statusForm.addEventListener('submit', function (e) {
      var chosen = statusForm.querySelector('input[name="status"]:checked');
      var question = statusForm.getAttribute('data-confirm-deregister');
      if (chosen && chosen.value === 'deregistered' && question && !window.confirm(question)) {
        e.preventDefault();
      }
    });
  }

  // A booking's slip: a print button where a script can press print (without this file
  // the button stays hidden and the page says to use the browser's print command).
  var printButtons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < printButtons.length; i++) {
    printButtons[i].hidden = false;
    printButtons[i].addEventListener('click', function () {
      window.print();
    });
  }

  // A form that came back with errors: move focus to the summary so that it is read out.
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
  }
})();
