/* Treaty Atlas: the map for every screen and every input — keyboard, screen reader, touch.
 *
 * Loaded with `defer` after atlas.js on every page with a map; it starts once atlas.js has
 * drawn the map (atlas.whenDrawn). It works through window.atlas and Leaflet's events, and
 * leaves the drawing to atlas.js:
 *   - each feature on the map is a tab stop named as atlas.describe() names it ("Shanghai,
 *     port open to Russian ships"); Enter or Space opens its popup;
 *   - a popup the reader opens takes the focus; Escape closes it from anywhere on the page,
 *     and the focus goes back to what opened it;
 *   - popups fit the map, close button included, and the legend and the scale bar step aside
 *     while one is open;
 *   - each year is announced in one short, polite sentence ("1860: 7 new, 1 ended");
 *   - the language switch keeps the year and the open feature.
 * Its words are the page's own (#atlas-status, rendered in the page's language).
 */
(function () {
  "use strict";

  var atlas = window.atlas;
  if (!atlas || !atlas.whenDrawn) return;
  var map = null; // the page's map, once atlas.js has drawn it
  var container = null;
  var status = document.getElementById("atlas-status");
  var words = status ? status.dataset : {};
  var layers = {}; // slug -> the Leaflet layer drawn for it
  var openPopup = null;
  var opening = null; // the element the reader opens a popup from, while it opens

  // A small map (a phone, a place's page, a narrow frame) folds its legend, and hides its zoom
  // buttons while a popup is open, so that the popup can have all of it.
  function isSmall() {
    var size = map.getSize();
    return size.x < 600 || size.y < 450;
  }

  function slugOf(layer) {
    var p = layer && layer.feature && layer.feature.properties;
    return p ? p.slug : null;
  }

  function elementOf(slug) {
    var layer = slug && layers[slug];
    var el = layer && layer.getElement && layer.getElement();
    return el && document.contains(el) ? el : null;
  }

  /* --- Features as tab stops ------------------------------------------------------------ */

  function markFeature(layer) {
    var slug = slugOf(layer);
    var el = slug && layer.options.interactive !== false && layer.getElement && layer.getElement();
    if (!el) return;
    layers[slug] = layer;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", atlas.describe(slug) || slug);
    el.setAttribute("data-slug", slug);
  }

  // Tabbing to a feature out of sight brings it into view (Leaflet undoes the browser's own
  // scrolling of the map).
  function showFocused(event) {
    var layer = layers[event.target.getAttribute("data-slug")];
    if (!layer) return;
    if (layer.getLatLng) {
      map.panInside(layer.getLatLng(), { padding: [40, 40] });
    } else if (!map.getBounds().intersects(layer.getBounds())) {
      map.panTo(layer.getBounds().getCenter());
    }
  }

  function openFromKeyboard(event) {
    var slug = event.target.getAttribute && event.target.getAttribute("data-slug");
    if (!slug || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    opening = event.target;
    atlas.openFeature(slug);
    opening = null;
  }

  /* --- Popups: they fit, they take the focus, Escape closes them ------------------------- */

  function fitPopup(popup) {
    if (!popup) return;
    var size = map.getSize();
    var o = popup.options;
    var small = isSmall();
    // Clear of the zoom buttons at the top left (hidden on a small map) and of the
    // attribution at the bottom right.
    o.autoPanPaddingTopLeft = L.point(small ? 8 : 56, 8);
    o.autoPanPaddingBottomRight = L.point(8, 24);
    // The content's margins, the wrapper and the popup's offset from its place: 32 px across,
    // 48 px down.
    o.maxWidth = Math.max(160, Math.min(380, size.x - o.autoPanPaddingTopLeft.x - 8 - 32));
    o.minWidth = Math.min(260, o.maxWidth);
    o.maxHeight = Math.max(120, Math.min(420, size.y - 8 - 24 - 48));
  }

  function fitPopups() {
    map.eachLayer(function (layer) {
      if (layer.getPopup) fitPopup(layer.getPopup());
    });
    if (openPopup) openPopup.update();
  }

  function onPopupOpen(event) {
    var popup = event.popup;
    var el = popup.getElement();
    openPopup = popup;
    container.classList.add("atlas-popup-open");
    container.classList.toggle("atlas-small-map", isSmall());
    // A dialog named as its heading (its content is rendered again when the popup is
    // updated, so the name is copied rather than referred to), which can take the focus.
    var heading = el.querySelector(".popup-name");
    if (heading) el.setAttribute("aria-label", heading.textContent.replace(/\s+/g, " ").trim());
    el.setAttribute("role", "dialog");
    el.setAttribute("tabindex", "-1");
    var close = el.querySelector(".leaflet-popup-close-button");
    if (close && words.close) close.setAttribute("aria-label", words.close);
    popup.atlasOpener = opening;
    if (opening) el.focus({ preventScroll: true });
    updateLanguageLinks();
  }

  function onPopupClose(event) {
    var popup = event.popup;
    var el = popup.getElement();
    var back = popup.atlasOpener;
    popup.atlasOpener = null;
    if (openPopup === popup) openPopup = null;
    container.classList.remove("atlas-popup-open");
    updateLanguageLinks();
    // The focus goes back only if it was in the popup (or went with it).
    var active = document.activeElement;
    if (active && active !== document.body && !(el && el.contains(active))) return;
    if (!back || !document.contains(back)) {
      var article = el && el.querySelector(".popup");
      back = elementOf(article && article.getAttribute("data-slug")) || container;
    }
    back.focus({ preventScroll: true });
  }

  // A link or a feature that opens a popup when clicked: the popup will take the focus.
  function noteOpener(event) {
    var target = event.target.closest && event.target.closest("[data-feature], [data-slug]");
    if (!target || (openPopup && openPopup.getElement().contains(target))) return;
    opening = target;
    setTimeout(function () { opening = null; }, 0);
  }

  function closeOnEscape(event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    if (!openPopup) return;
    event.preventDefault();
    map.closePopup();
  }

  /* --- What is said, and where the language switch goes back to -------------------------- */

  function announceYear(event) {
    var year = event.year;
    var panel = document.querySelector('.year-panel[data-year="' + year + '"]');
    if (status && panel && words.yearSummary) {
      status.textContent = words.yearSummary
        .replace("{year}", year)
        .replace("{new}", panel.querySelectorAll(".new-list > li:not(.print-more)").length)
        .replace("{ended}", panel.querySelectorAll(".ended-list > li:not(.print-more)").length);
    }
    // The address follows the year once atlas.js has moved it ("atlas:address"); going back
    // in the history moves it first.
    setTimeout(updateLanguageLinks, 0);
  }

  function updateLanguageLinks() {
    var links = document.querySelectorAll(".language-switch a[href]");
    if (!links.length) return;
    var article = openPopup && openPopup.getElement().querySelector(".popup");
    var slug = article && article.getAttribute("data-slug");
    var next = window.location.pathname + (slug ? "?feature=" + encodeURIComponent(slug) : "");
    links.forEach(function (a) {
      var url = new URL(a.getAttribute("href"), window.location.href);
      url.searchParams.set("next", next);
      a.setAttribute("href", url.pathname + url.search);
    });
  }

  /* --- Start, once the map is drawn -------------------------------------------------------- */

  atlas.whenDrawn(function () {
    map = atlas.map;
    container = map.getContainer();
    start();
  });

  function start() {
    map.eachLayer(function (layer) {
      markFeature(layer);
      if (layer.getPopup) fitPopup(layer.getPopup());
    });
    map.on("layeradd", function (event) {
      markFeature(event.layer);
      if (event.layer.getPopup) fitPopup(event.layer.getPopup());
    });
    map.on("resize", fitPopups);
    map.on("popupopen", onPopupOpen);
    map.on("popupclose", onPopupClose);
    container.addEventListener("keydown", openFromKeyboard);
    container.addEventListener("focusin", showFocused);
    document.addEventListener("click", noteOpener, true);
    document.addEventListener("keydown", closeOnEscape);
    map.on("atlas:year", announceYear);
    map.on("atlas:address", updateLanguageLinks);
    // A popup already open (?feature=) fits the map as the others do.
    map.eachLayer(function (layer) {
      if (layer instanceof L.Popup) {
        openPopup = layer;
        fitPopup(layer);
        onPopupOpen({ popup: layer });
        layer.update();
      }
    });
  }
})();
