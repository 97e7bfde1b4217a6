"""A reader opens the map of 1858 in Chromium and clicks Shanghai."""

import base64
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import wait_for

pytestmark = pytest.mark.browser
BASE = Path(settings.ATLAS_GEODATA_DIR) / "base"


def open_map(page, path: str) -> None:
    page.goto(page.base_url + path)
    wait_for(page, "window.atlas && window.atlas.map !== null")


def test_clicking_shanghai_shows_its_treaty_basis(page):
    open_map(page, "/map/1858/")
    page.locator("path.atlas-feature-shanghai").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Shanghai" in text
    assert "Treaty of Tianjin" in text and "art. 3" in text
    assert "13 June 1858 N.S. (1 June O.S.)" in text
    assert "Шанхай" in text  # the essay's own words
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


def test_window_atlas_exposes_the_public_contract(page):
    open_map(page, "/map/1857/")
    assert page.evaluate("window.atlas.year") == 1857
    visible = set(page.evaluate("window.atlas.visibleFeatures()"))
    assert "kyakhta" in visible and "shanghai" not in visible
    assert page.evaluate("window.atlas.openFeature('shanghai')") is False
    assert page.evaluate("window.atlas.openFeature('kyakhta')") is True
    page.locator(".leaflet-popup-content").wait_for()
    assert "Kyakhta" in page.locator(".leaflet-popup-content").inner_text()


EARLY = """
document.addEventListener("DOMContentLoaded", () => {
  // Before the map is drawn: no map yet, and a year asked for now is shown once it is.
  window.early = {map: window.atlas.map, asked: window.atlas.setYear(1861), drawn: []};
  window.atlas.whenDrawn(() => window.early.drawn.push([window.atlas.year, !!window.atlas.map]));
});
"""


def test_the_map_is_drawn_after_the_page_and_takes_what_was_asked_before(page):
    page.add_init_script(EARLY)
    open_map(page, "/map/1858/")
    wait_for(page, "window.atlas.year === 1861")
    early = page.evaluate("window.early")
    # Once the map was drawn, what waited ran once each, in turn: the year asked for, then
    # the callback, which found the map and that year.
    assert early == {"map": None, "asked": True, "drawn": [[1861, True]]}
    assert "vladivostok" in page.evaluate("window.atlas.visibleFeatures()")
    # A callback given once the map is drawn runs at once.
    at_once = "(() => { let ran = false; atlas.whenDrawn(() => { ran = true; }); return ran; })()"
    assert page.evaluate(at_once) is True


