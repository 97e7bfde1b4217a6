"""The states by year (geodata/states.geojson): who held each place, and edges shared exactly
with the cessions."""

import datetime as dt
import json
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from shapely.geometry import Point, shape

from atlas.derive import state_records
from atlas.timerule import years_on_map

GEODATA = Path(settings.ATLAS_GEODATA_DIR)


def collection(name: str) -> dict[str, dict]:
    doc = json.loads((GEODATA / name).read_text(encoding="utf-8"))
    return {f["id"]: f for f in doc["features"]}


STATES = collection(state_records.STATES_FILE)
TERRITORIES = collection("territories.geojson")
PLACES = collection("places.geojson")


def geometry(feature: dict):
    return shape(feature["geometry"])


def holder(lon: float, lat: float, year: int) -> str | None:
    """The name of the state holding a point at the end of ``year`` (None: no state's)."""
    found = []
    for f in STATES.values():
        p = f["properties"]
        end = dt.date.fromisoformat(p["valid_to"]) if p["valid_to"] else None
        shown = years_on_map(dt.date.fromisoformat(p["valid_from"]), end).shown(year)
        if shown and geometry(f).contains(Point(lon, lat)):
            found.append(p["name"]["en"])
    assert len(found) <= 1, (lon, lat, year, found)  # the states of a year never overlap
    return found[0] if found else None


def place(slug: str) -> tuple[float, float]:
    return tuple(PLACES[slug]["geometry"]["coordinates"])


RUSSIA, QING = "Russian Empire", "Qing empire"


@pytest.mark.parametrize(
    "slug, year, expected",
    [
        ("beijing", 1857, QING),
        ("beijing", 1862, QING),
        ("urga", 1857, QING),  # Mongolia was Qing throughout
        ("urga", 1860, QING),
        ("kyakhta", 1857, RUSSIA),
        ("kyakhta", 1862, RUSSIA),
        ("irkutsk", 1857, RUSSIA),
        ("irkutsk", 1859, RUSSIA),
        ("blagoveshchensk", 1857, QING),  # the left bank of the Amur, Qing until Aigun
        ("blagoveshchensk", 1858, RUSSIA),
        ("blagoveshchensk", 1859, RUSSIA),
        ("nikolaevsk", 1857, QING),  # at the mouth of the Amur
        ("nikolaevsk", 1858, RUSSIA),
        ("vladivostok", 1859, None),  # the Ussuri lands, held in common 1858–1860
        ("vladivostok", 1861, RUSSIA),
        ("aigun", 1859, QING),  # the right bank stayed Qing
        ("khabarovsk", 1859, None),
        ("khabarovsk", 1860, RUSSIA),
        ("shanghai", 1858, QING),
        ("tainan", 1858, QING),  # Taiwan
    ],
)
def test_the_places_were_held_by_the_right_state_each_year(slug, year, expected):
    assert holder(*place(slug), year) == expected


@pytest.mark.parametrize(
    "where, lon, lat, expected",
    [
        ("Kyzyl, Uriankhai (Tuva)", 94.45, 51.72, QING),
        ("central Sakhalin, undivided with Japan", 142.7, 50.0, None),
        ("Iturup", 148.0, 45.0, "Japan"),
        ("Urup", 150.0, 45.85, RUSSIA),
        ("Okinawa, the Ryukyu kingdom", 127.8, 26.3, None),
        ("Seoul", 126.98, 37.57, "Korea"),
        ("Hong Kong", 114.17, 22.3, None),
        ("Kamchatka", 158.65, 53.02, RUSSIA),
    ],
)
def test_the_lands_no_treaty_of_1858_1860_moved(where, lon, lat, expected):
    for year in (1857, 1862):
        assert holder(lon, lat, year) == expected, (where, year)


def test_the_uda_region_is_no_ones_before_aigun_and_russian_after():
    lon, lat = 134.5, 55.3  # the Uda basin
    assert holder(lon, lat, 1857) is None
    assert holder(lon, lat, 1858) == RUSSIA


def test_states_and_cessions_share_their_edges_exactly():
    aigun = geometry(TERRITORIES["aigun-cession"])
    ussuri = geometry(TERRITORIES["ussuri-cession"])
    russia_1858 = geometry(STATES["russian-empire-1858"])
    russia_1860 = geometry(STATES["russian-empire-1860"])
    qing_1727 = geometry(STATES["qing-empire-1727"])
    qing_1858 = geometry(STATES["qing-empire-1858"])
    # Inside, to the 0.001° grid: a cession's coast is the base map's (clipped to its land),
    # which runs inside the states' bands of sea; snapping a band's thin corners to the grid
    # may leave the cession a hair beyond the state there.
    for state, cession in ((russia_1858, aigun), (russia_1860, ussuri), (qing_1727, aigun)):
        assert cession.difference(state.buffer(0.001)).is_empty
    assert qing_1727.buffer(0.001).contains(ussuri)
    # The Amur: the cession's southern edge is the Qing empire's northern edge, point for point.
    assert aigun.intersection(qing_1858).area == 0
    shared = aigun.boundary.intersection(qing_1858.boundary)
    assert shapely.length(shared) > 15  # degrees of line: the whole Amur below the Argun


def test_each_state_gives_its_area_that_year():
    area = {slug: f["properties"]["area_km2"] for slug, f in STATES.items()}
    ceded = {slug: f["properties"]["area_km2"] for slug, f in TERRITORIES.items()}
    uda = ceded["uda-region"]
    # The Russian Empire grew by the left bank (and the Uda region) in 1858, the Ussuri in 1860.
    grew_1858 = area["russian-empire-1858"] - area["russian-empire-1727"]
    assert abs(grew_1858 - ceded["aigun-cession"] - uda) <= 3000
    grew_1860 = area["russian-empire-1860"] - area["russian-empire-1858"]
    assert abs(grew_1860 - ceded["ussuri-cession"]) <= 3000
    lost = area["qing-empire-1727"] - area["qing-empire-1858"]
    assert abs(lost - ceded["aigun-cession"] - ceded["ussuri-cession"]) <= 3000
    assert 200_000 <= area["korea-joseon"] <= 240_000
    for f in STATES.values():
        p = f["properties"]
        assert p["area_method"]["en"] and p["certainty"] == "approximate" and p["sources"]
        assert p["fill"].startswith("#") and p["label"]["at"]


def test_the_names_are_the_issues():
    names = {f["properties"]["name"]["en"]: f["properties"]["name"]["ru"] for f in STATES.values()}
    assert names[RUSSIA] == "Российская империя" and names[QING] == "Цинская империя"


def test_each_states_name_goes_inside_it():
    for slug, f in STATES.items():
        geom = geometry(f)
        outside = [at for at in f["properties"]["label"]["at"] if not geom.contains(Point(at))]
        assert outside == [], slug
