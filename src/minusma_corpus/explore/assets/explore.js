(function () {
  "use strict";
  var body = document.body;
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    var apply = function () { body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked); };
    box.addEventListener("change", apply);
    apply();
  });
  var text = document.getElementById("text");
  var panel = document.getElementById("panel");
  if (!text) { return; }
  function groupOf(el) { return el.getAttribute("data-group") || el.getAttribute("data-id"); }
  function members(group) {
    var g = CSS.escape(group);
    return text.querySelectorAll('[data-id="' + g + '"], [data-group="' + g + '"]');
  }
  var lit = [];
  text.addEventListener("mouseover", function (e) {
    lit.forEach(function (x) { x.classList.remove("hl"); });
    lit = [];
    var el = e.target.closest("[data-id]");
    if (!el) { return; }
    members(groupOf(el)).forEach(function (x) { x.classList.add("hl"); lit.push(x); });
  });
  function details(row) {
    var table = row.closest("table");
    var heads = table.querySelectorAll("thead th");
    var section = document.createElement("section");
    var title = document.createElement("h3");
    title.textContent = (table.getAttribute("data-layer") || "") + " " + row.cells[0].textContent;
    section.appendChild(title);
    var dl = document.createElement("dl");
    for (var i = 1; i < row.cells.length && i < heads.length; i++) {
      var dt = document.createElement("dt");
      dt.textContent = heads[i].textContent;
      var dd = document.createElement("dd");
      row.cells[i].childNodes.forEach(function (n) { dd.appendChild(n.cloneNode(true)); });
      dl.appendChild(dt);
      dl.appendChild(dd);
    }
    var more = document.createElement("a");
    more.href = "#" + row.id;
    more.textContent = "row in the table below";
    section.appendChild(dl);
    section.appendChild(more);
    return section;
  }
  text.addEventListener("click", function (e) {
    if (!panel) { return; }
    var groups = [];
    for (var el = e.target.closest("[data-id]"); el; el = el.parentElement && el.parentElement.closest("[data-id]")) {
      var g = groupOf(el);
      if (groups.indexOf(g) < 0) { groups.push(g); }
    }
    if (!groups.length) { return; }
    panel.replaceChildren();
    groups.forEach(function (g) {
      var row = document.getElementById("ann-" + g);
      if (row) { panel.appendChild(details(row)); }
    });
  });
})();
