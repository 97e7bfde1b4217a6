/* Treaty Atlas: the page's map behaviour and its public API, window.atlas.
 *
 *   atlas.year               the year shown (the state at the end of that year)
 *   atlas.setYear(y)         show another year (no reload; the URL follows)
 *   atlas.visibleFeatures()  slugs of the features on the map at the end of atlas.year
 *   atlas.openFeature(slug)  open that feature's popup; false if it is not on the map
 *   atlas.map                the Leaflet map, once it is drawn (null until then)
 *   atlas.whenDrawn(fn)      call fn once the map is drawn (at once if it is and nothing waits)
 *
 * The page carries its map as JSON in <script type="application/json" id="atlas-map-config">
 * (atlas/maps/render.py): Leaflet's options and the first view, then the widgets of
 * atlas/maps/elements.py, each the name of the function that draws it (addBaseMap,
 * addFeatures, addLegend here; addLayerSwitches in layers.js, addLabels in labels.js) with the
 * page's own options (year, mode, which features). What every page shares comes from the data
 * files (atlas/datafiles.py), scripts that set window.atlasData.base, .features and .words
 * before this one runs. Every year's features are there, so changing the year is a matter of
 * showing and hiding layers. Texts are inserted with textContent; popups are HTML rendered
 * (and escaped) by Django templates.
 *
 * The scripts are deferred; the map is drawn once the page is parsed (DOMContentLoaded), in
 * slices: each step of the drawing (a piece of the base map, a feature, the legend, the names)
 * is a job, the jobs run in turn for at most SLICE_MS and then leave the browser its turn
 * (input, a paint) before going on, so that a phone's slow CPU never sees one long task. A
 * widget queues its own steps with atlas.drawLater(job). When the last job has run, atlas.map
 * and atlas.year are set and atlas.whenDrawn's callbacks run in turn, each in a task of its
 * own (access.js, present.js, a popup opened with the page). The
 * names on the map are labels.js's, the legend's switches layers.js's: they hear what changes
 * through the map's events ("atlas:year", "atlas:highlight", "atlas:base"; "atlas:address" once
 * the address has followed the year) and read atlas.shownFeatures().
 */
