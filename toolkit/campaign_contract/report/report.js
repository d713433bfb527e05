(function () {
  "use strict";

  // Filter the checks table by outcome.
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-filter]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-outcome]"));
  var noMatch = document.getElementById("no-match");

  function applyFilter(outcome) {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = outcome === "all" || row.getAttribute("data-outcome") === outcome;
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    buttons.forEach(function (button) {
      var on = button.getAttribute("data-filter") === outcome;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (noMatch) { noMatch.hidden = shown > 0 || rows.length === 0; }
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      applyFilter(button.getAttribute("data-filter"));
    });
  });

  // Copy a reproduction to the clipboard, falling back to a selection-based copy.
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function flash(button, label) {
    button.textContent = label;
    window.setTimeout(function () { button.textContent = "Copy"; }, 1600);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.textContent;
    function fallback() {
      if (fallbackCopy(text)) { flash(button, "Copied"); }
      else { selectText(source); flash(button, "Press Ctrl+C"); }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { flash(button, "Copied"); }, fallback);
    } else {
      fallback();
    }
  });

  // Following a link to a failure opens it.
  function openTarget() {
    var id = window.location.hash.slice(1);
    if (!id) { return; }
    var node = document.getElementById(id);
    if (!node) { return; }
    var details = node.tagName === "DETAILS" ? node : node.querySelector("details");
    if (details) { details.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
