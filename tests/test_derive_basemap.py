"""The derived base map (geodata/base/): reproducible, valid, small, and true to the ground."""

import json
import math
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from shapely.geometry import LineString, Point, shape

from atlas.derive import basemap, sea

LAYERS = ("land", "sea", "lakes", "rivers")
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
    assert written[:4] == [f"base/{layer}.geojson" for layer in LAYERS]
    tiles = sorted(written[4:])
    assert tiles == sorted(f"base/tiles/{p.name}" for p in (BASE / "tiles").iterdir())
    for name in [*written[:4], *tiles]:
        assert (out / name).read_bytes() == (BASE.parent / name).read_bytes(), (
            f"{name} differs: run manage.py derive_geodata basemap"
        )
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_geometry_is_valid_in_the_box_and_small():
    total = 0
    for layer in LAYERS:
        # Land reaches out to the outer box (a coarse ring), the sea to the world; lakes and
        # rivers stay in the box.
        bounds = {"land": basemap.OUTER_BOUNDS, "sea": sea.WORLD}.get(layer, basemap.BOUNDS)
        west, south, east, north = bounds
        path = BASE / f"{layer}.geojson"
        if layer != "land":  # the map's ground: not sent to the browser
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
    assert total <= basemap.MAX_BYTES == 160 * 1024


def test_the_sea_is_the_world_less_the_land_in_pieces_a_phone_draws_one_by_one():
    doc = json.loads((BASE / "sea.geojson").read_text(encoding="utf-8"))
    assert doc["bbox"] == list(sea.WORLD)
    world = shapely.box(*sea.WORLD)
    land = shapely.union_all(_shapes("land"))
    pieces = [shape(f["geometry"]) for f in doc["features"]]
    water = shapely.union_all(pieces)
    # Sea and land tile the world: no gap, no overlap, but for slivers along the coast where
    # the sea is snapped to its 0.01° grid (under 0.02 % of the world).
    assert water.union(land).symmetric_difference(world).area < 2e-4 * world.area
    assert water.intersection(land).area < 2e-4 * world.area
    # The pieces do not overlap one another.
    assert sum(p.area for p in pieces) == pytest.approx(water.area, abs=0.01)
    coords = [c for p in pieces for c in shapely.get_coordinates(p).tolist()]
    assert all(round(v, sea.DIGITS) == v for c in coords for v in c)
    *cut, open_sea = doc["features"]
    assert open_sea["properties"] == {"layer": "sea", "coast": False} and "bbox" not in open_sea
    assert not shape(open_sea["geometry"]).intersects(land.buffer(-0.01))
    cells = set()
    for feature in cut:
        west, south, east, north = bbox = feature["bbox"]
        assert (west - sea.WORLD[0]) % sea.CELL == 0 and (south - sea.WORLD[1]) % sea.CELL == 0
        assert east - west <= sea.CELL and north - south <= sea.CELL
        assert shapely.box(*bbox).intersects(land)
        piece = shape(feature["geometry"])
        assert piece.within(shapely.box(*bbox).buffer(1e-9)), bbox
        # Small enough to be one short step of the drawing on a slow phone.
        assert shapely.get_num_coordinates(piece) <= 800, bbox
        cells.add(tuple(bbox))
    assert len(cells) == len(cut)
    assert _inside("sea", 123.0, 35.0) and _inside("sea", 175.0, 40.0)  # Yellow Sea, Pacific
    assert not _inside("sea", 116.4, 39.9)  # Beijing


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


# --- the detailed level: tiles ----------------------------------------------------------------

TILES = BASE / basemap.TILES_DIR


def _index() -> dict:
    return json.loads((TILES / basemap.TILES_INDEX).read_text(encoding="utf-8"))


def _tile_land() -> dict:
    found = {}
    for name in _index()["tiles"]:
        doc = json.loads((TILES / f"{name}.geojson").read_text(encoding="utf-8"))
        found[name] = doc
    return found


