/* Live clocks of the response board: every second, each [data-due] element shows the time left
   to its deadline (or how late it is) and takes the green / amber / red light. The server says
   what time it is (data-now on the board) so a phone with a wrong clock still counts right;
   htmx replaces the board every 30 s with the state, and this picks the new elements up. */
(function () {
  "use strict";
  var offset = null;

  function serverOffset() {
    var board = document.querySelector("[data-now]");
    if (!board) return 0;
    if (board.dataset.now !== serverOffset.seen) {
      serverOffset.seen = board.dataset.now;
      offset = Date.parse(board.dataset.now) - Date.now();
    }
    return offset || 0;
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function format(ms) {
    var s = Math.floor(Math.abs(ms) / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ":" + two(m) : m) + ":" + two(s % 60);
  }

  function tick() {
    var now = Date.now() + serverOffset();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due), warn = Date.parse(el.dataset.warn), left = due - now;
      var light = left <= 0 ? "red" : (now >= warn ? "amber" : "green");
      el.classList.remove("light-green", "light-amber", "light-red");
      el.classList.add("light-" + light);
      var out = el.querySelector("[data-left]");
      if (out) out.textContent = left <= 0 ? "+" + format(left) : format(left);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
  document.addEventListener("htmx:afterSwap", tick);
})();
