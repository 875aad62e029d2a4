// Page behaviour without inline scripts (the pages' CSP forbids them).
(function () {
  "use strict";
  // A form marked data-once disables its submit buttons after the first submit: a double click
  // sends one request (the form token makes a second one harmless anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  // Buttons that ask first (data-confirm="...").
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
  });
  // A language <select> switches at once.
  document.addEventListener("change", function (event) {
    if (event.target.id === "lang") event.target.form.submit();
  });
})();