def test_tile_index_names_each_tile_with_its_bounds():
    index = _index()
    size = index["size"]
    assert size == basemap.TILE_SIZE
    files = {p.stem for p in TILES.glob("*.geojson")}
    assert files == set(index["tiles"])
    for name, doc in _tile_land().items():
        west, south, east, north = index["tiles"][name]
        assert west % size == 0 and south % size == 0
        assert (east - west, north - south) == (size, size)
        assert name == f"e{west}{'n' if south >= 0 else 's'}{abs(south)}"
        assert doc["bbox"] == [west, south, east, north]
        (feature,) = doc["features"]
        geom = shape(feature["geometry"])
        assert geom.is_valid and not geom.is_empty and geom.area > 0, name
        x0, y0, x1, y1 = geom.bounds
        assert west <= x0 and x1 <= east and south <= y0 and y1 <= north, (name, geom.bounds)


def test_tiles_cover_the_coarse_level():
    """The detailed level covers all the coarse level's land, and is the same land, in more
    detail: the two differ by a sliver along the coast."""
    index = _index()
    cells = shapely.union_all([shapely.box(*b) for b in index["tiles"].values()])
    coarse = shapely.union_all(_shapes("land"))
    assert coarse.difference(cells).area == 0
    detailed = shapely.union_all(
        [shape(doc["features"][0]["geometry"]) for doc in _tile_land().values()]
    )
    assert detailed.symmetric_difference(coarse).area < 0.03 * coarse.area
    for lon, lat in ((116.4, 39.9), (127.53, 50.26), (131.9, 43.12), (185.0, 66.0)):
        assert detailed.contains(Point(lon, lat)), (lon, lat)  # Beijing … Vladivostok, Chukotka
    for lon, lat in ((123.0, 35.0), (131.95, 43.05), (175.0, 40.0)):
        assert not detailed.contains(Point(lon, lat)), (lon, lat)  # the Yellow Sea, the bay


def test_tiles_are_detailed_and_small_enough():
    sizes = [(TILES / f"{name}.geojson").stat().st_size for name in _index()["tiles"]]
    assert max(sizes) <= 32 * 1024
    assert sum(sizes) <= 800 * 1024
    # Around Vladivostok the coast has ten times the points of the coarse level's.
    near = shapely.box(130.5, 42.0, 133.5, 43.5)
    coarse = sum(shapely.get_num_coordinates(s.intersection(near)) for s in _shapes("land"))
    detailed = shapely.get_num_coordinates(
        shape(_tile_land()["e128n40"]["features"][0]["geometry"]).intersection(near)
    ) + shapely.get_num_coordinates(
        shape(_tile_land()["e132n40"]["features"][0]["geometry"]).intersection(near)
    )
    assert detailed > 5 * coarse, (detailed, coarse)


def _detailed_land():
    return shapely.union_all(
        [shape(doc["features"][0]["geometry"]) for doc in _tile_land().values()]
    )


@pytest.mark.parametrize("path", ["territories.geojson", "trade_zone.geojson"])
def test_the_territories_lie_on_the_base_maps_land(path):
    """One coast: the cessions and the 100-li zone are clipped to the detailed level's land,
    so no edge of theirs runs over its sea (within the 0.001° grid)."""
    land = _detailed_land().buffer(0.002)
    doc = json.loads((BASE.parent / path).read_text(encoding="utf-8"))
    for feature in doc["features"]:
        geom = shape(feature["geometry"])
        off = geom.difference(land)
        assert off.area < 1e-6, (feature["id"], off.bounds)


def test_the_cessions_coast_is_the_base_maps():
    """Along the coast of the Ussuri region (Peter the Great Gulf, Vladivostok) the cession's
    edge is the detailed level's coast, point for point."""
    doc = json.loads((BASE.parent / "territories.geojson").read_text(encoding="utf-8"))
    (ussuri,) = [f for f in doc["features"] if f["id"] == "ussuri-cession"]
    edge = shape(ussuri["geometry"]).boundary.intersection(shapely.box(131.4, 42.5, 133.5, 43.3))
    coast = _detailed_land().boundary
    points = shapely.get_coordinates(edge)
    assert len(points) > 100
    far = [p for p in points if coast.distance(Point(p)) > 0.002]
    assert not far, far[:5]
