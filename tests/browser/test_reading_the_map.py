"""Reading the map as a pupil does: which empire holds each place in each year, the names of
the empires, regions, seas, lakes and treaty rivers in both languages, names that never overlap
at any zoom, and the legend's switches."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import wait_for

pytestmark = pytest.mark.browser

PLACES = {
    f["id"]: f["geometry"]["coordinates"]
    for f in json.loads((Path(settings.ATLAS_GEODATA_DIR) / "places.geojson").read_text())[
        "features"
    ]
}


def open_map(page, path: str) -> None:
    page.goto(page.base_url + path)
    wait_for(page, "window.atlas && window.atlas.map && window.atlas.placedLabels")


def view(page, lat: float, lon: float, zoom: int) -> None:
    page.evaluate(f"window.atlas.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    # The names are placed on the next frame after the map moves.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


STATE_AT = """([lat, lon]) => {
  const map = window.atlas.map;
  const p = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  const hits = document.elementsFromPoint(box.left + p.x, box.top + p.y);
  const state = hits.find(e => e.classList && e.classList.contains('atlas-kind-state'));
  if (!state) return null;
  const slug = Array.from(state.classList).find(c => c.startsWith('atlas-feature-'));
  return slug.replace('atlas-feature-', '');
}"""


@pytest.mark.parametrize(
    "place, year, state",
    [
        ("beijing", 1857, "qing-empire"),
        ("beijing", 1859, "qing-empire"),
        ("urga", 1857, "qing-empire"),
        ("urga", 1859, "qing-empire"),
        ("irkutsk", 1857, "russian-empire"),
        ("irkutsk", 1859, "russian-empire"),
        ("kyakhta", 1857, "russian-empire"),
        ("kyakhta", 1859, "russian-empire"),
        ("blagoveshchensk", 1857, "qing-empire"),
        ("blagoveshchensk", 1859, "russian-empire"),
        ("vladivostok", 1861, "russian-empire"),
    ],
)
def test_the_states_hold_the_right_places_in_the_right_years(page, place, year, state):
    open_map(page, f"/map/{year}/")
    lon, lat = PLACES[place]
    view(page, lat, lon, 6)
    held = page.evaluate(STATE_AT, [lat, lon])
    assert held and held.startswith(state), (place, year, held)
    # The state's tint is what the reader sees there: its path is drawn, not faded out.
    path = page.locator(f"path.atlas-feature-{held}")
    assert path.evaluate("e => getComputedStyle(e).display") != "none"
    assert held in page.evaluate("window.atlas.visibleFeatures()")


def test_the_ussuri_lands_were_no_ones_alone_while_held_in_common(page):
    open_map(page, "/map/1859/")
    lon, lat = PLACES["vladivostok"]
    view(page, lat, lon, 6)
    assert page.evaluate(STATE_AT, [lat, lon]) is None
    page.evaluate("window.atlas.setYear(1860)")
    assert page.evaluate(STATE_AT, [lat, lon]).startswith("russian-empire")


def test_a_states_popup_gives_its_area_that_year(page):
    open_map(page, "/map/1857/")
    assert page.evaluate("window.atlas.openFeature('russian-empire-1727')") is True
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Russian Empire" in text and "Area" in text and "km²" in text
    page.evaluate("window.atlas.setYear(1860)")
    page.evaluate("window.atlas.openFeature('russian-empire-1860')")
    page.locator(".leaflet-popup-content", has_text="Treaty of Peking").wait_for()


SHOWN_NAMES = """() => Array
  .from(document.querySelectorAll('.leaflet-atlas-labels-pane .atlas-label'))
  .filter(e => e.style.display !== 'none' && e.style.visibility !== 'hidden')
  .map(e => e.querySelector('.atlas-label-text').textContent)"""

# Views that between them show every name: (lat, lon, zoom).
VIEWS = [
    (45.0, 118.0, 4),
    (50.0, 143.0, 5),  # Sakhalin, the Sea of Okhotsk
    (53.0, 107.5, 5),  # Baikal
    (29.5, 124.0, 5),  # the East China Sea
    (52.6, 120.5, 6),  # the Argun and the Shilka
    (51.5, 127.5, 6),  # the Zeya
    (46.8, 131.0, 6),  # the Sungari and the Ussuri
    (45.2, 132.5, 7),  # Lake Khanka
    (45.3, 133.1, 8),  # the Sungacha
    (42.7, 130.2, 7),  # the Tumen
]
NAMES = {
    "en": [
        "Russian Empire", "Qing empire", "Mongolia", "Manchuria", "Korea", "Japan", "Sakhalin",
        "Amur", "Argun", "Shilka", "Zeya", "Sungari", "Ussuri", "Sungacha", "Tumen",
        "Lake Khanka", "Lake Baikal",
        "Sea of Japan", "Sea of Okhotsk", "Yellow Sea", "East China Sea",
    ],
    "ru": [
        "Российская империя", "Цинская империя", "Монголия", "Маньчжурия", "Корея", "Япония",
        "Сахалин", "Амур", "Аргунь", "Шилка", "Зея", "Сунгари", "Уссури", "Сунгача", "Туманная",
        "Ханка", "Байкал",
        "Японское море", "Охотское море", "Жёлтое море", "Восточно-Китайское море",
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_names_appear_in_the_readers_language(page, lang):
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.base_url}])
    open_map(page, "/map/1860/")
    seen: set[str] = set()
    for lat, lon, zoom in VIEWS:
        view(page, lat, lon, zoom)
        seen |= set(page.evaluate(SHOWN_NAMES))
    missing = [name for name in NAMES[lang] if name not in seen]
    assert missing == [], missing
    # The treaty rivers are drawn as rivers, and named when the pointer is on them.
    assert page.locator("path.atlas-river-sungacha").count() == 1
    assert page.watch.errors == []


LABEL_BOXES = """() => {
  const map = window.atlas.map.getContainer().getBoundingClientRect();
  const boxes = Array.from(document.querySelectorAll('.leaflet-atlas-labels-pane .atlas-label'))
    .filter(e => e.style.display !== 'none' && e.style.visibility !== 'hidden'
                 && !e.classList.contains('atlas-label-hover'))
    .map(e => { const r = e.getBoundingClientRect();
                return {text: e.textContent, x: r.left, y: r.top, r: r.right, b: r.bottom}; });
  return {map: {x: map.left, y: map.top, r: map.right, b: map.bottom}, boxes};
}"""


def assert_no_overlap(page, where: str) -> int:
    found = page.evaluate(LABEL_BOXES)
    boxes, frame = found["boxes"], found["map"]
    for i, a in enumerate(boxes):
        assert frame["x"] <= a["x"] and a["r"] <= frame["r"], (where, a)  # nothing runs off
        assert frame["y"] <= a["y"] and a["b"] <= frame["b"], (where, a)
        for b in boxes[i + 1 :]:
            apart = a["r"] <= b["x"] or b["r"] <= a["x"] or a["b"] <= b["y"] or b["b"] <= a["y"]
            assert apart, (where, a["text"], b["text"])
    return len(boxes)


@pytest.mark.parametrize("year", [1857, 1860, 1862])
def test_no_two_names_overlap_at_any_zoom(page, year):
    open_map(page, f"/map/{year}/")
    centres = [(41.0, 118.0), (39.5, 117.0), (30.5, 121.0), (48.0, 128.0), (44.0, 131.0)]
    shown: dict[int, int] = {}  # zoom -> names checked
    for lat, lon in centres:
        for zoom in range(4, 9):
            view(page, lat, lon, zoom)
            actual = page.evaluate("window.atlas.map.getZoom()")
            count = assert_no_overlap(page, f"{year} {lat},{lon} z{zoom}")
            shown[actual] = shown.get(actual, 0) + count
    assert set(shown) == {4, 5, 6, 7, 8} and all(shown.values()), shown


def test_no_two_names_overlap_on_a_phone_at_zoom_3(browser, atlas_server):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(atlas_server.url + "/map/1860/")
    wait_for(page, "window.atlas && window.atlas.map && window.atlas.placedLabels")
    for lat, lon, zoom in [(45.0, 118.0, 3), (45.0, 118.0, 4), (31.0, 121.5, 6)]:
        view(page, lat, lon, zoom)
        assert page.evaluate("window.atlas.map.getZoom()") == zoom
        assert assert_no_overlap(page, f"phone z{zoom}") > 0
    context.close()


def test_crowded_places_keep_apart_and_long_names_wrap_inside_the_map(page):
    open_map(page, "/map/1860/")
    view(page, 30.6, 121.5, 7)  # Shanghai and Ningbo
    assert_no_overlap(page, "Shanghai and Ningbo")
    placed = {b["key"] for b in page.evaluate("window.atlas.placedLabels()")}
    assert "feature-shanghai" in placed
    view(page, 39.1, 117.5, 8)  # Tianjin and the Dagu forts
    assert_no_overlap(page, "Tianjin and Dagu")
    lon, lat = PLACES["beijing-mission"]
    view(page, lat, lon, 8)
    assert_no_overlap(page, "the Mission at zoom 8")
    mission = page.locator(
        ".leaflet-atlas-labels-pane .atlas-label", has_text="Russian Ecclesiastical Mission"
    )
    box = mission.bounding_box()
    assert box and box["height"] > 30  # two lines or more: wrapped
    view(page, lat, lon + 2.4, 8)  # the Mission at the map's left edge: no name runs off it
    assert_no_overlap(page, "the Mission at the left edge")


def test_a_name_left_out_shows_on_hover(browser, atlas_server):
    # A phone's screen at zoom 4: more places than room for their names.
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(atlas_server.url + "/map/1860/")
    wait_for(page, "window.atlas && window.atlas.map && window.atlas.placedLabels")
    view(page, 41.0, 118.0, 4)
    dropped = page.evaluate("window.atlas.droppedLabels()")
    assert dropped, "no name was left out"
    slug = dropped[0]
    placed = {b["key"] for b in page.evaluate("window.atlas.placedLabels()")}
    assert f"feature-{slug}" not in placed
    page.locator(f"path.atlas-feature-{slug}").hover(force=True)
    hover = page.locator(".atlas-label-hover")
    hover.wait_for()
    name = page.evaluate(f"window.atlas.shownFeatures().find(f => f.props.slug === '{slug}').name")
    assert hover.inner_text().startswith(name)
    page.mouse.move(5, 5)
    assert page.locator(".atlas-label-hover").count() == 0
    context.close()


def is_shown(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(
        "e => getComputedStyle(e.closest('.leaflet-pane')).display !== 'none'"
    )


def open_legend(page):
    """Where the open legend would cover much of the map it starts folded: its title opens it."""
    toggle = page.locator(".atlas-legend-toggle")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"


def test_the_legend_switches_hide_and_show_their_layers(page):
    open_map(page, "/map/1862/")
    open_legend(page)
    route = "path.atlas-kind-route"
    switch = page.locator('.atlas-legend input[data-kind="route"]')
    assert switch.is_checked() and is_shown(page, route)
    switch.click()  # by mouse
    assert not switch.is_checked() and not is_shown(page, route)
    assert "hide=route" in page.url
    # By keyboard: Space on the focused checkbox.
    zone = page.locator('.atlas-legend input[data-kind="trade_zone"]')
    zone.focus()
    page.keyboard.press("Space")
    assert not is_shown(page, "path.atlas-kind-trade_zone")
    assert "trade_zone" in page.url and page.evaluate("window.atlas.year") == 1862
    # A kind's names go with it.
    ports = page.locator('.atlas-legend input[data-kind="treaty_port"]')
    ports.click()
    placed = {b["key"] for b in page.evaluate("window.atlas.placedLabels()")}
    assert "feature-shanghai" not in placed
    ports.click()
    # The address keeps the switches across years and a reload.
    page.evaluate("window.atlas.setYear(1861)")
    page.wait_for_url("**/map/1861/#hide=route,trade_zone")  # once the year is painted
    page.reload()
    wait_for(page, "window.atlas && window.atlas.map && window.atlas.placedLabels")
    assert not switch.is_checked() and not is_shown(page, route)
    open_legend(page)
    switch.click()
    assert is_shown(page, route) and "route" not in page.url
    assert page.watch.errors == []


def test_the_legend_folds_and_switches_in_the_presentation(page):
    page.goto(page.base_url + "/present/?step=4")
    wait_for(page, "window.atlas && window.atlas.present")
    toggle = page.locator(".atlas-legend-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"  # folded: the map comes first
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    border = page.locator('.atlas-legend input[data-kind="border"]')
    border.focus()
    page.keyboard.press("Space")  # ticks the box; the story stays where it is
    assert page.locator(".present-number").inner_text() == "4"
    assert not is_shown(page, "path.atlas-kind-border")
    page.keyboard.press("PageDown")  # the clicker still steps the story, and the switch stays
    assert page.locator(".present-number").inner_text() == "5"
    assert "hide=border" in page.url and not is_shown(page, "path.atlas-kind-border")


def test_the_embed_takes_its_layers_from_the_address(page):
    page.goto(page.base_url + "/embed/1860/#hide=border")
    wait_for(page, "window.atlas && window.atlas.map && window.atlas.placedLabels")
    assert not is_shown(page, "path.atlas-kind-border")
    page.locator(".atlas-legend-toggle").click()
    box = page.locator('.atlas-legend input[data-kind="border"]')
    assert not box.is_checked()
    box.click()
    assert is_shown(page, "path.atlas-kind-border")
