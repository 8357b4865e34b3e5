// The share section's copy button (the message is readable and selectable without it).
(function () {
  "use strict";
  var button = document.getElementById("share-copy");
  var text = document.getElementById("share-text");
  var status = document.getElementById("share-status");
  if (!button || !text || !status || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(text.textContent).then(function () {
      status.textContent = button.getAttribute("data-done");
    }, function () {
      status.textContent = button.getAttribute("data-failed");
    });
  });
})();
