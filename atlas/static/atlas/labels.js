/* Treaty Atlas: the names on the map, placed as a printed atlas places them.
 *
 * Two sources of names: the features on the map (a place's name beside its mark, a state's in
 * the state) and the map's own names of geodata/names.json (regions, seas, lakes, and the rivers
 * the treaties name, written along the river). Every time the view, the year, the layers shown
 * or the highlighted features change, the names are placed again, the most important first:
 * each tries its positions in turn (beside a mark: its preferred side, then the others; in an
 * area: the places its data gives; along a river: its straightest stretches in view) and takes
 * the first that lies inside the map and clear of every name placed before it, of the marks
 * and of the map's controls. A name with no such position is left out, and shows while the
 * pointer is over its feature. How much a name matters is data: a feature's label.importance
 * or its kind's (atlas/kinds.py), a map name's importance (geodata/names.json).
 *
 * atlas.js draws the page's map and tells it what changed ("atlas:year", "atlas:highlight",
 * "atlas:base"; layers.js "atlas:kinds"), and lends the features on the map
 * (atlas.shownFeatures()); the map's own names come in the words data file.
 */
(function () {
  "use strict";

  var atlas = (window.atlas = window.atlas || {});
  var PANE = "atlas-labels";
  var MARGIN = 4; // px kept free at the map's edges
  var GAP = 3; // px between two names
  var map = null;
  var names = []; // the map's own names, in the page's language (atlas/mapnames.py)
  var elements = {}; // key -> the name's element
  var rivers = {}; // river id -> Leaflet layer of the river, drawn over the base map's
  var dropped = {}; // slug -> the feature whose name found no place
  var hovering = null; // the name shown while the pointer is over its feature
  var timer = null;
  var placedBoxes = []; // for tests and teachers' scripts: what was placed, last time

  function zoomRange(label) {
    var z = label || {};
    return [z.min_zoom || z[0] || 3, z.max_zoom || z[1] || 8];
  }

  function element(key, lines, classes) {
    var el = elements[key];
    if (!el) {
      el = elements[key] = L.DomUtil.create("div", "", map.getPane(PANE));
      var first = L.DomUtil.create("span", "atlas-label-text", el);
      first.textContent = lines[0]; // text, never HTML: names come from data
      if (lines[1]) {
        var second = L.DomUtil.create("span", "atlas-label-other", el);
        second.textContent = lines[1];
      }
    }
    var className = "atlas-label " + classes;
    if (el.className !== className) el.className = className;
    return el;
  }

  // A style written only where it changes: a name left where it was costs the page nothing.
  function setStyle(el, name, value) {
    if (el.style[name] !== value) el.style[name] = value;
  }

  function px(x) {
    return Math.round(x * 10) / 10 + "px";
  }

  function hide(el) {
    setStyle(el, "display", "none");
  }

  // --- What could be named now -------------------------------------------------------------

  function featureCandidates() {
    var zoom = map.getZoom();
    var out = [];
    (atlas.shownFeatures ? atlas.shownFeatures() : []).forEach(function (f) {
      var p = f.props;
      var label = p.label || {};
      var style = f.style || {};
      if (!f.point && !label.at) return; // lines and most areas are named by their tooltips
      if (f.yields) return; // a ring's name, while the Russian port inside it is named
      if (f.state === "ended" && !f.point) return;
      if (atlas.kindShown && !atlas.kindShown(p.kind)) return;
      var range = zoomRange(label);
      if (!f.highlighted && (zoom < range[0] || zoom > range[1])) return;
      // The period form (Amoy, Canton), where the name does not already give it.
      var romanized = (p.name && p.name.romanized) || "";
      var named = (p.name.en || "") + " " + f.name;
      var other = romanized && named.indexOf(romanized) < 0 ? romanized : "";
      var importance = label.importance !== undefined ? label.importance : style.importance || 50;
      var latlng = f.point ? f.layer.getLayers()[0].getLatLng() : null;
      if (latlng && !map.getBounds().contains(latlng)) return; // a place out of view
      out.push({
        key: "feature-" + p.slug,
        slug: p.slug,
        lines: [f.name, other],
        classes: "atlas-label-" + p.kind + (f.point ? " atlas-label-place" : " atlas-label-area") +
          (f.state === "ended" ? " atlas-ended" : "") + (f.highlighted ? " atlas-highlight" : ""),
        importance: importance + (f.highlighted ? 1000 : 0),
        point: latlng,
        radius: (style.radius || 6) * (f.scale || 1),
        direction: label.direction,
        at: label.at,
        layer: f.layer,
      });
    });
    return out;
  }

  function nameCandidates() {
    var zoom = map.getZoom();
    return names.filter(function (n) {
      return zoom >= n.zoom[0] && zoom <= n.zoom[1] && (!n.river || rivers[n.river]);
    }).map(function (n) {
      return {
        key: "name-" + n.slug,
        slug: n.slug,
        lines: [n.text, n.other],
        classes: "atlas-name atlas-name-" + n.kind + " atlas-name-" + n.slug,
        importance: n.importance,
        at: n.at,
        river: n.river,
      };
    });
  }

  // --- Geometry in the map's container, in pixels --------------------------------------------

  function overlaps(a, b) {
    return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
  }

  function inside(box, size) {
    return box.x >= MARGIN && box.y >= MARGIN && box.x + box.w <= size.x - MARGIN &&
      box.y + box.h <= size.y - MARGIN;
  }

  function free(box, taken) {
    for (var i = 0; i < taken.length; i++) if (overlaps(box, taken[i])) return false;
    return true;
  }

  // The map's controls (zoom, legend, scale) and the caption of the embed: no name under them.
  function controlBoxes() {
    var container = map.getContainer();
    var origin = container.getBoundingClientRect();
    var found = container.querySelectorAll(".leaflet-control, .embed-caption");
    var parent = container.parentNode && container.parentNode.querySelectorAll(".embed-caption");
    var boxes = [];
    Array.prototype.slice.call(found).concat(Array.prototype.slice.call(parent || [])).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width && r.height) boxes.push({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
    });
    return boxes;
  }

  function markBoxes(candidates) {
    return candidates.filter(function (c) { return c.point; }).map(function (c) {
      var p = map.latLngToContainerPoint(c.point);
      return { x: p.x - c.radius, y: p.y - c.radius, w: 2 * c.radius, h: 2 * c.radius, owner: c.key };
    });
  }

  // Beside a mark: the preferred side first, then the others, then the corners.
  var SIDES = ["right", "left", "top", "bottom", "top-right", "bottom-right", "top-left", "bottom-left"];

  function pointPositions(c, size) {
    var p = map.latLngToContainerPoint(c.point);
    var d = c.radius + 3;
    var k = 0.75 * d;
    var w = size.w;
    var h = size.h;
    var at = {
      right: [p.x + d, p.y - h / 2, "left"],
      left: [p.x - d - w, p.y - h / 2, "right"],
      top: [p.x - w / 2, p.y - d - h, "center"],
      bottom: [p.x - w / 2, p.y + d, "center"],
      "top-right": [p.x + k, p.y - k - h, "left"],
      "bottom-right": [p.x + k, p.y + k, "left"],
      "top-left": [p.x - k - w, p.y - k - h, "right"],
      "bottom-left": [p.x - k - w, p.y + k, "right"],
    };
    var order = SIDES.slice();
    if (c.direction) order.unshift(c.direction);
    return order.map(function (side) {
      var a = at[side];
      return { x: a[0], y: a[1], w: w, h: h, align: a[2] };
    });
  }

  function areaPositions(c, size) {
    return (c.at || []).map(function (lonLat) {
      var p = map.latLngToContainerPoint([lonLat[1], lonLat[0]]);
      return { x: p.x - size.w / 2, y: p.y - size.h / 2, w: size.w, h: size.h, align: "center" };
    });
  }

  // The river in view as runs of pixel points, each point with its distance along the run.
  function riverRuns(id) {
    var bounds = map.getBounds().pad(0.1);
    var runs = [];
    rivers[id].eachLayer(function (line) {
      var parts = line.getLatLngs();
      if (parts.length && !Array.isArray(parts[0])) parts = [parts];
      parts.forEach(function (part) {
        var run = [];
        part.forEach(function (latlng) {
          if (!bounds.contains(latlng)) {
            if (run.length > 1) runs.push(run);
            run = [];
            return;
          }
          var p = map.latLngToContainerPoint(latlng);
          var last = run[run.length - 1];
          p.s = last ? last.s + p.distanceTo(last) : 0;
          run.push(p);
        });
        if (run.length > 1) runs.push(run);
      });
    });
    return runs;
  }

  function pointAt(run, s) {
    for (var i = 1; i < run.length; i++) {
      if (run[i].s >= s) {
        var a = run[i - 1];
        var b = run[i];
        var t = b.s > a.s ? (s - a.s) / (b.s - a.s) : 0;
        return L.point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
      }
    }
    return run[run.length - 1];
  }

  // Along a river: stretches as long as the name and nearly straight, beside the line, the
  // ones nearest the middle of the river in view first.
  function riverPositions(c, size) {
    var out = [];
    riverRuns(c.river).forEach(function (run) {
      var length = run[run.length - 1].s;
      if (length < size.w * 1.1) return;
      var middle = length / 2;
      for (var s = size.w / 2; s <= length - size.w / 2; s += 8) {
        var a = pointAt(run, s - size.w / 2);
        var b = pointAt(run, s + size.w / 2);
        var chord = b.distanceTo(a);
        if (chord < size.w * 0.85) continue;
        var bent = 0;
        run.forEach(function (p) {
          if (p.s <= s - size.w / 2 || p.s >= s + size.w / 2) return;
          var cross = Math.abs((b.x - a.x) * (a.y - p.y) - (a.x - p.x) * (b.y - a.y)) / chord;
          bent = Math.max(bent, cross);
        });
        if (bent > Math.max(4, size.h * 0.6)) continue;
        var angle = Math.atan2(b.y - a.y, b.x - a.x);
        if (angle > Math.PI / 2) angle -= Math.PI;
        if (angle < -Math.PI / 2) angle += Math.PI;
        if (Math.abs(angle) > (75 * Math.PI) / 180) continue;
        var mid = L.point((a.x + b.x) / 2, (a.y + b.y) / 2);
        var nx = Math.sin(angle);
        var ny = -Math.cos(angle); // the side above the line, as read
        [1, -1].forEach(function (side) {
          var off = side * (size.h / 2 + 2);
          var cx = mid.x + nx * off;
          var cy = mid.y + ny * off;
          var cos = Math.abs(Math.cos(angle));
          var sin = Math.abs(Math.sin(angle));
          var w = size.w * cos + size.h * sin;
          var h = size.w * sin + size.h * cos;
          out.push({
            x: cx - w / 2, y: cy - h / 2, w: w, h: h, cx: cx, cy: cy,
            angle: (angle * 180) / Math.PI, align: "center", rank: Math.abs(s - middle) + (side < 0 ? 12 : 0),
          });
        });
      }
    });
    return out.sort(function (p, q) { return p.rank - q.rank; }).slice(0, 60);
  }

  // --- Placing --------------------------------------------------------------------------------

  function prepare(el) {
    el.style.left = "0px";
    el.style.top = "0px";
    el.style.width = "";
    el.style.transform = ""; // a name along a river is measured level
    el.style.visibility = "hidden";
    el.style.display = "";
    return el;
  }

  // A name's size depends on its text, its type and the zoom (the types are sized by zoom):
  // once measured, it is known. Measuring is what costs (it lays the page out), so a name is
  // measured the first time it is shown at a zoom, not at every change of the year or view.
  var sizes = {}; // key|classes|zoom[|short] -> {w, h, width}

  function sizeKey(c, zoom, short) {
    return c.key + "|" + c.classes + "|" + zoom + (short ? "|short" : "");
  }

  // Measure names together: every write first, then every read, so the page is laid out
  // twice for them all, not once for each. A wrapped name keeps the width of its longest
  // line, not of the widest it may be.
  var range = document.createRange();
  function measureAll(els) {
    els.forEach(prepare);
    var widths = els.map(function (el) {
      var lines = 0;
      var shown = 0; // spans on the page (a second form may be hidden at this zoom)
      var widest = 0;
      Array.prototype.forEach.call(el.querySelectorAll("span"), function (span) {
        range.selectNodeContents(span);
        var rects = range.getClientRects();
        shown += rects.length ? 1 : 0;
        Array.prototype.forEach.call(rects, function (r) {
          lines += 1;
          widest = Math.max(widest, r.width);
        });
      });
      if (lines <= shown || !widest) return "";
      var style = window.getComputedStyle(el);
      var extra = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      return Math.ceil(widest + extra + 1) + "px";
    });
    els.forEach(function (el, i) { el.style.width = widths[i]; });
    return els.map(function (el, i) {
      return { w: el.offsetWidth, h: el.offsetHeight, width: widths[i] };
    });
  }

  function measure(el) {
    return measureAll([el])[0];
  }

  // ``size`` is the name's measured size: no reading of the page between the writes.
  function show(el, box, size) {
    var origin = map.containerPointToLayerPoint([0, 0]);
    setStyle(el, "display", "");
    setStyle(el, "width", size.width || "");
    setStyle(el, "textAlign", box.align);
    if (box.angle !== undefined) {
      setStyle(el, "left", px(origin.x + box.cx - size.w / 2));
      setStyle(el, "top", px(origin.y + box.cy - size.h / 2));
      setStyle(el, "transform", "rotate(" + box.angle.toFixed(1) + "deg)");
    } else {
      setStyle(el, "left", px(origin.x + box.x));
      setStyle(el, "top", px(origin.y + box.y));
      setStyle(el, "transform", "");
    }
    setStyle(el, "visibility", "");
  }

  // The map's container names its zoom (atlas-zoom-3 … 8): the names' types are sized by it.
  function zoomClass() {
    var zoom = map.getZoom();
    for (var z = 3; z <= 8; z++) map.getContainer().classList.toggle("atlas-zoom-" + z, zoom === z);
    return zoom;
  }

  // The names not measured yet at this zoom are measured together. With ``shortToo`` (while
  // the map is drawn), a name with a second form is measured without it too, in the same
  // layout, in case it finds no room whole: placing the names then lays nothing out.
  function measureNew(candidates, zoom, shortToo) {
    var fresh = [];
    var els = [];
    candidates.forEach(function (c) {
      c.el = element(c.key, c.lines, c.classes);
      if (!sizes[sizeKey(c, zoom)]) {
        fresh.push(sizeKey(c, zoom));
        els.push(c.el);
      }
      if (!shortToo || !c.lines[1] || sizes[sizeKey(c, zoom, true)]) return;
      // A copy of the name, short: the name itself is measured whole.
      var copy = c.el.cloneNode(true);
      copy.classList.add("atlas-label-short");
      c.el.parentNode.appendChild(copy);
      fresh.push(sizeKey(c, zoom, true));
      els.push(copy);
    });
    measureAll(els).forEach(function (measured, i) {
      sizes[fresh[i]] = measured;
      if (els[i].classList.contains("atlas-label-short")) L.DomUtil.remove(els[i]);
    });
  }

  function place() {
    // Placed now: a placement asked for the next frame would find nothing changed.
    if (timer !== null) window.cancelAnimationFrame(timer);
    timer = null;
    if (!map) return;
    var zoom = zoomClass();
    var size = map.getSize();
    var candidates = featureCandidates().concat(nameCandidates());
    var wanted = {};
    candidates.forEach(function (c) { wanted[c.key] = true; });
    Object.keys(elements).forEach(function (key) {
      if (!wanted[key]) hide(elements[key]);
    });
    candidates.sort(function (a, b) { return b.importance - a.importance; });
    var marks = markBoxes(candidates);
    var placed = [];
    dropped = {};
    measureNew(candidates, zoom);
    var taken = controlBoxes();
    candidates.forEach(function (c) {
      var el = c.el;
      var others = marks.filter(function (m) { return m.owner !== c.key; });
      var measured = sizes[sizeKey(c, zoom)];
      var box = find(c, measured, size, taken, others);
      if (!box && c.lines[1]) {
        // Too long for any place: the name alone, without its second form.
        el.classList.add("atlas-label-short");
        var short = sizeKey(c, zoom, true);
        if (!sizes[short]) sizes[short] = measure(el);
        measured = sizes[short];
        box = find(c, measured, size, taken, others);
      }
      if (!box) {
        hide(el);
        if (c.slug && c.point) dropped[c.slug] = c;
        return;
      }
      taken.push(box);
      placed.push({ key: c.key, x: box.x, y: box.y, w: box.w, h: box.h });
      show(el, box, measured);
    });
    placedBoxes = placed;
  }

  function find(c, measured, size, taken, others) {
    var positions = c.point ? pointPositions(c, measured)
      : c.river ? riverPositions(c, measured) : areaPositions(c, measured);
    for (var j = 0; j < positions.length; j++) {
      var b = positions[j];
      if (inside(b, size) && free(b, taken) && free(b, others)) return b;
    }
    return null;
  }

  function schedule() {
    if (timer === null) timer = window.requestAnimationFrame(place);
  }

  // --- A name left out shows while the pointer is over its feature ------------------------------

  function hoverName(c) {
    var el = L.DomUtil.create("div", "atlas-label atlas-label-hover " + c.classes, map.getPane(PANE));
    var first = L.DomUtil.create("span", "atlas-label-text", el);
    first.textContent = c.lines[0];
    var size = measure(el);
    var positions = pointPositions(c, size);
    var mapSize = map.getSize();
    var box = positions.filter(function (b) { return inside(b, mapSize); })[0] || positions[0];
    show(el, box, size);
    return el;
  }

  function watchHover() {
    (atlas.shownFeatures ? atlas.shownFeatures() : []).forEach(function (f) {
      if (!f.point || f.layer._atlasHover) return;
      f.layer._atlasHover = true;
      f.layer.on("mouseover", function () {
        var c = dropped[f.props.slug];
        if (!c) return;
        if (hovering) L.DomUtil.remove(hovering);
        hovering = hoverName(c);
      });
      f.layer.on("mouseout", function () {
        if (hovering) L.DomUtil.remove(hovering);
        hovering = null;
      });
    });
  }

  // --- The rivers the treaties name, drawn over the base map's -----------------------------------

  function drawRivers() {
    var base = atlas.base && atlas.base.rivers;
    if (!base || !map.getPane("atlas-water")) return;
    var byId = {};
    base.features.forEach(function (f) { if (f.id) byId[f.id] = f; });
    names.forEach(function (n) {
      if (!n.river || rivers[n.river] || !byId[n.river]) return;
      var layer = L.geoJSON(byId[n.river], {
        pane: "atlas-water",
        style: function () {
          return { color: "#3d7bb0", weight: 2.4, opacity: 1, className: "atlas-river atlas-river-" + n.river };
        },
      });
      // The river's name, whenever the pointer is on it (the tooltip's text is a text node).
      layer.bindTooltip(document.createTextNode(n.other ? n.text + " (" + n.other + ")" : n.text), {
        sticky: true, direction: "top", className: "atlas-label atlas-tooltip-river",
      });
      layer.addTo(map);
      rivers[n.river] = layer;
    });
  }

  atlas.addLabels = function (m, data) {
    map = m;
    // The map's own names, in the page's language: the words data file (atlas/maps/data.py).
    names = ((window.atlasData || {}).words || {}).mapnames || [];
    var pane = map.createPane(PANE);
    pane.style.zIndex = 640; // over the marks, under tooltips and popups
    pane.classList.add("leaflet-zoom-hide");
    map.getContainer().classList.add("atlas-mode-" + (data.mode || "atlas"));
    map.on("atlas:base", function () {
      drawRivers();
      schedule();
    });
    // A new size of the map may be a new size of type (the page's media queries).
    map.on("resize", function () { sizes = {}; });
    map.on("zoomend moveend resize atlas:year atlas:highlight atlas:kinds", function () {
      watchHover();
      schedule();
    });
    // Steps of the map's drawing (atlas.js): the rivers, the names measured (a few at a time:
    // the first use of each type loads its font), then placed.
    atlas.drawLater(drawRivers);
    atlas.drawLater(function () {
      var zoom = zoomClass();
      var candidates = featureCandidates().concat(nameCandidates());
      for (var i = 0; i < candidates.length; i += 8) {
        atlas.drawLater(measureNew.bind(null, candidates.slice(i, i + 8), zoom, true));
      }
    });
    atlas.drawLater(function () {
      watchHover();
      place();
    });
  };

  // For tests and teachers' scripts: the names on the map now, with their boxes in pixels,
  // and the places whose names found no room (they show while the pointer is on the place).
  atlas.placedLabels = function () {
    return placedBoxes.slice();
  };

  atlas.droppedLabels = function () {
    return Object.keys(dropped);
  };
})();
