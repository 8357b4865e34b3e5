// Two small helps; every form works without them. Drop a workbook on the box to check it at once, and
// a build's progress bar updates while it runs (the page also reloads itself without JavaScript).
(function () {
  "use strict";
  var drop = document.querySelector("[data-drop]");
  if (drop) {
    var input = drop.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        drop.submit();
      }
    });
  }
  var poll = document.querySelector("meta[data-poll]");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  if (poll && bar) {
    var tick = function () {
      fetch(poll.getAttribute("data-poll"), { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.finished) { window.location.reload(); return; }
          bar.max = s.total || 1; bar.value = s.done;
          if (text) { text.textContent = s.done + " / " + s.total; }
          window.setTimeout(tick, 500);
        });
    };
    window.setTimeout(tick, 500);
  }
})();
