// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Move focus to the first field with an error so keyboard and screen-reader users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector(".errorlist + p input, [aria-invalid='true']");
    if (invalid) { invalid.focus(); }
  });
  // Buttons that ask for confirmation: <button data-confirm="Are you sure?">
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Print buttons: <button data-print>
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
