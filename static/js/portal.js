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
  // The phone menu: a disclosure button. Escape closes it and puts focus back on the button.
  var menuButton = document.querySelector(".menu-button");
  var menu = menuButton && document.getElementById(menuButton.getAttribute("aria-controls"));
  if (menu) {
    var setOpen = function (open) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    };
    menuButton.closest(".site-header").classList.add("js-menu");
    menuButton.hidden = false;
    menuButton.addEventListener("click", function () {
      setOpen(menuButton.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        menuButton.focus();
      }
    });
  }
  // Print buttons: <button data-print>
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
