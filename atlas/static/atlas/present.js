/*
 * Presentation mode: steps through the story of geodata/story.json on the atlas map.
 * Keys: PageDown, →, Space (next); PageUp, ← (previous); Home, End; F (full screen) — a
 * presenter's clicker sends PageDown/PageUp. The address keeps the step (?step=N). It starts
 * once atlas.js has drawn the map (atlas.whenDrawn), which the server has set to the step asked.
 */
(function () {
  "use strict";

  var atlas = window.atlas;
  var data = document.getElementById("story-data");
  var steps = data ? JSON.parse(data.textContent) : [];
  var current = 0;

  function $(selector) { return document.querySelector(selector); }

  function setText(selector, text) {
    var el = $(selector);
    if (el) el.textContent = text;
  }

  // The step the server rendered: its year and its view are the map's first (views.present).
  var rendered = parseInt(($(".present-number") || {}).textContent, 10);

  function show(number, first) {
    if (!steps.length || !atlas.map) return false; // a key pressed before the map is drawn
    var n = Math.min(Math.max(number, 1), steps.length);
    var step = steps[n - 1];
    current = n;
    atlas.setYear(step.year, { history: false });
    var b = step.bounds; // [[lon_min, lat_min], [lon_max, lat_max]]
    // A view set again is drawn again: the first step's is the map's own already.
    if (!(first && n === rendered)) {
      atlas.map.fitBounds([[b[0][1], b[0][0]], [b[1][1], b[1][0]]], { animate: false });
    }
    atlas.highlight(step.features);
    setText(".present-number", String(n));
    setText(".present-year", String(step.year));
    // The server has put each text in the reader's language (step.display).
    setText(".present-title", step.display.title);
    setText(".present-quote", "«" + step.essay_ru + "»");
    // Readers of the essay's language read its own words; others get the translation too.
    var translation = $(".present-translation");
    if (translation) {
      translation.textContent = step.display.caption;
      translation.hidden = !step.display.caption;
    }
    var note = $(".present-note");
    if (note) {
      note.textContent = step.display.note;
      note.hidden = !step.display.note;
    }
    $(".present-prev").disabled = n === 1;
    $(".present-next").disabled = n === steps.length;
    if (window.location.protocol !== "file:") {
      history.replaceState({ step: n }, "", "?step=" + n + window.location.hash);
    }
    document.body.setAttribute("data-step", String(n));
    var caption = $(".present-caption");
    if (caption) caption.scrollTop = 0;
    fitText();
    return true;
  }

  // The text's size follows the screen (atlas.css); a step longer than the screen is set a
  // little smaller, down to 24 px on a projector, and only then scrolls inside its own area,
  // which can take the focus (and the arrow keys) as well as a finger or a mouse wheel.
  function fitText() {
    var present = $(".present");
    var caption = $(".present-caption");
    if (!present || !caption) return;
    present.style.removeProperty("--present-text");
    var size = parseFloat(getComputedStyle(caption).fontSize);
    var floor = window.innerWidth >= 1000 && window.innerHeight >= 700 ? 24 : 15;
    while (caption.scrollHeight > caption.clientHeight + 1 && size > floor) {
      size -= 1;
      present.style.setProperty("--present-text", size + "px");
    }
    if (caption.scrollHeight > caption.clientHeight + 1) caption.setAttribute("tabindex", "0");
    else caption.removeAttribute("tabindex");
  }
  window.addEventListener("resize", fitText);

  function toggleFullscreen() {
    var button = $(".present-fullscreen");
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
    if (button) button.setAttribute("aria-pressed", document.fullscreenElement ? "false" : "true");
  }

  document.addEventListener("fullscreenchange", function () {
    var button = $(".present-fullscreen");
    if (button) button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
    if (atlas.map) atlas.map.invalidateSize();
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // The arrows move the map, or scroll a long step's text, when that has the focus.
    var own = event.target.closest && event.target.closest(".leaflet-container, .present-caption");
    if (own && /^Arrow/.test(event.key)) return;
    var keys = {
      PageDown: 1, ArrowRight: 1, " ": 1, Spacebar: 1,
      PageUp: -1, ArrowLeft: -1,
    };
    if (event.key in keys) show(current + keys[event.key]);
    else if (event.key === "Home") show(1);
    else if (event.key === "End") show(steps.length);
    else if (event.key === "f" || event.key === "F") toggleFullscreen();
    else return;
    event.preventDefault();
  });

  $(".present-prev").addEventListener("click", function () { show(current - 1); });
  $(".present-next").addEventListener("click", function () { show(current + 1); });
  $(".present-fullscreen").addEventListener("click", toggleFullscreen);

  // The story starts once atlas.js has drawn the map.
  var asked = parseInt(new URLSearchParams(window.location.search).get("step") || "1", 10);
  atlas.whenDrawn(function () {
    show(isFinite(asked) ? asked : 1, true);
    atlas.present = { show: show, step: function () { return current; }, count: steps.length };
  });
})();
