/* citra Jaringan: a click on an account of the network graph loads its posts of the period into the panel beside
   the graph (an HTML fragment the server escaped: /jaringan/akun?...&partial=1); "Highlight on the graph" rings a
   coordinated group's accounts. Each point carries its handle in customdata[0] (citra/web/netchart.py). */
(function () {
  "use strict";

  var loading = null;

  function handleOf(point) {
    var data = point && point.customdata;
    return Array.isArray(data) && typeof data[0] === "string" ? data[0] : null;
  }

  function groupsOf(point) {
    var data = point && point.customdata;
    return Array.isArray(data) && Array.isArray(data[4]) ? data[4] : [];
  }

  /* "In a coordinated group: 1, 3" with links to the groups' evidence below the graph */
  function groupLinks(panel, groups) {
    var found = groups.filter(function (n) {
      return document.getElementById("kelompok-" + n);
    });
    if (!found.length) {
      return;
    }
    var line = document.createElement("p");
    line.className = "in-groups";
    line.appendChild(document.createTextNode((panel.getAttribute("data-groups") || "") + " "));
    found.forEach(function (n, i) {
      var link = document.createElement("a");
      link.href = "#kelompok-" + n;
      link.textContent = String(n);
      if (i) {
        line.appendChild(document.createTextNode(", "));
      }
      line.appendChild(link);
    });
    var head = panel.querySelector("h3");
    if (head) {
      head.insertAdjacentElement("afterend", line);
    }
  }

  function showAccount(panel, handle, groups) {
    var url = panel.getAttribute("data-url") + "&handle=" + encodeURIComponent(handle);
    if (loading) {
      loading.abort();
    }
    loading = new AbortController();
    panel.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", signal: loading.signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html; /* server-rendered with autoescaping: post text arrives escaped */
        panel.removeAttribute("aria-busy");
        groupLinks(panel, groups);
        if (window.matchMedia("(max-width: 900px)").matches) {
          panel.scrollIntoView({ behavior: "smooth", block: "start" });
        }
      })
      .catch(function (error) {
        if (error.name === "AbortError") {
          return;
        }
        panel.removeAttribute("aria-busy");
        panel.textContent = panel.getAttribute("data-error") || "Error " + error.message;
      });
  }

  function positions(chart) {
    var at = {};
    (chart.data || []).forEach(function (trace) {
      (trace.customdata || []).forEach(function (data, i) {
        if (Array.isArray(data) && typeof data[0] === "string" && !(data[0] in at)) {
          at[data[0]] = [trace.x[i], trace.y[i]];
        }
      });
    });
    return at;
  }

  function highlightIndex(chart) {
    for (var i = 0; i < chart.data.length; i += 1) {
      if (chart.data[i].name === "highlight") {
        return i;
      }
    }
    return -1;
  }

  function highlight(chart, accounts, button) {
    var index = highlightIndex(chart);
    if (index < 0) {
      return;
    }
    var on = button.getAttribute("aria-pressed") !== "true";
    document.querySelectorAll("button.highlight-group").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    var at = positions(chart);
    var xs = [];
    var ys = [];
    if (on) {
      accounts.forEach(function (handle) {
        if (at[handle]) {
          xs.push(at[handle][0]);
          ys.push(at[handle][1]);
        }
      });
      button.setAttribute("aria-pressed", "true");
      chart.scrollIntoView({ behavior: "smooth", block: "center" });
    }
    window.Plotly.restyle(chart, { x: [xs], y: [ys] }, [index]);
  }

  function attach() {
    var chart = document.getElementById("chart-network");
    var panel = document.getElementById("network-account");
    if (!chart || !panel || typeof chart.on !== "function") {
      return;
    }
    chart.classList.add("clickable");
    chart.on("plotly_click", function (event) {
      var points = (event && event.points) || [];
      for (var i = 0; i < points.length; i += 1) {
        var handle = handleOf(points[i]);
        if (handle) {
          showAccount(panel, handle, groupsOf(points[i]));
          return;
        }
      }
    });
    document.querySelectorAll("article.net-group").forEach(function (article) {
      var button = article.querySelector("button.highlight-group");
      var accounts = JSON.parse(article.getAttribute("data-accounts") || "[]");
      if (!button || !accounts.length) {
        return;
      }
      button.hidden = false;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        highlight(chart, accounts, button);
      });
    });
  }

  /* citra.js draws the charts on DOMContentLoaded; "load" comes after it */
  window.addEventListener("load", attach);
})();
