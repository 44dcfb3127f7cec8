/* Command pages: add a task row to the document form; show the timing fields a row needs.
   Without JavaScript every field is shown and the empty rows already on the page can be used. */
(function () {
  "use strict";

  function syncTiming(row) {
    var select = row.querySelector("select.timing");
    if (select) row.dataset.timing = select.value;
  }

  function wire(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".task-row"), syncTiming);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select.timing")) {
      syncTiming(event.target.closest(".task-row"));
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-task]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.dataset.addTask;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    wire(added);
    var first = added.querySelector("select, textarea, input");
    if (first) first.focus();
  });

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target); });
})();
