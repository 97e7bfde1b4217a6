/*
 * The feature admin's geometry preview: a small Leaflet map under the GeoJSON text, redrawn as
 * the editor types, with the server's shapely verdict beside it. Leaflet and the land layer come
 * from this site; nothing is fetched from another origin. Messages are set as text, never HTML.
 */
(function () {
  "use strict";

  function adminBase() {
    // /admin/atlas/feature/<id>/change/ or /admin/atlas/feature/add/ -> /admin/atlas/feature/
    var match = window.location.pathname.match(/^(.*\/atlas\/feature\/)/);
    return match ? match[1] : null;
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function init(textarea) {
    var base = adminBase();
    var box = document.createElement("div");
    box.className = "atlas-preview";
    var mapDiv = document.createElement("div");
    mapDiv.className = "atlas-preview-map";
    mapDiv.setAttribute("role", "img");
    mapDiv.setAttribute("aria-label", "Preview of the geometry");
    var status = document.createElement("p");
    status.className = "atlas-preview-status";
    status.setAttribute("role", "status");
    box.appendChild(mapDiv);
    box.appendChild(status);
    textarea.parentNode.insertBefore(box, textarea.nextSibling);

    var map = L.map(mapDiv, { attributionControl: false, zoomSnap: 0.5 }).setView([45, 120], 3);
    var shape = null;
    if (base) {
      fetch(base + "basemap.geojson", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (land) {
          if (!land) return;
          L.geoJSON(land, {
            interactive: false,
            style: { color: "#b8b2a0", weight: 0.5, fillColor: "#efeadb", fillOpacity: 1 },
          }).addTo(map).bringToBack();
        })
        .catch(function () { /* the preview works without the land layer */ });
    }

    function say(text, ok) {
      status.textContent = text;
      status.className = "atlas-preview-status " + (ok ? "is-valid" : "is-invalid");
    }

    var pending = null;
    function check(text) {
      if (!base) return;
      fetch(base + "check-geometry/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(textarea.form) },
        body: text,
      })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          if (textarea.value !== text) return; // the editor has typed on
          say(answer.ok ? "Valid geometry." : answer.error, answer.ok);
        })
        .catch(function () { say("Could not check the geometry with the server.", false); });
    }

    function redraw() {
      var text = textarea.value;
      var obj;
      if (shape) { map.removeLayer(shape); shape = null; }
      try {
        obj = JSON.parse(text);
      } catch (e) {
        say(text.trim() ? "Not valid JSON yet." : "No geometry.", false);
        return;
      }
      try {
        shape = L.geoJSON(obj, {
          style: { color: "#0072B2", weight: 3, fillOpacity: 0.25 },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2,
              fillColor: "#0072B2", fillOpacity: 1 });
          },
        }).addTo(map);
        var bounds = shape.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 7, padding: [16, 16] });
      } catch (e) {
        say("Leaflet cannot draw this geometry.", false);
        return;
      }
      say("Checking…", true);
      clearTimeout(pending);
      pending = setTimeout(function () { check(text); }, 300);
    }

    textarea.addEventListener("input", redraw);
    redraw();
    window.atlasAdminPreview = { map: map, redraw: redraw, status: status };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var textarea = document.querySelector("textarea.atlas-geometry");
    if (textarea && window.L) init(textarea);
  });
})();
