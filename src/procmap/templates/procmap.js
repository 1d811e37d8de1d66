/* procmap: the one page script. Zoom and pan of diagrams, step details on hover
   (render --format html), and the handbook's offline search. It reads data only from
   <script type="application/json"> elements and writes text with textContent. */
(function () {
  "use strict";

  function jsonOf(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function zoomable(svg, buttons) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (!box || !box.width) { return; }
    var home = [box.x, box.y, box.width, box.height];
    function setBox(x, y, w, h) { svg.setAttribute("viewBox", [x, y, w, h].join(" ")); }
    function point(evt) {
      var r = svg.getBoundingClientRect(), b = svg.viewBox.baseVal;
      var scale = Math.max(b.width / r.width, b.height / r.height);
      var ox = b.x + (b.width - r.width * scale) / 2, oy = b.y + (b.height - r.height * scale) / 2;
      return [ox + (evt.clientX - r.left) * scale, oy + (evt.clientY - r.top) * scale];
    }
    function zoom(factor, cx, cy) {
      var b = svg.viewBox.baseVal, w = b.width / factor, h = b.height / factor;
      if (w < home[2] / 40 || w > home[2] * 8) { return; }
      setBox(cx - (cx - b.x) / factor, cy - (cy - b.y) / factor, w, h);
    }
    function center() { var b = svg.viewBox.baseVal; return [b.x + b.width / 2, b.y + b.height / 2]; }
    svg.addEventListener("wheel", function (evt) {
      if (!evt.ctrlKey && !svg.classList.contains("zoomed") && !buttons.fill) { return; }
      evt.preventDefault();
      var p = point(evt);
      zoom(evt.deltaY < 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
      svg.classList.add("zoomed");
    }, { passive: false });
    if (buttons.zin) { buttons.zin.addEventListener("click", function () { var c = center(); zoom(1.25, c[0], c[1]); svg.classList.add("zoomed"); }); }
    if (buttons.zout) { buttons.zout.addEventListener("click", function () { var c = center(); zoom(1 / 1.25, c[0], c[1]); }); }
    if (buttons.fit) { buttons.fit.addEventListener("click", function () { setBox(home[0], home[1], home[2], home[3]); svg.classList.remove("zoomed"); }); }
    var drag = null;
    svg.addEventListener("pointerdown", function (evt) {
      var b = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
      drag = { x: evt.clientX, y: evt.clientY, bx: b.x, by: b.y, w: b.width, h: b.height,
               scale: Math.max(b.width / r.width, b.height / r.height) };
      svg.setPointerCapture(evt.pointerId);
      svg.classList.add("dragging");
      if (buttons.onDrag) { buttons.onDrag(); }
    });
    svg.addEventListener("pointermove", function (evt) {
      if (drag) {
        setBox(drag.bx - (evt.clientX - drag.x) * drag.scale, drag.by - (evt.clientY - drag.y) * drag.scale, drag.w, drag.h);
      } else if (buttons.onMove) { buttons.onMove(evt); }
    });
    function endDrag() { drag = null; svg.classList.remove("dragging"); }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);
  }

  function tooltips(svg, data, tip) {
    var prefixes = ["step-", "caption-", "badge-"];
    function stepOf(target) {
      var node = target.closest ? target.closest("g.node") : null;
      if (!node) { return null; }
      for (var i = 0; i < prefixes.length; i++) {
        if (node.id.indexOf(prefixes[i]) === 0) {
          var key = node.id.slice(prefixes[i].length);
          return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null;
        }
      }
      return null;
    }
    svg.addEventListener("pointerleave", function () { tip.hidden = true; });
    return function (evt) {
      var step = stepOf(evt.target);
      if (!step) { tip.hidden = true; return; }
      tip.textContent = "";
      var head = document.createElement("strong");
      head.textContent = step.name;
      tip.appendChild(head);
      step.lines.forEach(function (line) {
        var div = document.createElement("div");
        div.textContent = line;
        tip.appendChild(div);
      });
      if (step.rows.length) {
        var table = document.createElement("table");
        step.rows.forEach(function (row) {
          var tr = document.createElement("tr");
          row.forEach(function (cell, k) {
            var td = document.createElement(k === 0 ? "th" : "td");
            td.textContent = cell;
            tr.appendChild(td);
          });
          table.appendChild(tr);
        });
        tip.appendChild(table);
      }
      tip.hidden = false;
      var x = evt.clientX + 14, y = evt.clientY + 14, w = tip.offsetWidth, h = tip.offsetHeight;
      if (x + w > window.innerWidth - 8) { x = evt.clientX - w - 14; }
      if (y + h > window.innerHeight - 8) { y = evt.clientY - h - 14; }
      tip.style.left = Math.max(4, x) + "px";
      tip.style.top = Math.max(4, y) + "px";
    };
  }

  function diagrams() {
    var canvas = document.getElementById("canvas");
    if (canvas) {
      var svg = canvas.querySelector("svg"), tip = document.getElementById("tip");
      var data = jsonOf("procmap-steps") || {};
      if (svg && tip) {
        var show = tooltips(svg, data, tip);
        zoomable(svg, { fill: true, zin: document.getElementById("zoom-in"),
          zout: document.getElementById("zoom-out"), fit: document.getElementById("zoom-fit"),
          onMove: show, onDrag: function () { tip.hidden = true; } });
      }
    }
    var boxes = document.querySelectorAll(".diagram[data-zoom]");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i], inner = box.querySelector("svg");
      if (!inner) { continue; }
      zoomable(inner, { zin: box.querySelector(".zoom-in"), zout: box.querySelector(".zoom-out"),
        fit: box.querySelector(".zoom-fit") });
    }
  }

  function normal(text) { return String(text).toLowerCase(); }

  function search() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    var index = jsonOf("procmap-search");
    if (!input || !list || !index) { return; }
    var items = index.items || [];
    var safeUrl = /^(processes|roles)\/[^:]*$/;
    function run() {
      var words = normal(input.value).split(/\s+/).filter(function (w) { return w.length; });
      list.textContent = "";
      if (!words.length) { return; }
      var shown = 0;
      for (var i = 0; i < items.length && shown < 50; i++) {
        var item = items[i], text = normal(item.x);
        var every = words.every(function (w) { return text.indexOf(w) >= 0; });
        if (!every) { continue; }
        var li = document.createElement("li"), a = document.createElement("a");
        a.textContent = item.t;
        if (safeUrl.test(item.u)) { a.setAttribute("href", item.u); }
        li.appendChild(a);
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.k;
        li.appendChild(kind);
        list.appendChild(li);
        shown++;
      }
      if (!shown) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = index.none || "";
        list.appendChild(none);
      }
      list.setAttribute("data-count", String(shown));
    }
    input.addEventListener("input", run);
    if (input.value) { run(); }
  }

  diagrams();
  search();
})();
