(function () {
  "use strict";
  var body = document.body;
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    var apply = function () { body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked); };
    box.addEventListener("change", apply);
    apply();
  });
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  // Search, facets and paging: see page.filter_bar.
  document.querySelectorAll("[data-filter-for]").forEach(function (bar) {
    var box = document.getElementById(bar.getAttribute("data-filter-for"));
    if (!box) { return; }
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-item]"));
    var keys = items.map(function (el) { return fold(el.textContent + " " + (el.getAttribute("data-search") || "")); });
    var heads = Array.prototype.slice.call(box.querySelectorAll("[data-head]"));
    var input = bar.querySelector("input[type=search]");
    var selects = Array.prototype.slice.call(bar.querySelectorAll("select[data-facet]"));
    var count = bar.querySelector(".count");
    var size = parseInt(box.getAttribute("data-page-size") || "0", 10);
    var page = 0;
    var pager = null;
    if (size > 0) {
      pager = document.createElement("div");
      pager.className = "pager";
      box.parentNode.insertBefore(pager, box.nextSibling);
    }
    function button(label, target, enabled) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.disabled = !enabled;
      b.setAttribute("data-page", String(target));
      b.addEventListener("click", function () { page = target; apply(false); });
      return b;
    }
    function apply(reset) {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var matched = items.filter(function (el, i) {
        for (var w = 0; w < words.length; w++) { if (keys[i].indexOf(words[w]) < 0) { return false; } }
        for (var s = 0; s < selects.length; s++) {
          var v = selects[s].value;
          if (v && el.getAttribute("data-f-" + selects[s].getAttribute("data-facet")) !== v) { return false; }
        }
        return true;
      });
      var pages = size > 0 ? Math.max(1, Math.ceil(matched.length / size)) : 1;
      if (reset) { page = 0; }
      page = Math.max(0, Math.min(page, pages - 1));
      var shown = size > 0 ? matched.slice(page * size, (page + 1) * size) : matched;
      items.forEach(function (el) { el.hidden = shown.indexOf(el) < 0; });
      heads.forEach(function (h) {
        var g = h.getAttribute("data-head");
        h.hidden = !shown.some(function (el) { return el.getAttribute("data-in") === g; });
      });
      count.textContent = matched.length === items.length ? items.length + " shown" :
        matched.length + " of " + items.length + " match";
      if (pager) {
        var where = document.createElement("span");
        where.className = "where";
        where.textContent = matched.length ? "page " + (page + 1) + " of " + pages + " (" + (page * size + 1) + "–" +
          (page * size + shown.length) + " of " + matched.length + ")" : "nothing matches";
        pager.replaceChildren(button("← previous", page - 1, page > 0), where, button("next →", page + 1, page + 1 < pages));
        pager.hidden = pages < 2 && matched.length > 0;
      }
    }
    input.addEventListener("input", function () { apply(true); });
    selects.forEach(function (sel) { sel.addEventListener("change", function () { apply(true); }); });
    apply(true);
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
