"use strict";
// The dashboard's behaviour: findings on demand, sorting, filtering, chart values on hover.
// It only reads what the page already shows (text and data- attributes): no markup is ever
// built from data, so a hostile repository name stays text.
(function () {
  var table = document.getElementById("repositories");

  function pairs() {
    // each repository row with its findings row, so both move and hide together
    var out = [];
    var rows = table ? table.tBodies[0].rows : [];
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].classList.contains("repo")) {
        var next = rows[i].nextElementSibling;
        out.push([rows[i], next && next.classList.contains("details") ? next : null]);
      }
    }
    return out;
  }

  function value(row, column, kind) {
    var cell = row.cells[column];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (kind === "number") { var n = parseFloat(raw); return isNaN(n) ? -1 : n; }
    return raw.trim().toLowerCase();
  }

  function sortBy(button) {
    var th = button.parentNode;
    var column = parseInt(button.getAttribute("data-column"), 10);
    var kind = button.getAttribute("data-kind");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].setAttribute("aria-sort", "none"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var all = pairs();
    all.sort(function (a, b) {
      var x = value(a[0], column, kind), y = value(b[0], column, kind);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    var body = table.tBodies[0];
    all.forEach(function (pair) {
      body.appendChild(pair[0]);
      if (pair[1]) { body.appendChild(pair[1]); }
    });
  }

  function field(id) {
    var element = document.getElementById(id);
    return element ? element.value : "";
  }

  var limit = document.getElementById("show-all") ?
    parseInt(document.getElementById("show-all").getAttribute("data-page"), 10) : Infinity;

  function matches(row) {
    var text = field("filter-text").trim().toLowerCase();
    var risk = field("filter-risk"), owner = field("filter-owner");
    var aspect = field("filter-aspect"), status = field("filter-status");
    var component = field("filter-component");
    if (text && row.textContent.toLowerCase().indexOf(text) < 0) { return false; }
    if (risk && row.getAttribute("data-risk") !== risk) { return false; }
    if (owner && row.getAttribute("data-owner") !== owner) { return false; }
    if (component && row.getAttribute("data-components").split("\n").indexOf(component) < 0) {
      return false;
    }
    if (aspect || status) {
      var found = row.getAttribute("data-statuses").split(" ").some(function (item) {
        var parts = item.split("=");
        return (!aspect || parts[0] === aspect) && (!status || parts[1] === status);
      });
      if (!found) { return false; }
    }
    return true;
  }

  function applyFilters() {
    // a large organisation shows its first rows (in the current order) until "show all"
    var shown = 0, found = 0;
    pairs().forEach(function (pair) {
      var keep = matches(pair[0]);
      if (keep) { found += 1; }
      keep = keep && found <= limit;
      pair[0].hidden = !keep;
      if (pair[1]) {
        var open = pair[0].querySelector("button.toggle[aria-expanded='true']");
        pair[1].hidden = !(keep && open);
      }
      if (keep) { shown += 1; }
    });
    document.getElementById("shown-count").textContent = String(shown);
    document.getElementById("match-count").textContent = String(found);
  }

  function filterInventory() {
    var text = field("inventory-filter").trim().toLowerCase();
    var rows = document.querySelectorAll("#inventory tbody tr");
    for (var i = 0; i < rows.length; i++) {
      rows[i].hidden = text !== "" && rows[i].getAttribute("data-search").indexOf(text) < 0;
    }
  }

  function showTip(dot) {
    var tip = document.getElementById("chart-tip");
    if (!tip) { return; }
    tip.textContent = dot.getAttribute("data-label");
    var box = dot.getBoundingClientRect();
    tip.style.left = (window.scrollX + box.left + box.width / 2) + "px";
    tip.style.top = (window.scrollY + box.top - 8) + "px";
    tip.hidden = false;
  }

  function hideTip() {
    var tip = document.getElementById("chart-tip");
    if (tip) { tip.hidden = true; }
  }

  document.addEventListener("click", function (event) {
    var sorter = event.target.closest("button.sort");
    if (sorter) { sortBy(sorter); applyFilters(); return; }
    if (event.target.id === "show-all") {
      limit = Infinity;
      event.target.hidden = true;
      applyFilters();
      return;
    }
    var button = event.target.closest("button[aria-controls]");
    if (!button) { return; }
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) { return; }
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    target.hidden = open;
  });
  document.addEventListener("input", function (event) {
    if (event.target.id === "inventory-filter") { filterInventory(); } else { applyFilters(); }
  });
  document.addEventListener("change", applyFilters);
  document.addEventListener("submit", function (event) { event.preventDefault(); });
  ["mouseover", "focusin"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target.matches && event.target.matches("svg.trend circle")) { showTip(event.target); }
    });
  });
  ["mouseout", "focusout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target.matches && event.target.matches("svg.trend circle")) { hideTip(); }
    });
  });
}());
