"""The map as one self-contained web page (`map --output FILE.html`): it works offline, from a file.

Everything is inline: the style, the script and the map's data (JSON in a script element of
type application/json, with `<`, `>` and `&` escaped so no title can close it); nothing is
fetched. The script draws the shows on a canvas, pans (drag) and zooms (wheel, or + and -),
shows a show's title, year, cluster and top tropes on hover, and finds titles (and aliases)
typed in the search box, case-insensitively, highlighting them in #found and centring on the
first. `page.html#search=Goblin` searches on load. Text is only ever set as text, never as HTML.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from recommender.atlas import Atlas

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embedded_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no character of it can end the element or the line."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_UNSAFE.get(ch, ch) for ch in text)


def page_data(atlas: Atlas) -> dict[str, Any]:
    """What the page's script reads: clusters (with colour and label position) and compact point rows."""
    from recommender.atlas import colour, medoid

    xy = np.array([[p.x, p.y] for p in atlas.points]).reshape(-1, 2)
    cluster = np.array([p.cluster for p in atlas.points], dtype=np.int64)
    clusters = []
    for c in atlas.clusters:
        rows = np.flatnonzero(cluster == c.id)
        at = xy[rows[medoid(xy[rows])]] if len(rows) else np.zeros(2)
        clusters.append(
            {
                "id": c.id,
                "label": c.label,
                "colour": colour(c.id),
                "size": c.size,
                "tropes": c.tropes,
                "at": [float(at[0]), float(at[1])],
            }
        )
    points = [
        [p.title, p.year, p.x, p.y, p.cluster, p.top_tropes, p.highlight, p.aliases, p.id]
        for p in atlas.points
    ]
    return {
        "title": atlas.title,
        "method": atlas.method,
        "notes": atlas.notes,
        "clusters": clusters,
        "points": points,
    }


def page(atlas: Atlas) -> str:
    """The whole page as text."""
    return (
        TEMPLATE.replace("__TITLE__", html.escape(atlas.title))
        .replace("__METHOD__", html.escape(atlas.method or "a 2-D layout"))
        .replace("__DATA__", embedded_json(page_data(atlas)))
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  :root { --ink: #222; --muted: #666; --line: #ddd; --panel: #fafafa; }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    color: var(--ink); background: #fff; }
  body { display: flex; flex-direction: column; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 14px;
    border-bottom: 1px solid var(--line); }
  h1 { font-size: 17px; margin: 0; flex: 1 1 auto; }
  #search { font: inherit; padding: 5px 9px; width: 260px; border: 1px solid #bbb; border-radius: 6px; }
  #found { flex: 1 1 100%; min-height: 1.4em; color: var(--muted); font-size: 13px; }
  #found b { color: var(--ink); }
  main { flex: 1 1 auto; display: flex; min-height: 0; }
  #stage { flex: 1 1 auto; position: relative; min-width: 0; }
  #map { position: absolute; inset: 0; width: 100%; height: 100%; cursor: grab; touch-action: none; }
  #map.dragging { cursor: grabbing; }
  aside { flex: 0 0 290px; overflow-y: auto; border-left: 1px solid var(--line); background: var(--panel);
    padding: 10px 12px; font-size: 13px; }
  aside h2 { font-size: 13px; margin: 0 0 6px; color: var(--muted); font-weight: 600; }
  #legend { list-style: none; margin: 0; padding: 0; }
  #legend li { display: flex; gap: 8px; align-items: flex-start; padding: 3px 4px; border-radius: 4px;
    cursor: pointer; }
  #legend li:hover { background: #eee; }
  #legend li.off { opacity: 0.35; }
  .swatch { flex: 0 0 12px; height: 12px; margin-top: 3px; border-radius: 50%; }
  #tip { position: absolute; pointer-events: none; background: rgba(255,255,255,0.96); border: 1px solid #bbb;
    border-radius: 6px; padding: 6px 9px; font-size: 12.5px; max-width: 320px; box-shadow: 0 2px 8px rgba(0,0,0,.15);
    display: none; }
  #tip .t { font-weight: 600; }
  #tip .c { color: var(--muted); }
  .tools { position: absolute; right: 10px; top: 10px; display: flex; gap: 4px; }
  .tools button { font: inherit; width: 30px; height: 30px; border: 1px solid #bbb; background: #fff;
    border-radius: 6px; cursor: pointer; }
  .about { color: var(--muted); margin-top: 12px; }
</style>
</head>
<body>
<header>
  <h1 id="title">__TITLE__</h1>
  <input id="search" type="search" placeholder="Find a title..." autocomplete="off" aria-label="Find a title">
  <div id="found" aria-live="polite"></div>
