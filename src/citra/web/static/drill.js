/* citra drill-down: a click on a chart's point or bar opens Percakapan with that slice's filters. Each point
   carries its URL in customdata (set in Python, citra/web/charts.py); only local /percakapan URLs are followed. */
(function () {
  "use strict";

  function urlOf(point) {
    var url = point && point.customdata;
    if (Array.isArray(url)) {
      url = url[0]; /* a pie slice gives the customdata of the points it sums */
    }
    return typeof url === "string" && url.indexOf("/percakapan") === 0 ? url : null;
  }

  function linked(chart) {
    return (chart.data || []).some(function (trace) {
      return Array.isArray(trace.customdata) && trace.customdata.some(function (u) {
        return urlOf({ customdata: u }) !== null;
      });
    });
  }

  function attach() {
    document.querySelectorAll(".chart").forEach(function (chart) {
      if (typeof chart.on !== "function" || chart.dataset.drill || !linked(chart)) {
        return;
      }
      chart.dataset.drill = "1";
      chart.classList.add("clickable");
      chart.on("plotly_click", function (event) {
        var points = (event && event.points) || [];
        for (var i = 0; i < points.length; i += 1) {
          var url = urlOf(points[i]);
          if (url) {
            window.location.assign(url);
            return;
          }
        }
      });
    });
  }

  /* citra.js draws the charts on DOMContentLoaded; "load" comes after it */
  window.addEventListener("load", attach);
})();
