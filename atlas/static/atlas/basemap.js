/* Treaty Atlas: the base map's detailed level, drawn at zoom 6 and closer.
 *
 * The coarse level (the base data file's sea, in pieces, and its lakes and rivers: atlas.js
 * addBaseMap) serves every zoom to 5; it draws its coast with this script's atlas.coastOf. From zoom 6 the land and the sea are drawn from tiles instead: the index file
 * (/data/tiles.<hash>.js, named in the page's JSON) lists the cells of the grid that hold land,
 * by row — {"size": 4, "file": "tile.{cell}.<digest>.js", "cells": {"40": [128, 132], …}}, a
 * row's south edge and its cells' west edges — and names their files, beside the index, with
 * the cell for {cell} (tile.e132n40.<digest>.js; one digest, the whole level's, for every
 * tile); a cell it does not list is sea. Only the cells in view are loaded, each once, as
 * scripts of the site's own (<script src>, so the offline bundle loads them from file:// too),
 * and each sets window.atlasData.tile[cell] to its land (GeoJSON). A cell is drawn as its land
 * under everything, and its coast — the land's rings less the stretches along the cell's
 * edges — over the sea, which is one shape over the states: the world (the coarse sea's bbox)
 * less the cells' land.
 * The coarse level stays until the cells in view are there, so the map never shows an empty
 * cell while it zooms in.
 *
 *   atlas.baseTiles()   {level: "coarse" | "detailed", requested: [cell…], drawn: [cell…]}
 */
