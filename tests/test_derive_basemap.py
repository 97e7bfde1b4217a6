"""The derived base map (geodata/base/): reproducible, valid, small, and true to the ground."""

import json
import math
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from shapely.geometry import LineString, Point, shape

from atlas.derive import basemap

LAYERS = ("land", "lakes", "rivers")
BASE = Path(settings.ATLAS_GEODATA_DIR) / "base"


def _features(layer: str) -> list[dict]:
    return json.loads((BASE / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]


def _shapes(layer: str) -> list:
    return [shape(f["geometry"]) for f in _features(layer)]


def _km(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    """A flat-earth distance, close enough over a few kilometres."""
    k = math.cos(math.radians((lat_a + lat_b) / 2))
    return math.hypot((lon_a - lon_b) * k, lat_a - lat_b) * 111.2


@pytest.fixture(scope="module")
def derived(tmp_path_factory) -> tuple[Path, list[str], list[str]]:
    out = tmp_path_factory.mktemp("geodata")
    messages: list[str] = []
    written = basemap.derive(out=out, progress=messages.append)
    return out, [str(p.relative_to(out)) for p in written], messages


def test_rederiving_gives_the_committed_files(derived):
    out, written, messages = derived
    assert written == [f"base/{layer}.geojson" for layer in LAYERS]
    for layer in LAYERS:
        assert (out / "base" / f"{layer}.geojson").read_bytes() == (
            BASE / f"{layer}.geojson"
        ).read_bytes(), f"{layer}.geojson differs: run manage.py derive_geodata basemap"
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_geometry_is_valid_in_the_box_and_small():
    total = 0
    for layer in LAYERS:
        # Land reaches out to the outer box (a coarse ring); lakes and rivers stay in the box.
        bounds = basemap.OUTER_BOUNDS if layer == "land" else basemap.BOUNDS
        west, south, east, north = bounds
        path = BASE / f"{layer}.geojson"
        total += path.stat().st_size
        assert path.read_bytes().endswith(b"}\n")
        features = _features(layer)
        assert features, layer
        for feature in features:
            assert feature["type"] == "Feature"
            assert feature["properties"]["layer"] == layer
            geom = shape(feature["geometry"])
            assert geom.is_valid and not geom.is_empty, (layer, geom.bounds)
            x0, y0, x1, y1 = geom.bounds
            assert west <= x0 and x1 <= east and south <= y0 and y1 <= north, geom.bounds
            if geom.geom_type == "Polygon":
                assert geom.exterior.is_ccw, (layer, geom.bounds)
    assert total <= basemap.MAX_BYTES == 150 * 1024


def _inside(layer: str, lon: float, lat: float) -> bool:
    point = Point(lon, lat)
    return any(s.contains(point) for s in _shapes(layer))


def test_land_and_sea():
    assert not _inside("land", 123.0, 35.0)  # the Yellow Sea
    assert _inside("land", 116.4, 39.9)  # Beijing
    assert _inside("land", 127.53, 50.26)  # Blagoveshchensk


def test_land_ring_beyond_the_box():
    """Beyond the map's box the land goes on, coarse, out to the outer box."""
    assert basemap.OUTER_BOUNDS == (30.0, -12.0, 200.0, 80.0)
    assert _inside("land", 70.0, 48.0)  # Kazakhstan
    assert _inside("land", 78.0, 22.0)  # India
    assert _inside("land", 45.0, 40.0)  # the Caucasus
    assert _inside("land", 100.0, 70.0)  # Taymyr, north of the box
    assert _inside("land", 185.0, 66.0)  # Chukotka east of 180°, unwrapped
    assert _inside("land", 195.0, 65.0)  # Alaska (the Seward Peninsula)
    assert not _inside("land", 175.0, 40.0)  # the Pacific
    assert not _inside("land", 90.0, -5.0)  # the Indian Ocean
    assert not _inside("land", 50.5, 42.0)  # the Caspian Sea, a hole in the ring
    assert not _inside("land", 59.0, 45.0)  # the Aral Sea, west of the box edge
    assert not _inside("land", 61.0, 45.0)  # ... and east of it, under the lake layer
    xs = [x for s in _shapes("land") for x, _ in s.exterior.coords]
    assert min(xs) >= 30.0 and max(xs) <= 200.0 and max(xs) > 190.0


def test_land_ring_meets_the_box_without_a_seam():
    """The ring and the detailed land are one: no coast runs along the box edge, except for a
    short step where the two coastlines cross it."""
    west, south, east, north = basemap.BOUNDS
    boundary = shapely.union_all([s.boundary for s in _shapes("land")])
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    for a, b in zip(corners, corners[1:], strict=False):
        along = boundary.intersection(LineString([a, b]))
        pieces = [g for g in getattr(along, "geoms", [along]) if g.length > 0]
        assert all(g.length < 0.6 for g in pieces), (a, b, [g.bounds for g in pieces])


def test_lakes():
    assert _inside("lakes", 108.0, 53.5)  # Baikal
    assert _inside("lakes", 132.4, 45.0)  # Khanka
    names = {f["properties"].get("name", {}).get("en") for f in _features("lakes")}
    assert {"Lake Baikal", "Lake Khanka", "Hulun Lake (Dalai Nor)", "Buir Lake"} <= names


def test_rivers_meet_at_khabarovsk():
    lon, lat = 135.07, 48.48  # Khabarovsk, where the Ussuri joins the Amur
    nearest = min(
        _km(
            lon,
            lat,
            *shape(f["geometry"])
            .interpolate(shape(f["geometry"]).project(Point(lon, lat)))
            .coords[0],
        )
        for f in _features("rivers")
    )
    assert nearest <= 5.0


def test_amur_is_one_line():
    """The lower Amur is a double-lined river in the source: it must be drawn as one line."""
    (amur,) = [
        f for f in _features("rivers") if f["properties"].get("name", {}).get("en") == "Amur"
    ]
    assert amur["properties"]["name"]["ru"] == "Амур"
    line = shape(amur["geometry"])
    assert line.geom_type == "LineString" and not line.is_ring
    # Komsomolsk-on-Amur: a single line passes close by, and only once.
    across = Point(137.0, 50.55).buffer(0.3).boundary
    assert len(getattr(line.intersection(across), "geoms", [None])) == 2
