// Registration form: keep what was typed in this browser until the server has saved it,
// so a dropped mobile connection never loses a half-filled step. Works without it too.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosave]");
    if (!form || !window.localStorage) { return; }
    var key = "erozgar-reg-" + form.getAttribute("data-autosave");
    var hasErrors = document.querySelector(".errorlist") !== null;
    // A page shown after a successful save carries a success message: the server has the data now.
    if (document.querySelector(".message-success")) {
      Object.keys(window.localStorage).forEach(function (k) {
        if (k.indexOf("erozgar-reg-") === 0) { window.localStorage.removeItem(k); }
      });
    }
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && !hasErrors) {
      Object.keys(saved).forEach(function (name) {
        var fields = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
        fields.forEach(function (field) {
          if (field.type === "checkbox") { field.checked = saved[name].indexOf(field.value) !== -1; }
          else if (field.type !== "file" && field.type !== "hidden" && !field.value) { field.value = saved[name][0] || ""; }
        });
      });
    }
    function store() {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "file" || field.type === "hidden" || field.type === "submit") { return; }
        if (field.name === "csrfmiddlewaretoken") { return; }
        data[field.name] = data[field.name] || [];
        if (field.type === "checkbox") { if (field.checked) { data[field.name].push(field.value); } }
        else { data[field.name].push(field.value); }
      });
      try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or blocked */ }
    }
    form.addEventListener("input", store);
    form.addEventListener("change", store);
  });
})();
