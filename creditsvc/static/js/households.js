// The household form: remove a member row in place (rows are added by htmx, see form.html).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) return;
    var row = button.closest("[data-member-row]");
    if (!row) return;
    row.remove();
    // Keyboard users keep their place: focus goes to the add button.
    var add = document.getElementById("add-member");
    if (add) add.focus();
  });
  // A new row takes the focus on its first field.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "member-rows") return;
    var rows = event.target.querySelectorAll("[data-member-row]");
    var last = rows[rows.length - 1];
    var first = last && last.querySelector("select, input");
    if (first) first.focus();
  });
})();
