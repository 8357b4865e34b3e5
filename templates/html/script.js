// Progressive enhancement only: the page works fully without this script.
// 1. Quick exit: location.replace() so this page is not left in the back history; Esc twice does the same.
// 2. A search box over the services (hidden unless this script runs).
// 3. Printing opens every collapsed section.
(function () {
  "use strict";
  var d = document;
  var exit = d.getElementById("quick-exit");
  function leave(event) {
    if (event) { event.preventDefault(); }
    var target = exit ? exit.href : "about:blank";
    try { d.title = ""; d.body.textContent = ""; } catch (e) { /* nothing to hide */ }
    window.location.replace(target);
  }
  if (exit) {
    exit.addEventListener("click", leave);
    var lastEsc = 0;
    d.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") { return; }
      var now = Date.now();
      if (now - lastEsc < 1500) { leave(event); }
      lastEsc = now;
    });
  }
  var box = d.getElementById("search");
  var input = d.getElementById("q");
  var status = d.getElementById("search-status");
  if (box && input && status) {
    var fold = function (text) {
      return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u0111/g, "d");
    };
    var cards = Array.prototype.slice.call(d.querySelectorAll(".svc"));
    var texts = cards.map(function (card) { return fold(card.textContent); });
    var sections = Array.prototype.slice.call(d.querySelectorAll(".cat"));
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var found = 0;
      cards.forEach(function (card, i) {
        var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        card.hidden = !hit;
        if (hit) { found += 1; }
      });
      sections.forEach(function (section) {
        section.hidden = words.length > 0 && !section.querySelector(".svc:not([hidden])");
      });
      d.body.classList.toggle("searching", words.length > 0);
      status.textContent = !words.length ? "" :
        found ? status.getAttribute("data-found").replace("{count}", String(found)) : status.getAttribute("data-none");
    });
  }
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(d.querySelectorAll("details"), function (el) { el.open = true; });
  });
})();
