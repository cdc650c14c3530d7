"use strict";
(function () {
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var filter = document.getElementById("filter");
  var shown = document.getElementById("shown");
  function apply() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    findings.forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + findings.length + " findings shown";
  }
  function openAll(open) {
    document.querySelectorAll("details.evidence").forEach(function (item) {
      if (!item.closest("article").hidden) { item.open = open; }
    });
  }
  filter.addEventListener("input", apply);
  document.getElementById("expand").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { openAll(false); });
  apply();
})();
