// Map of the centres on the current directory page. The list is always there; the map
// stays only while map tiles load (centres often have slow or blocked internet).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("centres-map");
    var data = document.getElementById("centres-markers");
    var note = document.getElementById("centres-map-note");
    if (!box || !data || typeof window.L === "undefined") { return; }
    var markers = JSON.parse(data.textContent);
    if (!markers.length) { return; }
    box.hidden = false;
    var map = window.L.map(box, { scrollWheelZoom: false });
    var tiles = window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors"
    });
    var loaded = false;
    function giveUp() {
      if (loaded) { return; }
      box.hidden = true;
      if (note) { note.hidden = false; }
    }
    tiles.on("tileload", function () {
      if (!loaded && box.hidden) {
        box.hidden = false;
        if (note) { note.hidden = true; }
        map.invalidateSize();
      }
      loaded = true;
    });
    tiles.on("tileerror", giveUp);
    tiles.addTo(map);
    var bounds = [];
    markers.forEach(function (m) {
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.name + " (" + m.city + ")";
      window.L.marker([m.lat, m.lng], { title: m.name, alt: m.name }).addTo(map).bindPopup(link);
      bounds.push([m.lat, m.lng]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 13); } else { map.fitBounds(bounds, { padding: [24, 24] }); }
    // Nothing at all after a while (a silent proxy): hide the empty grey box; the list stays.
    window.setTimeout(giveUp, 8000);
  });
})();