(function () {
  "use strict";

  var atlas = (window.atlas = window.atlas || {});
  atlas.year = null;
  atlas.map = null;
  var theMap = null; // the page's map, while it is drawn too (atlas.map once it is drawn)
  var shownYear = null; // the year on the map (atlas.year once the map is drawn)
  var features = {}; // slug -> {layer, props, point}
  var years = null; // [first, last]
  var legendItems = {}; // kind -> <li>
  var playTimer = null;
  // Each kind's style, drawing order and geometry (atlas/kinds.py), from the server.
  var kindStyles = {};
  var displayNames = {}; // slug -> name in the page's language
  var highlighted = {};
  var text = {}; // the interface's words in the page's language, from the server

  // A feature's name in the page's language (chosen on the server, with its fallbacks).
  function nameOf(p) {
    return displayNames[p.slug] || p.slug;
  }

  function isPoint(feature) {
    var t = feature.geometry && feature.geometry.type;
    return t === "Point" || t === "MultiPoint";
  }

  function isArea(kind) {
    return (kindStyles[kind] || {}).geometry === "area";
  }

  function drawingOrder(kind) {
    var s = kindStyles[kind];
    return s ? s.order : -1;
  }

  function featureClass(p) {
    var s = kindStyles[p.kind] || {};
    var context = s.context ? " atlas-context" : "";
    var backdrop = s.backdrop ? " atlas-backdrop" : "";
    return "atlas-feature atlas-kind-" + p.kind + " atlas-feature-" + p.slug + context + backdrop;
  }

  // Each kind is drawn in a pane of its own, in the registry's order (atlas/kinds.py), so that
  // a kind can be shown or hidden whole; the map's ground (the states) lies under the sea.
  var WATER_PANE = "atlas-water";
  var SEA_PANE = "atlas-sea"; // both levels' sea (basemap.js draws the detailed one)
  var COAST_PANE = "atlas-coast"; // both levels' coast
  function kindPane(map, kind) {
    var name = "atlas-kind-" + kind;
    if (!map.getPane(name)) {
      var s = kindStyles[kind] || {};
      map.createPane(name).style.zIndex = s.backdrop ? 405 : 420 + drawingOrder(kind);
    }
    return name;
  }

  function pathStyle(p, styles) {
    var s = styles[p.kind] || { color: "#444444", weight: 2 };
    if (s.backdrop) {
      return {
        color: s.color, weight: s.weight || 1, opacity: 0.7, fill: true,
        fillColor: p.fill || s.color, fillOpacity: 1, className: featureClass(p),
      };
    }
    var approximate = p.certainty !== "exact";
    var area = isArea(p.kind);
    return {
      color: s.color,
      weight: area ? 1.5 : s.weight || 2,
      opacity: approximate ? 0.85 : 1,
      dashArray: approximate ? (area ? "4 4" : "8 6") : null,
      fill: area,
      fillColor: s.color,
      fillOpacity: area ? (approximate ? 0.22 : 0.32) : 0,
      className: featureClass(p),
    };
  }

  /* A feature's state in a year. The time rule itself is the server's (atlas/timerule.py):
     each feature arrives with the years it is on the map, and here whole numbers are compared. */
  function stateAt(p, year) {
    var y = p.years;
    if (y.first <= year && (y.last === null || year <= y.last)) return "visible";
    return y.ended === year ? "ended" : "hidden";
  }

  function isNew(p, year) {
    return p.years.first === year;
  }

  function setClass(layer, name, on) {
    layer.eachLayer(function (inner) {
      var el = inner.getElement && inner.getElement();
      if (el) el.classList.toggle(name, on);
    });
  }

  // Never zoom out so far that the view leaves the map's bounds, where the base map ends.
  function keepInsideBounds(map) {
    var bounds = map.options.maxBounds;
    if (!bounds) return;
    var least = map.options.minZoom || 0;
    var fit = function () {
      var z = Math.max(map.getBoundsZoom(bounds, true), least);
      map.setMinZoom(Math.min(z, map.getMaxZoom()));
      if (map.getZoom() < z) map.setZoom(z, { animate: false });
    };
    fit();
    map.on("resize", fit);
  }

  // Printing changes the map's size: let Leaflet measure again, so the sheet shows all of it.
  function refitForPrint(map) {
    var refit = function () { map.invalidateSize({ animate: false }); };
    window.addEventListener("beforeprint", refit);
    window.addEventListener("afterprint", refit);
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      if (print.addEventListener) print.addEventListener("change", refit);
    }
  }

  // The data files' JSON: base (the base map), features (every year's, with the kinds'
  // styles), words (the page's language: popups, names, legend and interface words).
  function shared(part) {
    return (window.atlasData || {})[part] || {};
  }

  // The base map: its coarse level here; from zoom 6 its detailed level's tiles (basemap.js,
  // when the page's JSON names their index), which take the coarse sea's place.
  atlas.addBaseMap = function (map, options) {
    var data = shared("base");
    keepInsideBounds(map);
    refitForPrint(map);
    map.createPane("atlas-base").style.zIndex = 250;
    map.createPane(SEA_PANE).style.zIndex = 408; // over the states (405)
    map.createPane(COAST_PANE).style.zIndex = 409;
    map.createPane(WATER_PANE).style.zIndex = 410; // lakes and rivers, under the other kinds
    var styles = {
      land: { stroke: true, color: "#a99f85", weight: 0.8, fillColor: "#f3eee0", fillOpacity: 1 },
      sea: { stroke: true, color: "#a99f85", weight: 0.8, fillColor: "#cfe0ea", fillOpacity: 1 },
      lakes: { stroke: true, color: "#7fa7c2", weight: 0.6, fillColor: "#cfe0ea", fillOpacity: 1 },
      rivers: { color: "#6b9fc4", weight: 1.2, opacity: 0.9, fill: false },
    };
    var coarse = []; // the coarse sea's pieces and their coasts
    var later = atlas.drawLater;
    // The land is the map's own ground (atlas.css: the container's background) and the sea is
    // drawn over it, over the states too, so that theirs is the base map's coast.
    if (data.sea) {
      // The sea comes in pieces, one to a cell of a grid (atlas/derive/sea.py), a step each.
      // Each is outlined in its own colour, so that no hairline of the ground shows between
      // two pieces; its coast is its rings less the stretches along its cell's edges, over
      // every piece. Not smoothed, so that the coast and the sea's edge stay one line.
      var seaStyle = {
        pane: SEA_PANE, interactive: false, fillColor: styles.sea.fillColor, fillOpacity: 1,
        stroke: true, color: styles.sea.fillColor, weight: 1, smoothFactor: 0, noClip: true,
      };
      var coastStyle = {
        pane: COAST_PANE, interactive: false, color: styles.sea.color,
        weight: styles.sea.weight, smoothFactor: 0, noClip: true,
      };
      data.sea.features.forEach(function (piece) {
        later(function () {
          var g = piece.geometry;
          var polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
          coarse.push(L.polygon(L.GeoJSON.coordsToLatLngs(polygons, 2), seaStyle).addTo(map));
          if (piece.properties.coast === false) return;
          var rings = [].concat.apply([], polygons);
          coarse.push(L.polyline(atlas.coastOf(rings, piece.bbox), coastStyle).addTo(map));
        });
      });
    }
    ["lakes", "rivers"].forEach(function (name) {
      if (!data[name]) return;
      var layer = L.geoJSON(null, {
        pane: WATER_PANE, interactive: false, style: function () { return styles[name]; },
      }).addTo(map);
      // A step for each of the layer's features.
      data[name].features.forEach(function (feature) {
        later(function () { layer.addData(feature); });
      });
    });
    later(function () {
      if (options && options.tiles && atlas.addBaseTiles) {
        atlas.addBaseTiles(map, options.tiles, coarse, styles, data.sea && data.sea.bbox);
      }
      atlas.base = data; // labels.js writes the rivers' names along them
      map.fire("atlas:base");
    });
  };

  /* A feature's popup, from the words file's HTML. Its links are written for the file: on the
     server they are the site's own paths; in the offline bundle they are relative to the
     file's folder, and are read from there, as a browser reads a stylesheet's url(). */
  function popupMaker(popups, wordsUrl) {
    var base = new URL(wordsUrl || ".", document.baseURI).href;
    var made = {}; // slug -> element: each popup is built once, when first opened
    return function (slug) {
      if (made[slug]) return made[slug];
      var box = document.createElement("div");
      box.innerHTML = popups[slug] || "";
      box.querySelectorAll("a[href]").forEach(function (a) {
        var href = a.getAttribute("href");
        if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(href)) return; // not relative: the same anywhere
        a.setAttribute("href", new URL(href, base).href);
      });
      made[slug] = box.children.length === 1 ? box.firstElementChild : box;
      return made[slug];
    };
  }

  atlas.addFeatures = function (map, data) {
    var words = shared("words");
    var all = shared("features");
    theMap = map;
    text = words.text || {};
    years = data.years;
    kindStyles = all.styles || {};
    displayNames = words.names || {};
    var popup = popupMaker(words.popups || {}, data.words);
    var only = null; // a place's map shows that place alone
    if (data.only) {
      only = {};
      data.only.forEach(function (slug) { only[slug] = true; });
    }
    var list = ((all.features || {}).features || []).filter(function (feature) {
      return !only || only[feature.properties.slug] === true;
    }).sort(function (a, b) {
      return drawingOrder(a.properties.kind) - drawingOrder(b.properties.kind);
    });
    var later = atlas.drawLater;
    // A step for each feature's layer, one for each layer added for the year, then the rest.
    list.forEach(function (feature) {
      later(function () { makeLayer(feature); });
    });
    function makeLayer(feature) {
      var p = feature.properties;
      var point = isPoint(feature);
      var s = kindStyles[p.kind] || { color: "#444444", radius: 6 };
      var scale = data.mode === "present" ? 1.6 : 1;
      var pane = kindPane(map, p.kind);
      var layer = L.geoJSON(feature, {
        pane: pane,
        pointToLayer: function (f, latlng) {
          if (s.context) {
            // The other powers' places: a ring, under the Russian marks it may hold.
            return L.circleMarker(latlng, {
              radius: (s.radius || 9) * scale, color: s.color, weight: 2.5 * scale,
              fillColor: "#ffffff", fillOpacity: 0.4, className: featureClass(p), pane: pane,
            });
          }
          return L.circleMarker(latlng, {
            radius: (s.radius || 6) * scale, color: "#ffffff", weight: 2 * scale,
            fillColor: s.color, fillOpacity: 1, className: featureClass(p), pane: pane,
          });
        },
        // L.geoJSON applies `style` to circle markers too; points keep their own look.
        style: function () {
          if (point) return {};
          var style = pathStyle(p, kindStyles);
          style.weight *= scale;
          return style;
        },
      });
      layer.bindPopup(function () { return popup(p.slug); }, {
        maxWidth: 380, minWidth: 260, maxHeight: 420, className: "atlas-popup",
        autoPanPadding: [24, 24],
      });
      // An area or a line is named where the pointer is on it; labels.js names the places.
      // A text node, never an HTML string: names come from data.
      if (!point) {
        layer.bindTooltip(document.createTextNode(nameOf(p)), {
          sticky: true, direction: "top", className: "atlas-label atlas-label-" + p.kind,
        });
      }
      features[p.slug] = { layer: layer, props: p, point: point, scale: scale };
    }
    later(function () { findTwins(); applyYear(data.year, later); });
    later(function () {
      if (data.controls) {
        initControls();
        initSearch();
      }
      // ?feature=slug opens that feature's popup: the server names it (data.open) and has
      // made it the first view; a page of the offline bundle, which has no server, reads it
      // from its own address. It opens once the map is drawn, after access.js has fitted the
      // popups to the map, so that it opens at its size and nothing moves.
      var open = data.open || featureInAddress();
      if (open) atlas.whenDrawn(function () { openNow(open, roomForPopup); });
    });
    map.on("popupopen", function (event) {
      // "new this year" depends on the year shown, not on the popup's text.
      var el = event.popup.getElement();
      var badge = el.querySelector(".new-badge");
      var article = el.querySelector(".popup");
      var f = article && features[article.getAttribute("data-slug")];
      var marked = f && isNew(f.props, shownYear) && !(kindStyles[f.props.kind] || {}).backdrop;
      if (badge) badge.hidden = !marked;
    });
  };

  // A label that yields (geodata/: label.yields) gives way to another place's label at the
  // same point: a ring's name is hidden while the Russian port inside it is on the map.
  function findTwins() {
    var at = {}; // point -> the slugs of the places there
    Object.keys(features).forEach(function (slug) {
      if (!features[slug].point) return;
      var key = String(pointOf(features[slug]));
      (at[key] = at[key] || []).push(slug);
    });
    Object.keys(features).forEach(function (slug) {
      var f = features[slug];
      if (!f.point || !(f.props.label && f.props.label.yields)) return;
      f.twins = at[String(pointOf(f))].filter(function (other) { return other !== slug; });
    });
  }

  // A metric scale bar whose units are in the page's language (the words file's).
  function addScale(map) {
    var Scale = L.Control.Scale.extend({
      _updateMetric: function (maxMeters) {
        var units = shared("words").text || {};
        var meters = this._getRoundNum(maxMeters);
        var label = meters < 1000
          ? meters + " " + (units.m || "m")
          : meters / 1000 + " " + (units.km || "km");
        this._updateScale(this._mScale, label, meters / maxMeters);
      },
    });
    new Scale({ imperial: false }).addTo(map);
  }

  // Mark some features as the ones to look at (presentation mode); the rest are dimmed.
  atlas.highlight = function (slugs) {
    var wanted = {};
    (slugs || []).forEach(function (slug) { wanted[slug] = true; });
    highlighted = wanted;
    Object.keys(features).forEach(function (slug) {
      var on = !!wanted[slug];
      setClass(features[slug].layer, "atlas-highlight", on);
    });
    var container = theMap && theMap.getContainer();
    if (container) container.classList.toggle("atlas-focus", (slugs || []).length > 0);
    Object.keys(features).forEach(function (slug) {
      var f = features[slug];
      if (wanted[slug] && theMap.hasLayer(f.layer) && !isArea(f.props.kind)) f.layer.bringToFront();
    });
    if (theMap) theMap.fire("atlas:highlight");
  };

  function pointOf(f) {
    var inner = f.layer.getLayers()[0];
    var ll = inner && inner.getLatLng && inner.getLatLng();
    return ll ? [ll.lat, ll.lng] : null;
  }

  // The features on the map now, for the page's other scripts (labels.js names them): each
  // with its properties, its name in the page's language, its kind's style, whether it is a
  // point, "visible" or "ended" this year, whether it is highlighted, and whether its name
  // yields to another place's at the same point that is on the map now.
  atlas.shownFeatures = function () {
    if (!theMap) return [];
    return Object.keys(features).filter(function (slug) {
      return theMap.hasLayer(features[slug].layer);
    }).map(function (slug) {
      var f = features[slug];
      return {
        props: f.props, name: nameOf(f.props), style: kindStyles[f.props.kind] || {},
        point: f.point, layer: f.layer, scale: f.scale, state: stateAt(f.props, shownYear),
        highlighted: !!highlighted[slug],
        yields: (f.twins || []).some(function (other) {
          return theMap.hasLayer(features[other].layer);
        }),
      };
    });
  };

  // Show the state at the end of a year. While the map is first drawn (``later``: a step
  // of the drawing), each layer added is a step of its own.
  function applyYear(year, later) {
    shownYear = year;
    if (drawn) atlas.year = year;
    // Only what changes is touched: a layer added or removed, a class that flips.
    function applyTo(slug) {
      var f = features[slug];
      var state = stateAt(f.props, year);
      var on = theMap.hasLayer(f.layer);
      if (state === "hidden") {
        if (on) theMap.removeLayer(f.layer);
        return;
      }
      if (!on) f.layer.addTo(theMap);
      var marks = (state === "visible" && isNew(f.props, year) ? "new" : "") +
        (state === "ended" ? "ended" : "");
      if (!on || f.marks !== marks) {
        setClass(f.layer, "atlas-new", marks === "new");
        setClass(f.layer, "atlas-ended", marks === "ended");
        f.marks = marks;
      }
    }
    // Each kind has its pane (kindPane), stacked in the registry's order: a layer added goes
    // to its kind's place, over no other kind's.
    function finish() {
      legendForYear();
      updatePage(year);
      theMap.fire("atlas:year", { year: year });
    }
    if (later) {
      Object.keys(features).forEach(function (slug) { later(function () { applyTo(slug); }); });
      later(finish);
    } else {
      Object.keys(features).forEach(applyTo);
      finish();
    }
  }

  // The legend names only the kinds on the map this year.
  function legendForYear() {
    var kinds = {};
    Object.keys(features).forEach(function (slug) {
      if (stateAt(features[slug].props, shownYear) === "visible") kinds[features[slug].props.kind] = true;
    });
    Object.keys(legendItems).forEach(function (kind) {
      var hidden = !kinds[kind];
      if (legendItems[kind].hidden !== hidden) legendItems[kind].hidden = hidden;
    });
  }

  function updatePage(year) {
    document.querySelectorAll(".year-panel").forEach(function (panel) {
      var hidden = panel.getAttribute("data-year") !== String(year);
      if (panel.hidden !== hidden) panel.hidden = hidden;
    });
    var slider = document.querySelector(".year-slider");
    if (slider) {
      slider.value = String(year);
      slider.setAttribute("aria-valuetext", String(year));
    }
    document.querySelectorAll(".year-list a").forEach(function (a) {
      if (a.getAttribute("data-year") === String(year)) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    [[".year-prev", year - 1], [".year-next", year + 1]].forEach(function (pair) {
      var a = document.querySelector(pair[0]);
      if (!a) return;
      var inside = pair[1] >= years[0] && pair[1] <= years[1];
      // A step with nowhere to go is no link: disabled, and out of the tab order.
      if (inside) {
        a.setAttribute("href", yearUrl(pair[1]));
        a.setAttribute("rel", pair[0] === ".year-prev" ? "prev" : "next");
        a.removeAttribute("aria-disabled");
        a.removeAttribute("role");
      } else {
        a.removeAttribute("href");
        a.removeAttribute("rel");
        a.setAttribute("aria-disabled", "true");
        a.setAttribute("role", "link");
      }
    });
    // The window's title waits until the map has been painted (it is no part of the frame).
    afterFrame(function () {
      if (shownYear === year) document.title = document.title.replace(/^\d{4}/, String(year));
    });
  }

  function afterFrame(callback) {
    requestAnimationFrame(function () { setTimeout(callback, 0); });
  }

  // The address of a year's map; the offline bundle sets its own on <html data-year-url>. The
  // fragment (the layers hidden, layers.js) goes along.
  function yearUrl(year) {
    var pattern = document.documentElement.getAttribute("data-year-url") || "/map/0000/";
    return pattern.replace("0000", String(year)) + window.location.hash;
  }

  function step(delta) {
    return atlas.setYear(shownYear + delta);
  }

  function stopPlaying() {
    if (playTimer === null) return;
    clearInterval(playTimer);
    playTimer = null;
    var button = document.querySelector(".year-play");
    if (button) {
      button.setAttribute("aria-pressed", "false");
      button.textContent = text.play || "Play";
    }
  }

  function startPlaying() {
    var button = document.querySelector(".year-play");
    if (shownYear >= years[1]) atlas.setYear(years[0]);
    button.setAttribute("aria-pressed", "true");
    button.textContent = text.pause || "Pause";
    playTimer = setInterval(function () {
      if (shownYear >= years[1] || !step(1)) stopPlaying();
    }, 1600);
  }

  function initControls() {
    var slider = document.querySelector(".year-slider");
    if (slider) {
      slider.addEventListener("input", function () { atlas.setYear(slider.value); });
    }
    document.querySelectorAll(".year-list a").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        stopPlaying();
        atlas.setYear(a.getAttribute("data-year"));
      });
    });
    [[".year-prev", -1], [".year-next", 1]].forEach(function (pair) {
      var a = document.querySelector(pair[0]);
      if (!a) return;
      a.addEventListener("click", function (event) {
        event.preventDefault();
        stopPlaying();
        step(pair[1]);
      });
    });
    var play = document.querySelector(".year-play");
    if (play) {
      play.addEventListener("click", function () {
        if (playTimer === null) startPlaying();
        else stopPlaying();
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var target = event.target;
      // The slider moves itself; text fields keep their keys.
      if (target.matches && target.matches("input, textarea, select, [contenteditable]")) return;
      // The map's own keys (arrows pan, + and - zoom) are the map's when it has the focus.
      if (target.closest && target.closest(".leaflet-container")) return;
      var moves = { ArrowLeft: -1, ArrowRight: 1 };
      if (event.key in moves) step(moves[event.key]);
      else if (event.key === "Home") atlas.setYear(years[0]);
      else if (event.key === "End") atlas.setYear(years[1]);
      else return;
      stopPlaying();
      event.preventDefault();
    });
    document.querySelectorAll("[data-feature]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (atlas.openFeature(link.getAttribute("data-feature"))) event.preventDefault();
      });
    });
    window.addEventListener("popstate", function (event) {
      var year = event.state && event.state.year;
      if (!year) {
        var match = window.location.pathname.match(/\/map\/(\d{4})\//);
        year = match ? parseInt(match[1], 10) : null;
      }
      if (year) atlas.setYear(year, { history: false });
    });
    if (window.location.protocol !== "file:") {
      history.replaceState({ year: shownYear }, "", window.location.href);
    }
  }

  // The legend of the kinds the page names (data.kinds, top to bottom).
  atlas.addLegend = function (map, data) {
    var labels = shared("words").legend || {};
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "atlas-legend");
      var title = L.DomUtil.create("h2", "atlas-legend-title", box);
      title.textContent = text.legend || "Legend";
      var list = L.DomUtil.create("ul", "", box);
      function addItem(kind) {
        var style = kindStyles[kind] || { color: "#444444" };
        var li = L.DomUtil.create("li", "atlas-legend-" + kind, list);
        var swatch = L.DomUtil.create("span", "swatch", li);
        swatch.style.background = style.radius && !style.context ? style.color : "transparent";
        swatch.style.borderColor = style.color;
        if (style.radius) swatch.classList.add(style.context ? "swatch-ring" : "swatch-point");
        var label = L.DomUtil.create("span", "", li);
        label.textContent = labels[kind] || kind;
        legendItems[kind] = li;
      }
      var context = function (kind) { return !!(kindStyles[kind] || {}).context; };
      data.kinds.filter(function (kind) { return !context(kind); }).forEach(addItem);
      var others = data.kinds.filter(context);
      if (others.length) {
        var heading = L.DomUtil.create("li", "atlas-legend-context", list);
        heading.textContent = text.context || "The other powers (context)";
        others.forEach(addItem);
      }
      if (data.approximate) {
        var li = L.DomUtil.create("li", "atlas-legend-approximate", list);
        L.DomUtil.create("span", "swatch swatch-dashed", li);
        var label = L.DomUtil.create("span", "", li);
        label.textContent = text.approximate || "Dashed: approximate";
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);
    legendForYear();
  };

  /* Search: any name form (Шанхай, Shanghai, 上海, Shànghǎi, Amoy) finds the feature. */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[\s\-‐–—'’()]+/g, " ").trim();
  }

  // Every string of the name (each language, zh, zh_simplified, pinyin, romanized) and the
  // other names.
  function nameForms(p) {
    var n = p.name;
    return Object.keys(n).filter(function (k) { return typeof n[k] === "string"; })
      .map(function (k) { return n[k]; }).concat(n.other || [])
      .filter(function (x, i, all) { return x && all.indexOf(x) === i; });
  }

  atlas.findFeature = function (query) {
    var q = fold(query).replace(/ /g, "");
    if (!q) return null;
    var best = null;
    var bestScore = 0;
    Object.keys(features).forEach(function (slug) {
      var p = features[slug].props;
      // Between equal matches, the atlas' subject wins over the other powers' context (the
      // Russian port, not the ring of the same name around it).
      var own = (kindStyles[p.kind] || {}).context ? 0 : 1;
      // Of features named alike (a state in each of its periods), the one on the map wins.
      var here = stateAt(p, shownYear) === "visible" ? 0.5 : 0;
      nameForms(p).concat([slug]).forEach(function (form) {
        // Pinyin is matched with or without tones and syllable breaks (Hǎishēnwǎi, haishen wai).
        var f = fold(form).replace(/ /g, "");
        var match = f === q ? 3 : f.indexOf(q) === 0 ? 2 : f.indexOf(q) >= 0 ? 1 : 0;
        var score = match ? match * 2 + own + here : 0;
        if (score > bestScore) { best = slug; bestScore = score; }
      });
    });
    return best;
  };

  atlas.search = function (query) {
    var slug = atlas.findFeature(query);
    if (!slug) return null;
    var p = features[slug].props;
    var first = Math.max(p.years.first, years[0]);
    if (stateAt(p, shownYear) !== "visible") atlas.setYear(first);
    atlas.openFeature(slug);
    return slug;
  };

  function initSearch() {
    var form = document.querySelector(".search");
    if (!form) return;
    var input = form.querySelector("input");
    var status = form.querySelector(".search-status");
    var list = document.getElementById("place-names");
    // The names the field suggests are written when a reader first comes to it, not while
    // the page starts.
    function suggest() {
      if (!list || list.options.length) return;
      var options = document.createDocumentFragment();
      Object.keys(features).forEach(function (slug) {
        var p = features[slug].props;
        nameForms(p).forEach(function (form) {
          var option = document.createElement("option");
          option.value = form;
          if (form !== nameOf(p)) option.label = nameOf(p);
          options.appendChild(option);
        });
      });
      list.appendChild(options);
    }
    ["focus", "pointerdown", "input"].forEach(function (type) {
      input.addEventListener(type, suggest);
    });
    function go(event) {
      if (event) event.preventDefault();
      var slug = atlas.search(input.value);
      var missing = text.not_found || "No place called “{name}” on the map.";
      var found = text.found || "{name}: on the map of {year}.";
      // A place found is announced (the status is polite and, then, not shown).
      status.classList.toggle("is-found", !!slug);
      status.textContent = slug
        ? found.replace("{name}", nameOf(features[slug].props)).replace("{year}", shownYear)
        : missing.replace("{name}", input.value);
    }
    form.addEventListener("submit", go);
    input.addEventListener("change", function () {
      if (atlas.findFeature(input.value)) go();
    });
  }

  // A feature's name for a screen reader and a tab stop: "Shanghai, port open to Russian ships".
  atlas.describe = function (slug) {
    var f = Object.prototype.hasOwnProperty.call(features, slug) ? features[slug] : null;
    if (!f) return "";
    var kind = (shared("words").kinds || {})[f.props.kind];
    return kind ? nameOf(f.props) + ", " + kind : nameOf(f.props);
  };

  atlas.visibleFeatures = function () {
    if (!theMap) return [];
    return Object.keys(features).filter(function (slug) {
      return stateAt(features[slug].props, shownYear) === "visible";
    });
  };

  // Move the view only where it changes: a view set again is drawn again, every layer of it.
  function viewTo(center, zoom) {
    var size = theMap.getSize().divideBy(2);
    var same = theMap.getZoom() === zoom && theMap.latLngToContainerPoint(center).distanceTo(size) < 1;
    if (!same) theMap.setView(center, zoom, { animate: false });
  }

  // Where Leaflet's fitBounds (no padding) would put the view.
  function boundsView(bounds, maxZoom) {
    var zoom = Math.min(theMap.getBoundsZoom(bounds), maxZoom);
    var sw = theMap.project(bounds.getSouthWest(), zoom);
    var ne = theMap.project(bounds.getNorthEast(), zoom);
    return { center: theMap.unproject(sw.add(ne).divideBy(2), zoom), zoom: zoom };
  }

  // ``inView``: the first view was made for this place and its popup (firstView).
  function openNow(slug, inView) {
    var f = Object.prototype.hasOwnProperty.call(features, slug) ? features[slug] : null;
    if (!f || !theMap.hasLayer(f.layer)) return false;
    theMap.closePopup();
    // The popup is bound to the feature's group, so it opens where we say.
    var inner = f.layer.getLayers()[0];
    if (inner.getLatLng) {
      // Without animation, so that the popup's auto-pan sees the final view.
      if (!inView) viewTo(inner.getLatLng(), Math.max(theMap.getZoom(), 5));
      f.layer.openPopup(inner.getLatLng());
    } else {
      var view = boundsView(inner.getBounds(), 6);
      viewTo(view.center, view.zoom);
      f.layer.openPopup(inner.getBounds().getCenter());
    }
    return true;
  }

  // Asked before the map is drawn (a teacher's script, a test), it is done once it is.
  atlas.openFeature = function (slug) {
    if (!drawn) {
      atlas.whenDrawn(function () { openNow(slug); });
      return true;
    }
    return openNow(slug);
  };

  atlas.setYear = function (year, options) {
    if (!drawn) {
      atlas.whenDrawn(function () { atlas.setYear(year, options); });
      return true;
    }
    var y = parseInt(year, 10);
    if (!years || !isFinite(y) || y < years[0] || y > years[1]) return false;
    if (y === shownYear) return true;
    theMap.closePopup();
    applyYear(y);
    // A page opened from a file (the offline bundle) has no server paths to push. The address
    // follows once the year is painted, as the window's title does: it is no part of the frame.
    if ((!options || options.history !== false) && window.location.protocol !== "file:") {
      var url = yearUrl(y);
      afterFrame(function () {
        history.pushState({ year: y }, "", url);
        theMap.fire("atlas:address");
      });
    }
    return true;
  };

  function featureInAddress() {
    return new URLSearchParams(window.location.search).get("feature");
  }

  /* --- Drawing in slices ------------------------------------------------------------------ */

  // A slice's length on the clock, half a frame: a phone's slowed CPU stretches the clock too,
  // so a slice stays short wherever it runs (the longest task is a slice and one job), and a
  // slice measured on a fast machine stays under 50 ms on one four times slower.
  var SLICE_MS = 8;
  var jobs = []; // the drawing's steps still to run, in order
  var added = null; // the steps queued by the job running now: they run next
  var drawn = false;
  var drawnCallbacks = [];

  // The next task, without setTimeout's clamping: a message to ourselves.
  var nextTask = (function () {
    if (!window.MessageChannel) return function (fn) { setTimeout(fn, 0); };
    var channel = new MessageChannel();
    var waiting = [];
    channel.port1.onmessage = function () { waiting.shift()(); };
    return function (fn) {
      waiting.push(fn);
      channel.port2.postMessage(0);
    };
  })();

  // A step of the drawing; once the map is drawn, a step runs at once.
  atlas.drawLater = function (job) {
    if (drawn) job();
    else (added || jobs).push(job);
  };

  function runJobs() {
    var start = performance.now();
    var ran = false;
    while (jobs.length) {
      // A job that must start a task of its own (the end of the drawing) waits for the next.
      if (ran && jobs[0].fresh) break;
      var job = jobs.shift();
      added = [];
      attempt(job);
      ran = true;
      jobs = added.concat(jobs);
      added = null;
      if (performance.now() - start > SLICE_MS) break;
    }
    if (jobs.length) nextTask(runJobs);
  }

  // One step that fails leaves the rest of the map drawn; the error still shows.
  function attempt(fn) {
    try {
      fn();
    } catch (error) {
      setTimeout(function () { throw error; }, 0);
    }
  }

  atlas.whenDrawn = function (callback) {
    if (drawn && !drawnCallbacks.length) callback();
    else drawnCallbacks.push(callback);
  };

  // Once the drawing is done: the callbacks, in the order they were asked for, each in a task
  // of its own (one of them may open a popup, a layout of its own).
  function finishDrawing() {
    drawn = true;
    atlas.map = theMap;
    atlas.year = shownYear;
    nextCallback();
  }
  finishDrawing.fresh = true;

  function nextCallback() {
    if (!drawnCallbacks.length) {
      // For benchmarks and tests: when the drawn map has been painted.
      requestAnimationFrame(function () { atlas.drawnAt = performance.now(); });
      return;
    }
    attempt(drawnCallbacks[0]);
    drawnCallbacks.shift();
    nextTask(nextCallback);
  }

  // The functions the page's JSON may name; nothing else of window.atlas is called from data.
  var widgets = {
    addBaseMap: atlas.addBaseMap,
    addFeatures: atlas.addFeatures,
    addLegend: atlas.addLegend,
  };
  // Widgets drawn by the page's scripts that load after this one, all loaded by the time the
  // drawing starts (labels.js, layers.js).
  var LATER = ["addLayerSwitches", "addLabels"];
  // A widget drawn in the same step as the one before it: the legend's switches fold the
  // legend before it is first painted, so that nothing on the page moves.
  var SAME_STEP = ["addLayerSwitches"];

  // The first view: the step of the presentation, the place of a place's page, the feature
  // opened (atlas/maps/builders.py), set before anything is drawn so nothing is drawn twice.
  // A place opened with the page (``opens``) is set low in its first view, with room above it
  // for the largest popup (access.js fitPopup), so that Leaflet's auto-pan has nothing to move
  // once the map is drawn (a move draws every layer again).
  var roomForPopup = false;
  function firstView(map, view, opens) {
    if (!view) return;
    if (view.bounds) {
      map.fitBounds(view.bounds, { maxZoom: view.max_zoom || map.getMaxZoom(), animate: false });
    } else if (view.center) {
      var center = L.latLng(view.center);
      if (opens) {
        var size = map.getSize();
        var tallest = Math.min(420, size.y - 80);
        var below = L.point(0, Math.min(size.y - 40, tallest + 90) - size.y / 2);
        center = map.unproject(map.project(center, view.zoom).subtract(below), view.zoom);
        roomForPopup = true;
      }
      map.setView(center, view.zoom, { animate: false });
    }
  }

  // Draw the page's map, if it has one, from its JSON block.
  function drawPageMap() {
    var block = document.getElementById("atlas-map-config");
    var element = document.getElementById("atlas-map");
    if (!block || !element) return;
    var spec = JSON.parse(block.textContent);
    var options = { center: spec.map.center, crs: L.CRS[spec.map.crs] };
    Object.keys(spec.map.options).forEach(function (key) {
      options[key] = spec.map.options[key];
    });
    var map = (theMap = L.map(element, options));
    var featureLayer = spec.layers.filter(function (layer) { return layer[0] === "addFeatures"; })[0];
    firstView(map, spec.map.view, !!(featureLayer && featureLayer[1].open));
    if (spec.map.scale) addScale(map);
    var steps = [];
    spec.layers.forEach(function (layer) {
      var name = layer[0];
      var draw = widgets[name] || (LATER.indexOf(name) >= 0 ? atlas[name] : null);
      if (!draw) return;
      var call = function () { draw(map, layer[1]); };
      if (SAME_STEP.indexOf(name) >= 0 && steps.length) steps.push(steps.pop().concat([call]));
      else steps.push([call]);
    });
    steps.forEach(function (calls) {
      jobs.push(function () { calls.forEach(function (call) { call(); }); });
    });
    jobs.push(finishDrawing);
    nextTask(runJobs); // the map's creation (its first layout) is a task of its own
  }

  // Deferred scripts run while the document is "interactive", before DOMContentLoaded: the
  // drawing waits for the page's other scripts (layers.js, labels.js, access.js).
  var started = false;
  function start() {
    if (started) return;
    started = true;
    drawPageMap();
  }
  if (document.readyState === "complete") start();
  else {
    document.addEventListener("DOMContentLoaded", start);
    window.addEventListener("load", start);
  }
})();
