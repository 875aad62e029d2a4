// The bank desk: "select every row of this page" on the 待受理 list (no inline scripts: CSP).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.id !== "check-all") return;
    var form = event.target.form;
    form.querySelectorAll("input[name=ids]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
