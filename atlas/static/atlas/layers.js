/* Treaty Atlas: the legend's switches. Each kind of feature in the legend has a checkbox that
 * shows or hides it (its pane, atlas.js's kindPane, and its names); the kinds hidden are kept
 * in the address (#hide=route,trade_zone), which the year's links, the language switch and the
 * presentation's steps carry along, so a shared link shows the same layers. The legend folds
 * away behind its title (a button), folded at first in the presentation, the embed and on a
 * small screen. Under "States" the legend names the states of the year, each in its tint.
 *
 *   atlas.kindShown(kind)        whether a kind is shown
 *   atlas.showKind(kind, on)     show or hide a kind, as its checkbox does
 */
(function () {
  "use strict";

  var atlas = (window.atlas = window.atlas || {});
  var map = null;
  var hidden = {}; // kind -> true while hidden
  var boxes = {}; // kind -> its checkbox
  var HASH = /(^#|&)hide=([^&]*)/;

  function fromAddress() {
    var match = window.location.hash.match(HASH);
    var out = {};
    if (match) {
      decodeURIComponent(match[2]).split(",").forEach(function (kind) {
        if (kind) out[kind] = true;
      });
    }
    return out;
  }

  function hash() {
    var kinds = Object.keys(hidden).filter(function (k) { return hidden[k]; }).sort();
    var rest = window.location.hash.replace(/^#/, "").split("&").filter(function (part) {
      return part && part.indexOf("hide=") !== 0;
    });
    if (kinds.length) rest.push("hide=" + kinds.join(","));
    return rest.length ? "#" + rest.join("&") : "";
  }

  // The address keeps the hidden kinds; nothing is added to the history.
  function remember() {
    var url = window.location.pathname + window.location.search + hash();
    if (window.location.protocol === "file:") {
      window.location.replace(hash() || "#");
    } else {
      history.replaceState(history.state, "", url);
    }
    keepInLanguageLinks();
  }

  // The language switch comes back to this page as it is: the year shown and the layers.
  function keepInLanguageLinks() {
    document.querySelectorAll(".language-switch a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      var at = href.indexOf("?");
      var here = window.location.pathname + window.location.search + window.location.hash;
      a.setAttribute("href", (at < 0 ? href : href.slice(0, at)) + "?next=" + encodeURIComponent(here));
    });
  }

  atlas.kindShown = function (kind) {
    return !hidden[kind];
  };

  atlas.showKind = function (kind, on) {
    if (on) delete hidden[kind];
    else hidden[kind] = true;
    var pane = map && map.getPane("atlas-kind-" + kind);
    if (pane) pane.style.display = on ? "" : "none";
    if (boxes[kind]) {
      boxes[kind].checked = on;
      var item = boxes[kind].closest("li");
      if (item) item.classList.toggle("atlas-legend-off", !on);
    }
    if (map) {
      if (!on) map.closePopup();
      map.fire("atlas:kinds");
    }
  };

  function toggle(legend, open) {
    var button = legend.querySelector(".atlas-legend-toggle");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    legend.classList.toggle("is-folded", !open);
    if (map) map.fire("atlas:kinds"); // the names keep clear of the legend, folded or not
  }

  // The legend's title becomes the button that folds it.
  function foldable(legend, folded) {
    var title = legend.querySelector(".atlas-legend-title");
    if (!title || legend.querySelector(".atlas-legend-toggle")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-legend-toggle";
    button.textContent = title.textContent;
    title.textContent = "";
    title.appendChild(button);
    var list = legend.querySelector("ul");
    if (list) {
      list.id = list.id || "atlas-legend-list";
      button.setAttribute("aria-controls", list.id);
    }
    button.addEventListener("click", function () {
      toggle(legend, button.getAttribute("aria-expanded") !== "true");
    });
    toggle(legend, !folded);
  }

  // A checkbox in front of each kind's entry, the entry its label.
  function switches(legend, kinds, text) {
    kinds.forEach(function (kind) {
      var li = legend.querySelector("li.atlas-legend-" + kind);
      if (!li || boxes[kind]) return;
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !hidden[kind];
      box.className = "atlas-switch";
      box.setAttribute("data-kind", kind);
      label.appendChild(box);
      while (li.firstChild) label.appendChild(li.firstChild);
      li.appendChild(label);
      box.addEventListener("change", function () {
        atlas.showKind(kind, box.checked);
        remember();
      });
      boxes[kind] = box;
    });
    if (text.switches) {
      legend.setAttribute("role", "group");
      legend.setAttribute("aria-label", text.switches);
    }
  }

  // Under the states' entry, the states of the year, each in its tint.
  function stateKeys(legend) {
    var shown = atlas.shownFeatures ? atlas.shownFeatures() : [];
    legend.querySelectorAll("li[data-backdrop]").forEach(function (li) {
      var states = shown.filter(function (f) {
        return f.props.kind === li.getAttribute("data-kind") && f.state === "visible";
      });
      var list = li.querySelector(".atlas-legend-states") || L.DomUtil.create("ul", "atlas-legend-states", li);
      // The same states as the year before: the list stays as it is.
      var names = states.map(function (f) { return f.props.slug; }).join(" ");
      if (list.getAttribute("data-states") === names) return;
      list.setAttribute("data-states", names);
      list.textContent = "";
      states.forEach(function (f) {
        var item = L.DomUtil.create("li", "", list);
        var swatch = L.DomUtil.create("span", "swatch swatch-state", item);
        swatch.style.background = f.props.fill || "";
        L.DomUtil.create("span", "", item).textContent = f.name;
      });
    });
  }

  // Keys pressed on the legend's controls are theirs: Space ticks a box rather than stepping
  // the presentation, an arrow does not move the map or the year.
  function keepKeys(legend) {
    legend.addEventListener("keydown", function (event) {
      var own = [" ", "Spacebar", "Enter", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];
      if (own.indexOf(event.key) >= 0) event.stopPropagation();
    });
  }

  atlas.addLayerSwitches = function (m, data) {
    map = m;
    var legend = map.getContainer().querySelector(".atlas-legend");
    if (!legend) return;
    // The kinds and their styles (atlas/kinds.py), the words: the page's data files.
    var shared = window.atlasData || {};
    var styles = (shared.features || {}).styles || {};
    var kinds = Object.keys(styles);
    kinds.forEach(function (kind) {
      var li = legend.querySelector(".atlas-legend-" + kind);
      if (!li) return;
      li.setAttribute("data-kind", kind);
      if (styles[kind].backdrop) li.setAttribute("data-backdrop", "");
    });
    hidden = {};
    var wanted = fromAddress();
    switches(legend, kinds, (shared.words || {}).text || {});
    keepKeys(legend);
    // Folded at first on a small map (a phone, a place's page, a narrow frame), or wherever the
    // open legend would cover more than a sixth of the map.
    var size = map.getSize();
    var small = size.x < 600 || size.y < 450;
    var covers = legend.offsetWidth * legend.offsetHeight > (size.x * size.y) / 6;
    foldable(legend, data.folded || small || covers);
    Object.keys(wanted).forEach(function (kind) {
      if (boxes[kind]) atlas.showKind(kind, false);
    });
    stateKeys(legend);
    map.on("atlas:year", function () { stateKeys(legend); });
    // A feature opened by search or a link is shown, whatever its kind's switch said.
    map.on("popupopen", function (event) {
      var article = event.popup.getElement().querySelector(".popup");
      var slug = article && article.getAttribute("data-slug");
      (atlas.shownFeatures ? atlas.shownFeatures() : []).forEach(function (f) {
        if (f.props.slug === slug && hidden[f.props.kind]) {
          atlas.showKind(f.props.kind, true);
          remember();
        }
      });
    });
    window.addEventListener("hashchange", function () {
      var now = fromAddress();
      Object.keys(boxes).forEach(function (kind) { atlas.showKind(kind, !now[kind]); });
    });
    keepInLanguageLinks();
  };
})();
