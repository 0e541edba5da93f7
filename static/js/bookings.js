// Booking grid: keep keyboard and screen-reader users oriented when htmx swaps the grid.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "availability") { return; }
    // "Next day" and "More spaces" change the day shown without the form: the form follows it,
    // so that changing the kind next keeps the day (setting a value fires no change event).
    var shown = document.getElementById("grid-day");
    var form = document.querySelector("form.day-picker");
    if (shown && form) {
      if (form.elements.date && shown.getAttribute("data-day")) { form.elements.date.value = shown.getAttribute("data-day"); }
      if (form.elements.kind) { form.elements.kind.value = shown.getAttribute("data-kind") || ""; }
    }
    // The link that was pressed ("Next day", "More spaces") is gone; without this, focus falls
    // back to the top of the page. Land on the day shown instead, which reads out the new day.
    var active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) {
      var day = document.getElementById("grid-day");
      if (day) { day.focus(); }
    }
  });
})();

// The grid as one tab stop (a roving tabindex): Tab enters and leaves it in one press; inside,
// the arrow keys move between times (mirrored right-to-left) and spaces, Home and End go to the
// day's first and last time. Without this file every free time is a link in the tab order.
(function () {
  "use strict";
  function setup() {
    var table = document.querySelector(".availability-grid");
    if (!table || table.getAttribute("data-roving") || !table.tBodies.length) { return; }
    var rows = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var cells = Array.prototype.slice.call(tr.querySelectorAll("td .slot"));
      if (cells.length) { rows.push(cells); }
    });
    if (!rows.length) { return; }
    table.setAttribute("data-roving", "on");
    rows.forEach(function (cells) {
      cells.forEach(function (cell) { cell.setAttribute("tabindex", "-1"); });
    });
    var current = table.querySelector("td a.slot-free") || rows[0][0];
    current.setAttribute("tabindex", "0");
    var hint = document.getElementById("grid-hint");
    if (hint) {
      hint.hidden = false;
      var wrap = table.closest(".grid-wrap");
      if (wrap) { wrap.setAttribute("aria-describedby", hint.id); }
    }

    function place(cell) {
      current.setAttribute("tabindex", "-1");
      cell.setAttribute("tabindex", "0");
      current = cell;
    }
    table.addEventListener("focusin", function (event) {
      var cell = event.target.closest(".slot");
      if (cell && cell !== current) { place(cell); }
    });
    table.addEventListener("keydown", function (event) {
      var cell = event.target.closest(".slot");
      if (!cell || event.altKey || event.metaKey) { return; }
      var r = -1, c = -1;
      for (var i = 0; i < rows.length && r < 0; i++) {
        c = rows[i].indexOf(cell);
        if (c >= 0) { r = i; }
      }
      if (r < 0) { return; }
      var forward = window.getComputedStyle(table).direction === "rtl" ? -1 : 1;
      var last = rows[r].length - 1;
      switch (event.key) {
        case "ArrowRight": c += forward; break;
        case "ArrowLeft": c -= forward; break;
        case "ArrowDown": r += 1; break;
        case "ArrowUp": r -= 1; break;
        case "Home": c = 0; if (event.ctrlKey) { r = 0; } break;
        case "End": c = last; if (event.ctrlKey) { r = rows.length - 1; } break;
        default: return;
      }
      event.preventDefault();
      r = Math.max(0, Math.min(rows.length - 1, r));
      c = Math.max(0, Math.min(rows[r].length - 1, c));
      var next = rows[r][c];
      if (next !== cell) {
        place(next);
        next.focus();
      }
    });
  }
  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "availability") { setup(); }
  });
})();
