/* The campaign's list on the sampling page: narrow it by name as the team types (the list can be
   hundreds of traders long on a phone). Names are compared without diacritics, like the search. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-filter-list]")) return;
    var list = document.getElementById(box.dataset.filterList);
    if (!list) return;
    var wanted = fold(box.value);
    list.querySelectorAll("[data-name]").forEach(function (item) {
      item.hidden = wanted !== "" && item.dataset.name.indexOf(wanted) < 0;
    });
  });
})();