(function () {
  "use strict";

  var atlas = (window.atlas = window.atlas || {});
  var DETAIL_ZOOM = 6;

  function cellName(x, y) {
    return "e" + x + (y >= 0 ? "n" : "s") + Math.abs(y);
  }

  function box(x, y, size) {
    return [[y, x], [y, x + size], [y + size, x + size], [y + size, x]];
  }

  function latLngs(ring) {
    return ring.map(function (c) { return [c[1], c[0]]; });
  }

  // The rings of a tile's land (outer rings and holes alike), lng/lat.
  function ringsOf(tile) {
    var rings = [];
    tile.features.forEach(function (f) {
      var g = f.geometry;
      var polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      polygons.forEach(function (polygon) { rings.push.apply(rings, polygon); });
    });
    return rings;
  }

  // The coast in a cell (b: west, south, east, north): the rings of its land, or of its sea,
  // cut where they run along the cell's edges. The coarse level's sea (atlas.js) uses it too.
  var coastOf = (atlas.coastOf = function (rings, b) {
    var lines = [];
    function onEdge(p, q) {
      return (p[0] === q[0] && (p[0] === b[0] || p[0] === b[2])) ||
        (p[1] === q[1] && (p[1] === b[1] || p[1] === b[3]));
    }
    rings.forEach(function (ring) {
      var line = [];
      for (var i = 0; i < ring.length - 1; i++) {
        if (onEdge(ring[i], ring[i + 1])) {
          if (line.length > 1) lines.push(line);
          line = [];
          continue;
        }
        if (!line.length) line.push([ring[i][1], ring[i][0]]);
        line.push([ring[i + 1][1], ring[i + 1][0]]);
      }
      if (line.length > 1) lines.push(line);
    });
    return lines;
  });

  // world: the bounds the sea covers (west, south, east, north), the coarse sea's.
  atlas.addBaseTiles = function (map, indexUrl, coarse, styles, world) {
    var indexAddress = new URL(indexUrl, document.baseURI).href;
    var index = null; // {size, file: "tile.{cell}.<digest>.js", cells: {south: [west…]}}
    var cells = {}; // cell -> true, for each cell of the index
    var indexState = "none"; // "loading", "loaded", "failed"
    var state = {}; // cell -> "loading" | "drawn" | "failed"
    var requested = [];
    var detailed = false;
    var group = L.layerGroup();
    // The world, with the land of every cell in view cut out of it.
    var w = world;
    var WORLD = [[w[1], w[0]], [w[1], w[2]], [w[3], w[2]], [w[3], w[0]]];
    // No outline: the sea's rings run along the cells' edges, over land too. Not smoothed
    // (smoothFactor 0): where two cells' land meets along their edge, Leaflet's smoothing of
    // each ring apart would open a hairline of sea between them.
    var seaStyle = {
      pane: "atlas-sea", interactive: false, fillColor: styles.sea.fillColor,
      fillOpacity: 1, stroke: false, smoothFactor: 0,
    };
    var landStyle = {
      pane: "atlas-base", interactive: false, fillColor: styles.land.fillColor,
      fillOpacity: 1, stroke: true, color: styles.land.fillColor, weight: 1, smoothFactor: 0,
    };
    var coastStyle = {
      pane: "atlas-coast", interactive: false, color: styles.land.color,
      weight: styles.land.weight, fill: false,
    };

    function load(url, done) {
      var script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = function () { done(true); };
      script.onerror = function () { done(false); };
      document.head.appendChild(script);
    }

    function visibleCells() {
      var size = index.size;
      var b = map.getBounds();
      var found = [];
      var x0 = Math.floor(b.getWest() / size) * size;
      var y0 = Math.floor(b.getSouth() / size) * size;
      for (var y = y0; y < b.getNorth(); y += size) {
        for (var x = x0; x < b.getEast(); x += size) {
          var name = cellName(x, y);
          if (cells[name]) found.push(name);
        }
      }
      return found;
    }

    function draw(name) {
      var tile = ((window.atlasData || {}).tile || {})[name];
      if (!tile) {
        state[name] = "failed";
        return;
      }
      var b = tile.bbox;
      var rings = ringsOf(tile);
      var polygons = [];
      tile.features.forEach(function (f) {
        var g = f.geometry;
        (g.type === "Polygon" ? [g.coordinates] : g.coordinates).forEach(function (polygon) {
          polygons.push(polygon.map(latLngs));
        });
      });
      group.addLayer(L.polygon(polygons, landStyle));
      seaRings[name] = rings.map(latLngs);
      scheduleSea();
      var coast = coastOf(rings, b);
      if (coast.length) group.addLayer(L.polyline(coast, coastStyle));
      state[name] = "drawn";
    }

    // The sea, as one shape (even-odd, so that no seam shows along the cells' edges): the
    // world less, for each cell of the index, its land's rings once it is drawn and the whole
    // cell until then.
    var seaRings = {}; // cell -> rings (lat/lng)
    var sea = null;
    function openSea() {
      var size = index.size;
      Object.keys(index.cells).forEach(function (row) {
        var y = parseInt(row, 10);
        index.cells[row].forEach(function (x) {
          var name = cellName(x, y);
          cells[name] = true;
          seaRings[name] = [box(x, y, size)];
        });
      });
      sea = L.polygon([WORLD], seaStyle);
      group.addLayer(sea);
      drawSea();
    }

    // Tiles that arrive together reshape the sea once, at the next frame.
    var seaPending = false;
    function scheduleSea() {
      if (seaPending) return;
      seaPending = true;
      requestAnimationFrame(function () {
        seaPending = false;
        drawSea();
      });
    }

    function drawSea() {
      var rings = [WORLD];
      Object.keys(seaRings).forEach(function (name) {
        rings.push.apply(rings, seaRings[name]);
      });
      sea.setLatLngs(rings);
    }

    function showDetailed(on) {
      if (on === detailed) return;
      detailed = on;
      if (on && seaPending) drawSea(); // the sea of every cell in view, before the coarse goes
      coarse.forEach(function (layer) {
        if (on) map.removeLayer(layer);
        else layer.addTo(map);
      });
      if (on) group.addTo(map);
      else map.removeLayer(group);
    }

    function update() {
      if (map.getZoom() < DETAIL_ZOOM) {
        showDetailed(false);
        return;
      }
      if (indexState === "none") {
        indexState = "loading";
        load(indexAddress, function (ok) {
          index = ok ? (window.atlasData || {}).tiles : null;
          indexState = index ? "loaded" : "failed";
          if (index) openSea();
          update();
        });
      }
      if (indexState !== "loaded") return;
      var waiting = 0;
      visibleCells().forEach(function (name) {
        if (state[name] === "drawn" || state[name] === "failed") return;
        waiting += 1;
        if (state[name] === "loading") return;
        state[name] = "loading";
        requested.push(name);
        load(new URL(index.file.replace("{cell}", name), indexAddress).href, function () {
          draw(name);
          update();
        });
      });
      // The coarse level goes when the cells in view are drawn.
      if (!waiting && map.getZoom() >= DETAIL_ZOOM) showDetailed(true);
    }

    map.on("zoomend moveend", update);
    update();

    atlas.baseTiles = function () {
      return {
        level: detailed ? "detailed" : "coarse",
        requested: requested.slice(),
        drawn: Object.keys(state).filter(function (n) { return state[n] === "drawn"; }),
      };
    };
  };
})();