</header>
<main>
  <div id="stage">
    <canvas id="map" aria-label="Map of the shows"></canvas>
    <div class="tools">
      <button id="zoom-in" title="Zoom in">+</button>
      <button id="zoom-out" title="Zoom out">&minus;</button>
      <button id="reset" title="Show everything">&#8634;</button>
    </div>
    <div id="tip"></div>
  </div>
  <aside>
    <h2>Clusters (click to pick one out)</h2>
    <ul id="legend"></ul>
    <p class="about">Each dot is a show, placed by __METHOD__ of its trope vector so that shows with similar
    tropes sit close together. Colours are clusters, named after the tropes they have most.
    Drag to pan, scroll to zoom, hover for a show's tropes. &#9733; named show, &#9679; its top picks.</p>
  </aside>
</main>
<script id="atlas-data" type="application/json">__DATA__</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("atlas-data").textContent);
  var canvas = document.getElementById("map"), ctx = canvas.getContext("2d");
  var stage = document.getElementById("stage"), tip = document.getElementById("tip");
  var box = document.getElementById("search"), found = document.getElementById("found");
  var clusters = {}, points = data.points.map(function (r) {
    return { title: r[0], year: r[1], x: r[2], y: r[3], c: r[4], tropes: r[5], mark: r[6], aliases: r[7], id: r[8] };
  });
  data.clusters.forEach(function (c) { clusters[c.id] = c; });
  var view = { scale: 1, ox: 0, oy: 0 }, width = 0, height = 0, fitScale = 1;
  var hits = [], picked = null, hover = null;

  function sx(p) { return p.x * view.scale + view.ox; }
  function sy(p) { return -p.y * view.scale + view.oy; }

  function resize() {
    var dpr = window.devicePixelRatio || 1;
    width = stage.clientWidth; height = stage.clientHeight;
    canvas.width = Math.max(1, Math.round(width * dpr)); canvas.height = Math.max(1, Math.round(height * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  function fit() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    points.forEach(function (p) {
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    if (!points.length) { x0 = y0 = -1; x1 = y1 = 1; }
    var dx = Math.max(x1 - x0, 1e-6), dy = Math.max(y1 - y0, 1e-6);
    fitScale = Math.min((width - 40) / dx, (height - 40) / dy);
    if (!(fitScale > 0)) { fitScale = 1; }
    view.scale = fitScale;
    view.ox = width / 2 - (x0 + x1) / 2 * view.scale;
    view.oy = height / 2 + (y0 + y1) / 2 * view.scale;
  }

  function star(x, y, r) {
    ctx.beginPath();
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + i * Math.PI / 5, q = i % 2 ? r * 0.45 : r;
      ctx.lineTo(x + q * Math.cos(a), y + q * Math.sin(a));
    }
    ctx.closePath();
  }

  function overlaps(b, placed) {
    return placed.some(function (o) { return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1; });
  }

  var TRIES = [[0, 0], [0, -1], [0, 1], [-0.55, 0], [0.55, 0], [0, -2], [0, 2], [-0.55, -1], [0.55, -1],
    [-0.55, 1], [0.55, 1], [0, -3], [0, 3], [-1.1, 0], [1.1, 0], [0, -4], [0, 4]];

  function label(text, x, y, font, frame, placed, always, anchor, origin) {
    var at = anchor || origin || [x, y];
    if (at[0] < 0 || at[0] > width || at[1] < 0 || at[1] > height) { return false; }  // off screen: no label
    ctx.font = font;
    var w = ctx.measureText(text).width + 10, h = 18, chosen = null;
    for (var i = 0; i < TRIES.length && !chosen; i++) {
      var cx = Math.min(Math.max(x + TRIES[i][0] * w, w / 2 + 2), width - w / 2 - 2), cy = y + TRIES[i][1] * (h + 2);
      cy = Math.min(Math.max(cy, h / 2 + 2), height - h / 2 - 2);
      var b = { x0: cx - w / 2, x1: cx + w / 2, y0: cy - h / 2, y1: cy + h / 2 };
      if (!overlaps(b, placed)) { chosen = b; }
    }
    if (!chosen && always) {
      var ax = Math.min(Math.max(x, w / 2 + 2), width - w / 2 - 2);
      chosen = { x0: ax - w / 2, x1: ax + w / 2, y0: y - h / 2, y1: y + h / 2 };
    }
    if (!chosen) { return false; }
    placed.push(chosen);
    var mx = (chosen.x0 + chosen.x1) / 2, my = (chosen.y0 + chosen.y1) / 2;
    if (anchor) {
      ctx.strokeStyle = "#777"; ctx.lineWidth = 0.8;
      ctx.beginPath(); ctx.moveTo(anchor[0], anchor[1]); ctx.lineTo(mx, my); ctx.stroke();
    }
    ctx.fillStyle = "rgba(255,255,255,0.9)"; ctx.strokeStyle = frame; ctx.lineWidth = 1.2;
    ctx.beginPath();
    if (ctx.roundRect) { ctx.roundRect(chosen.x0, chosen.y0, w, h, 4); } else { ctx.rect(chosen.x0, chosen.y0, w, h); }
    ctx.fill(); ctx.stroke();
    ctx.fillStyle = "#222"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText(text, mx, my + 0.5);
    return true;
  }

  function draw() {
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, width, height);
    var r = Math.max(2.5, Math.min(6, 3.2 * Math.sqrt(view.scale / fitScale)));
    points.forEach(function (p) {
      var c = clusters[p.c];
      ctx.globalAlpha = picked === null || picked === p.c ? 0.8 : 0.12;
      ctx.fillStyle = c ? c.colour : "#888";
      ctx.beginPath(); ctx.arc(sx(p), sy(p), r, 0, 2 * Math.PI); ctx.fill();
    });
    ctx.globalAlpha = 1;
    var marked = points.filter(function (p) { return p.mark; });
    marked.forEach(function (p) {
      ctx.fillStyle = clusters[p.c] ? clusters[p.c].colour : "#888"; ctx.strokeStyle = "#222"; ctx.lineWidth = 1.3;
      if (p.mark === "named") { star(sx(p), sy(p), 10); } else { ctx.beginPath(); ctx.arc(sx(p), sy(p), 6, 0, 2 * Math.PI); }
      ctx.fill(); ctx.stroke();
    });
    hits.forEach(function (p) {
      ctx.strokeStyle = "#000"; ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.arc(sx(p), sy(p), 12, 0, 2 * Math.PI); ctx.stroke();
      ctx.strokeStyle = "#ffd400"; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(sx(p), sy(p), 15, 0, 2 * Math.PI); ctx.stroke();
    });
    var placed = marked.concat(hits).map(function (p) {
      return { x0: sx(p) - 9, x1: sx(p) + 9, y0: sy(p) - 9, y1: sy(p) + 9 };
    });
    placed.push({ x0: width - 112, x1: width, y0: 0, y1: 48 });  // the zoom buttons
    hits.forEach(function (p) {
      label(p.title + " (" + p.year + ")", sx(p), sy(p) - 28, "600 13px system-ui, sans-serif", "#000", placed, true,
        [sx(p), sy(p)]);
    });
    marked.forEach(function (p) {
      if (hits.indexOf(p) >= 0) { return; }
      label(p.title, sx(p), sy(p) - 20, (p.mark === "named" ? "600 " : "") + "12px system-ui, sans-serif", "#999",
        placed, p.mark === "named", [sx(p), sy(p)]);
    });
    data.clusters.forEach(function (c) {
      if (picked !== null && picked !== c.id) { return; }
      var cx = c.at[0] * view.scale + view.ox, cy = -c.at[1] * view.scale + view.oy;
      label(c.label, cx, cy - 14, "bold 12px system-ui, sans-serif", c.colour, placed, false, null, [cx, cy]);
    });
  }

  function nearest(mx, my, within) {
    var best = null, bestD = within * within;
    points.forEach(function (p) {
      if (picked !== null && picked !== p.c) { return; }
      var dx = sx(p) - mx, dy = sy(p) - my, d = dx * dx + dy * dy;
      if (d <= bestD) { best = p; bestD = d; }
    });
    return best;
  }

  function showTip(p, mx, my) {
    if (!p) { tip.style.display = "none"; return; }
    tip.textContent = "";
    var t = document.createElement("div"); t.className = "t"; t.textContent = p.title + " (" + p.year + ")";
    var c = document.createElement("div"); c.className = "c"; c.textContent = clusters[p.c] ? clusters[p.c].label : "";
    var tr = document.createElement("div"); tr.textContent = p.tropes.join(", ");
    tip.appendChild(t); tip.appendChild(c); tip.appendChild(tr);
    tip.style.display = "block";
    var left = Math.min(mx + 14, width - tip.offsetWidth - 6), top = my + 14;
    if (top + tip.offsetHeight > height - 6) { top = my - tip.offsetHeight - 10; }
    tip.style.left = Math.max(4, left) + "px"; tip.style.top = Math.max(4, top) + "px";
  }

  function zoomAt(factor, mx, my) {
    var s = Math.min(Math.max(view.scale * factor, fitScale * 0.3), fitScale * 60);
    factor = s / view.scale;
    view.ox = mx - (mx - view.ox) * factor; view.oy = my - (my - view.oy) * factor; view.scale = s;
    draw();
  }

  function centreOn(p) {
    view.scale = Math.max(view.scale, fitScale * 2.5);
    view.ox = width / 2 - p.x * view.scale; view.oy = height / 2 + p.y * view.scale;
  }

  function rank(p, q) {
    var t = p.title.toLowerCase(), names = [t].concat(p.aliases.map(function (a) { return a.toLowerCase(); }));
    if (names.indexOf(q) >= 0) { return 0; }
    if (t.indexOf(q) === 0) { return 1; }
    if (t.indexOf(q) > 0) { return 2; }
    return names.some(function (n) { return n.indexOf(q) >= 0; }) ? 3 : -1;
  }

  function search(text) {
    var q = text.trim().toLowerCase();
    found.textContent = "";
    hits = [];
    if (q) {
      hits = points.map(function (p, i) { return { p: p, r: rank(p, q), i: i }; })
        .filter(function (h) { return h.r >= 0; })
        .sort(function (a, b) { return a.r - b.r || a.i - b.i; })
        .map(function (h) { return h.p; });
      if (!hits.length) {
        found.textContent = "No title or alias contains \\u201c" + text.trim() + "\\u201d.";
      } else {
        found.appendChild(document.createTextNode(hits.length === 1 ? "Found: " : "Found " + hits.length + ": "));
        hits.slice(0, 8).forEach(function (p, i) {
          if (i) { found.appendChild(document.createTextNode(", ")); }
          var b = document.createElement("b"); b.className = "hit"; b.textContent = p.title;
          found.appendChild(b);
          var where = clusters[p.c] ? ", " + clusters[p.c].label : "";
          found.appendChild(document.createTextNode(" (" + p.year + where + ")"));
        });
        if (hits.length > 8) { found.appendChild(document.createTextNode(" and " + (hits.length - 8) + " more")); }
        picked = null; legendState();
        centreOn(hits[0]);
      }
    }
    draw();
  }

  function legendState() {
    Array.prototype.forEach.call(document.querySelectorAll("#legend li"), function (li) {
      li.classList.toggle("off", picked !== null && Number(li.dataset.cluster) !== picked);
    });
  }

  var legend = document.getElementById("legend");
  data.clusters.forEach(function (c) {
    var li = document.createElement("li"), sw = document.createElement("span"), tx = document.createElement("span");
    li.dataset.cluster = c.id; li.title = c.tropes.join(", ");
    sw.className = "swatch"; sw.style.background = c.colour;
    tx.textContent = c.label + " (" + c.size + ")";
    li.appendChild(sw); li.appendChild(tx);
    li.addEventListener("click", function () { picked = picked === c.id ? null : c.id; legendState(); draw(); });
    legend.appendChild(li);
  });

  var drag = null;
  canvas.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, ox: view.ox, oy: view.oy };
    canvas.setPointerCapture(e.pointerId); canvas.classList.add("dragging"); showTip(null);
  });
  canvas.addEventListener("pointermove", function (e) {
    var rect = canvas.getBoundingClientRect(), mx = e.clientX - rect.left, my = e.clientY - rect.top;
    if (drag) {
      view.ox = drag.ox + e.clientX - drag.x; view.oy = drag.oy + e.clientY - drag.y; draw(); return;
    }
    hover = nearest(mx, my, 10); showTip(hover, mx, my);
  });
  function release() { drag = null; canvas.classList.remove("dragging"); }
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  canvas.addEventListener("pointerleave", function () { if (!drag) { showTip(null); } });
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    var rect = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
  }, { passive: false });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(1.5, width / 2, height / 2); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(1 / 1.5, width / 2, height / 2); });
  document.getElementById("reset").addEventListener("click", function () { fit(); draw(); });
  document.addEventListener("keydown", function (e) {
    if (e.target === box) { return; }
    if (e.key === "+" || e.key === "=") { zoomAt(1.5, width / 2, height / 2); }
    if (e.key === "-") { zoomAt(1 / 1.5, width / 2, height / 2); }
  });
  box.addEventListener("input", function () { search(box.value); });
  window.addEventListener("resize", function () {  // keep what is in the middle, and the zoom, as the page resizes
    var cx = (width / 2 - view.ox) / view.scale, cy = (view.oy - height / 2) / view.scale, zoom = view.scale / fitScale;
    resize(); fit();
    view.scale = fitScale * zoom; view.ox = width / 2 - cx * view.scale; view.oy = height / 2 + cy * view.scale;
    draw();
  });

  function fromHash() {
    var wanted = new URLSearchParams(location.hash.replace(/^#/, "")).get("search");
    if (wanted !== null) { box.value = wanted; search(wanted); }
  }
  window.addEventListener("hashchange", fromHash);
  resize(); fit(); draw(); fromHash();
})();
</script>
</body>
</html>
"""
