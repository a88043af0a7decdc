/* citra: an (i) beside each heading, table header and tile label that names a term of the glossary; it links to
   the term on /glosarium and carries its short definition (title for the mouse, aria-label for screen readers). */
(function () {
  "use strict";

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function addTips() {
    var node = document.getElementById("glossary-terms");
    if (!node || document.querySelector(".glossary")) {
      return;
    }
    var terms = JSON.parse(node.textContent).map(function (term) {
      var words = term.words.map(escapeRegExp).join("|");
      return { term: term, pattern: new RegExp("(^|[^\\p{L}])(" + words + ")($|[^\\p{L}])", "iu") };
    });
    document.querySelectorAll("main h2, main h3, main th, main .tile .label, main caption").forEach(function (el) {
      if (el.querySelector(".tip")) {
        return;
      }
      var text = el.textContent || "";
      var found = terms.filter(function (t) { return t.pattern.test(text); }).slice(0, 2);
      found.forEach(function (t) {
        var tip = document.createElement("a");
        tip.className = "tip";
        tip.href = "/glosarium#" + t.term.key;
        tip.title = t.term.term + ": " + t.term.short;
        tip.setAttribute("aria-label", t.term.term + ": " + t.term.short);
        tip.textContent = "i";
        el.appendChild(document.createTextNode(" "));
        el.appendChild(tip);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addTips);
  } else {
    addTips();
  }
})();
