// Booking grid: keep keyboard and screen-reader users oriented when htmx swaps the grid.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "availability") { return; }
    // The link that was pressed ("Next day", "More spaces") is gone; without this, focus falls
    // back to the top of the page. Land on the day shown instead, which reads out the new day.
    var active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) {
      var day = document.getElementById("grid-day");
      if (day) { day.focus(); }
    }
  });
})();
