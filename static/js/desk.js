// The desk: keep the scan field ready for the next person, and read QR codes with the camera.
// Works without this file (plain forms); the camera needs a secure context (https or localhost).
(function () {
  "use strict";

  function scanInput() { return document.querySelector("[data-desk-scan] input[name='reference']"); }

  // After each answer: clear and refocus the field so a handheld scanner can fire again at once.
  document.addEventListener("htmx:afterRequest", function (event) {
    var config = event.detail.requestConfig || {};
    if (String(config.verb).toLowerCase() !== "post") { return; }  // polling must not steal focus
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("[data-desk-scan]") : null;
    var input = scanInput();
    if (form && input) { input.value = ""; }
    if (input) { input.focus(); }
  });

  var stream = null;
  var running = false;

  function stopCamera() {
    running = false;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
    var box = document.querySelector("[data-camera]");
    if (box) { box.hidden = true; }
    var input = scanInput();
    if (input) { input.focus(); }
  }

  function submitReference(text) {
    var input = scanInput();
    if (!input) { return; }
    input.value = text;
    var form = input.form;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  // The decoder (250 kB) is fetched only when the camera is first used: centres have slow links.
  function withDecoder(url, then) {
    if (window.jsQR) { then(); return; }
    var script = document.createElement("script");
    script.src = url;
    script.onload = then;
    script.onerror = function () {
      document.querySelector("[data-camera]").hidden = false;
      document.querySelector("[data-camera-error]").hidden = false;
    };
    document.head.appendChild(script);
  }

  function startCamera() {
    var box = document.querySelector("[data-camera]");
    var video = box.querySelector("[data-camera-video]");
    var canvas = box.querySelector("[data-camera-canvas]");
    var error = box.querySelector("[data-camera-error]");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    box.hidden = false;
    error.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        // Safari needs playsinline + muted and an explicit play() after srcObject.
        video.setAttribute("playsinline", "");
        video.muted = true;
        return video.play();
      })
      .then(function () {
        running = true;
        requestAnimationFrame(tick);
      })
      .catch(function () { error.hidden = false; running = false; });

    function tick() {
      if (!running) { return; }
      if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
        // Decode a scaled-down frame: fast enough on a low-end phone, still sharp enough for a QR.
        var scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR ? window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" }) : null;
        if (code && code.data) {
          stopCamera();
          submitReference(code.data);
          return;
        }
      }
      requestAnimationFrame(tick);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var start = document.querySelector("[data-camera-start]");
    if (start && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.isSecureContext) {
      start.hidden = false;
      start.addEventListener("click", function () { withDecoder(start.getAttribute("data-decoder"), startCamera); });
    }
    var stop = document.querySelector("[data-camera-stop]");
    if (stop) { stop.addEventListener("click", stopCamera); }
  });
  window.addEventListener("pagehide", stopCamera);
})();
