/* citra inbox: "select all on this page" ticks every item checkbox of the bulk form. No inline script. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var form = all.getAttribute("data-select-all");
      all.addEventListener("change", function () {
        document.querySelectorAll('input[type="checkbox"][name="post_id"][form="' + form + '"]').forEach(function (box) {
          box.checked = all.checked;
        });
      });
    });
  });
})();
