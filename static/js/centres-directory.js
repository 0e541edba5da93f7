// Directory filters: folded on a phone once a search is made (the results come first), open
// on a wide screen where they sit beside the results.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".filters-box");
    if (box && window.matchMedia("(min-width: 860px)").matches) { box.open = true; }
  });
})();