SHIFTS = """
window.shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts.push(entry.value);
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 720), (1920, 1080)])
def test_nothing_on_the_page_moves_while_the_map_is_drawn(browser, atlas_server, width, height):
    # The legend folds (on a phone, or where it would cover a sixth of the map) before it is
    # first painted, and the map is drawn inside its own box.
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.add_init_script(SHIFTS)
    page.goto(atlas_server.url + "/map/1860/")
    wait_for(page, "window.atlas && window.atlas.drawnAt")
    page.wait_for_timeout(500)
    assert sum(page.evaluate("window.shifts")) < 0.01
    context.close()


def test_permalink_opens_the_features_popup(page):
    open_map(page, "/map/1858/?feature=ningbo")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Ningbo" in popup.inner_text()


def test_set_year_moves_to_that_years_map(page):
    open_map(page, "/map/1857/")
    page.evaluate("window.atlas.setYear(1858)")
    page.wait_for_url("**/map/1858/")
    wait_for(page, "window.atlas && window.atlas.year === 1858")
    assert "shanghai" in page.evaluate("window.atlas.visibleFeatures()")


def test_the_base_map_loads_its_detailed_tiles_only_when_zoomed_in(page):
    """At zoom 4 the coarse level alone; at zoom 7 over Vladivostok the tiles in view are asked
    for once, drawn, and take the coarse land's and sea's place; back at 4, the coarse level."""
    tiles = []
    page.on("request", lambda r: "/data/tile" in r.url and tiles.append(r.url))
    open_map(page, "/map/1860/")
    assert page.evaluate("atlas.map.getZoom()") == 4
    assert page.evaluate("atlas.baseTiles()") == {"level": "coarse", "requested": [], "drawn": []}
    assert tiles == []
    coarse_sea = page.locator(".leaflet-atlas-sea-pane path").count()
    assert coarse_sea == len(json.loads((BASE / "sea.geojson").read_text())["features"])
    page.evaluate("atlas.map.setView([43.1, 131.9], 7, {animate: false})")
    wait_for(page, "atlas.baseTiles().level === 'detailed'")
    state = page.evaluate("atlas.baseTiles()")
    assert {"e128n40", "e132n40"} <= set(state["drawn"])
    assert sorted(state["drawn"]) == sorted(state["requested"])
    # The index, then one request a tile in view, each its own file, all with the level's
    # one digest.
    assert "/data/tiles." in tiles[0]
    assert len(tiles) == 1 + len(state["requested"]) and len(set(tiles)) == len(tiles)
    asked = [re.fullmatch(r".*/data/tile\.(e\d+[ns]\d+)\.([0-9a-f]{16})\.js", t) for t in tiles[1:]]
    assert sorted(m[1] for m in asked) == sorted(state["requested"])
    assert len({m[2] for m in asked}) == 1
    assert len(state["requested"]) <= 8
    # Drawn: the cells' land under the states, the sea (one shape) over them, and the coast;
    # the coarse sea's pieces are gone.
    assert page.locator(".leaflet-atlas-sea-pane path").count() == 1
    assert page.locator(".leaflet-atlas-coast-pane path").count() >= 2
    page.evaluate("atlas.map.setView([43.1, 131.9], 4, {animate: false})")
    wait_for(page, "atlas.baseTiles().level === 'coarse'")
    assert page.locator(".leaflet-atlas-sea-pane path").count() == coarse_sea
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


PIXELS = """async (png) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  return Array.from(context.getImageData(0, 0, img.width, img.height).data);
}"""


@pytest.mark.parametrize("zoom", [3, 4, 5])
def test_the_coarse_seas_pieces_meet_without_a_seam(browser, atlas_server, zoom):
    """The coarse sea is drawn in pieces, one to a cell of 10°: where a cell that holds land
    (140–150° E, 30–40° N, with Honshu's coast) meets the open sea at 150° E, every pixel
    around the cells' edge is the sea's colour, with no hairline of the land under it. On a
    screen of 1.5 device pixels to the CSS pixel, where an edge falls inside a pixel."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 720}, device_scale_factor=1.5, bypass_csp=True
    )
    page = context.new_page()
    page.goto(atlas_server.url + "/map/1860/")
    wait_for(page, "window.atlas && atlas.drawnAt")
    page.evaluate(f"atlas.map.setView([35, 150], {zoom}, {{animate: false}})")
    # The edge one CSS pixel off the centre: half a device pixel.
    page.evaluate("atlas.map.panBy([1, 0], {animate: false})")
    page.wait_for_timeout(300)
    x, y = page.evaluate(
        "(() => { const p = atlas.map.latLngToContainerPoint([35, 150]);"
        " const r = atlas.map.getContainer().getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; })()"
    )
    png = page.screenshot(clip={"x": x - 8, "y": y - 40, "width": 16, "height": 80})
    data = page.context.new_page().evaluate(PIXELS, base64.b64encode(png).decode())
    context.close()
    sea = (0xCF, 0xE0, 0xEA)
    off = [
        tuple(data[i : i + 3])
        for i in range(0, len(data), 4)
        if max(abs(data[i + c] - sea[c]) for c in range(3)) > 6
    ]
    assert len(data) == 24 * 120 * 4  # 16 × 80 CSS pixels, 1.5 device pixels each
    assert off == [], off[:5]
