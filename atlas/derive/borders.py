"""Borders by period and the territories they bound: geodata/borders.geojson, territories.geojson.

Where the modern Russia–China and Russia–Mongolia boundaries follow the treaty lines (the
Argun, the Amur, the Ussuri – Sungacha – Khanka – Tumen line, the Kyakhta line east of the
Sayan), the geometry is Natural Earth's, taken as the arcs both countries share. What no modern
boundary follows — the Gorbitsa and the Stanovoy watershed of 1689, the undelimited Uda region,
the Sayan north of Uriankhai (Tuva), the lower Amur below the Ussuri, the sea edges — is drawn
by hand below from the treaty descriptions and is marked approximate or schematic.

Territories are Russia's Natural Earth polygon cut by these lines; their areas are measured on
it, on an Albers equal-area projection (``sources.EQUAL_AREA``). They are drawn with the base
map's coast: each cession, widened by its band of sea (states.py), is clipped to the land of
the base map's detailed level (``basemap.detailed_land``), so its seaward edge is that coast
and its land borders stay those it shares with the states.
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from . import sources
from .sources import CHINA, MONGOLIA, NORTH_KOREA, RUSSIA

BORDERS_FILE = "borders.geojson"
TERRITORIES_FILE = "territories.geojson"
# Lines are simplified to 0.01° (about 1 km; a pixel at zoom 7), areas to 0.02°.
LINE_TOLERANCE = 0.01
AREA_TOLERANCE = 0.02

# Where the modern lines are cut into their historical stretches.
ARGUN_SHILKA_CONFLUENCE = (121.51, 53.33)  # the Amur begins; Peking art. 1 starts here
USSURI_MOUTH_ON_LINE = (134.69, 48.22)  # where the modern line reaches the Ussuri
KHABAROVSK = (135.07, 48.48)  # the Ussuri joins the Amur
SAYAN_EAST = 98.9  # east of this the modern Russia–Mongolia line is the Kyakhta line of 1727
# Peking 1860, art. 1: the line meets the Tumen "no more than 20 li above its mouth". The modern
# line meets it further up, at the tripoint with North Korea; the treaty line's end is drawn by
# hand to the point 20 li (11.5 km, at 576 m to the li) up the river from its mouth, leaving the
# modern line this far before the tripoint.
TUMEN_20_LI_KM = 20 * 0.576
EAST_END_LEAVES_MODERN_LINE_KM = 6.0
SAYAN_WEST = 89.6  # the Altai west of this was settled only in 1864

# --- Drawn by hand (lon, lat) -------------------------------------------------------------------
# Nerchinsk 1689, art. 1: up the Gorbitsa, a left tributary of the Shilka, to its source, then
# along the crest of the Stone (Stanovoy) mountains towards the sea; the land between the Uda
# and those mountains left undelimited. Crest traced from relief maps; schematic.
GORBITSA_STANOVOY = [
    (119.18, 53.10),  # the Gorbitsa's mouth on the Shilka
    (118.95, 53.60),
    (118.90, 54.10),  # its source
    (119.80, 54.85),
    (121.00, 55.55),
    (123.00, 56.15),
    (125.00, 56.30),
    (127.00, 56.15),
    (129.00, 55.90),
    (131.00, 55.60),  # the watershed forks: Stanovoy north, the Amur–Uda divide south
]
UDA_NORTH = [(131.00, 55.60), (133.00, 56.10), (135.00, 56.60), (136.80, 56.70), (138.30, 56.60)]
UDA_SOUTH = [(131.00, 55.60), (132.20, 54.70), (133.60, 54.25), (134.80, 54.05), (135.60, 54.20)]
# The Shilka from the Gorbitsa's mouth down to the confluence (the cession's west edge).
SHILKA = [(119.18, 53.10), (119.90, 53.25), (120.70, 53.38), ARGUN_SHILKA_CONFLUENCE]
# The Amur below the Ussuri: the line between the Aigun cession and the Ussuri lands.
LOWER_AMUR = [
    KHABAROVSK,
    (135.55, 48.80),
    (136.10, 49.10),
    (136.55, 49.45),
    (136.85, 49.95),
    (136.95, 50.30),
    (137.05, 50.60),
    (137.45, 50.95),
    (138.15, 51.40),
    (139.10, 51.85),
    (140.00, 52.20),
    (140.45, 52.40),
    (140.55, 52.80),
    (140.70, 53.10),
    (141.15, 53.05),  # the mouth, into the Amur estuary
]
# Kyakhta 1727: from where the modern line leaves the Sayan (about 98.9° E), the border of the
# time ran along the Eastern and Western Sayan north of Uriankhai, then Qing territory, to the
# Shabin-Dabaga pass. Traced along the present northern edge of Tuva; approximate.
SAYAN_NORTH_OF_TUVA = [
    (97.70, 52.90),
    (96.50, 53.50),
    (95.20, 53.10),
    (94.00, 52.70),
    (92.60, 52.20),
    (91.30, 51.80),
    (90.30, 51.30),
    (SAYAN_WEST, 50.80),
]
# Sea edges of the cut polygons: they run off shore, through the Tatar Strait west of Sakhalin,
# which no treaty of 1858–1860 names.
SEA_NORTH = [(141.45, 53.30), (141.30, 54.40), (138.80, 55.40), (138.30, 56.60)]
SEA_SOUTH = [
    (130.70, 42.29),  # the Tumen's mouth (modern Russia – North Korea line ends here)
    (131.00, 41.80),
    (134.50, 42.20),
    (139.20, 45.50),
    (140.90, 48.50),
    (141.35, 51.80),
    (141.55, 52.30),
    (141.30, 52.95),
]
SAKHALIN_WEST_COAST = 141.6  # parts of Russia's polygon east of this (Sakhalin) are dropped

# --- Geometry ---------------------------------------------------------------------------------


def _cut(line: LineString, at: tuple[float, float]) -> tuple[LineString, LineString]:
    """Split a line at the point of it nearest to ``at``."""
    d = line.project(Point(at))
    return substring(line, 0, d), substring(line, d, line.length)


def modern_lines(atlas: sources.TopoJSON) -> dict[str, LineString]:
    """The modern boundary stretches that follow treaty lines, in their historical parts."""
    russia_china = max(atlas.shared_boundary(RUSSIA, CHINA), key=lambda g: g.length)
    # Natural Earth stores the eastern line from the Mongolian tripoint to the Tumen.
    if russia_china.coords[0][0] > russia_china.coords[-1][0]:
        russia_china = russia_china.reverse()
    argun, rest = _cut(russia_china, ARGUN_SHILKA_CONFLUENCE)
    amur, east = _cut(rest, USSURI_MOUTH_ON_LINE)
    (mongolia,) = atlas.shared_boundary(RUSSIA, MONGOLIA)
    if mongolia.coords[0][0] > mongolia.coords[-1][0]:
        mongolia = mongolia.reverse()
    xy = np.asarray(mongolia.coords)
    start = int(np.argmax(xy[:, 0] >= SAYAN_EAST))
    kyakhta_east = LineString(xy[start:])
    (tumen,) = atlas.shared_boundary(RUSSIA, NORTH_KOREA)
    return {
        "argun": argun,
        "amur": amur,
        "east": east,
        "east_1860": east_to_20_li(east, tumen),
        "kyakhta_east": kyakhta_east,
        "tumen_to_sea": tumen,
    }


def east_to_20_li(east: LineString, tumen: LineString) -> LineString:
    """The eastern line of 1860: the modern line, its southern end brought down the Tumen to
    the point 20 li above the mouth that the treaty names (the last stretch schematic)."""
    if tumen.coords[0][1] < tumen.coords[-1][1]:
        tumen = tumen.reverse()  # from the tripoint down to the mouth
    km = sources.length_km(tumen)
    end = tumen.interpolate(max(km - TUMEN_20_LI_KM, 0) / km, normalized=True)
    km = sources.length_km(east)
    kept = substring(east, 0, max(km - EAST_END_LEAVES_MODERN_LINE_KM, 0) / km, normalized=True)
    return LineString([*kept.coords, (end.x, end.y)])


def _ring(*parts: list[tuple[float, float]]) -> Polygon:
    coords: list[tuple[float, float]] = []
    for part in parts:
        coords.extend(part)
    poly = Polygon(coords)
    return poly if poly.is_valid else poly.buffer(0)


def _mainland(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.centroid.x < SAKHALIN_WEST_COAST]
    return shapely.union_all(parts)


def territories(russia: BaseGeometry, lines: dict[str, LineString]) -> dict[str, BaseGeometry]:
    """The cessions cut from Russia's polygon by the treaty lines."""
    amur = list(lines["amur"].coords)
    east = list(lines["east"].coords)
    tumen = list(lines["tumen_to_sea"].coords)
    if tumen[0][0] > tumen[-1][0]:
        tumen.reverse()
    # North of the Amur and south of the watershed, from the Shilka to the sea.
    aigun_clip = _ring(
        amur,
        [KHABAROVSK],
        LOWER_AMUR[1:],
        SEA_NORTH[:2],
        [(136.50, 54.70)],
        UDA_SOUTH[::-1],
        GORBITSA_STANOVOY[::-1],
        SHILKA[1:],
    )
    uda_clip = _ring(UDA_SOUTH, [(136.50, 54.70)], SEA_NORTH[2:], UDA_NORTH[::-1])
    # East of the Ussuri – Khanka – Tumen line and south of the lower Amur, to the sea.
    # It closes along the aigun ring's edge, from Khabarovsk to where the Amur line ends.
    ussuri_clip = _ring(east, tumen, SEA_SOUTH, LOWER_AMUR[::-1])
    return {
        "aigun": _mainland(russia.intersection(aigun_clip)),
        "uda": _mainland(russia.intersection(uda_clip)),
        "ussuri": _mainland(russia.intersection(ussuri_clip)),
    }


def on_the_coast(land: BaseGeometry, band: BaseGeometry | None) -> BaseGeometry:
    """A piece of land as the map draws it: with its band of sea, clipped to the base map's
    detailed land, so that its coast is the base map's and its land borders are unchanged."""
    from .basemap import DETAIL_MIN_AREA, detailed_land
    from .states import _polygonal

    widened = shapely.union_all([land, band]) if band is not None else land
    # Only the base map's landmasses and islands that are the piece's own (not Sakhalin's
    # shore across the Tatar Strait, in the band of the Ussuri region).
    own = shapely.union_all([p for p in detailed_land().geoms if p.intersects(land)])
    found = _polygonal(shapely.make_valid(widened.intersection(own)))
    # A crumb of the base map's land in the band, off the piece's own land (the far bank of
    # the Tumen's mouth, bits of the Amur's), is left out.
    parts = getattr(found, "geoms", [found])
    return shapely.union_all([p for p in parts if p.area >= DETAIL_MIN_AREA or p.intersects(land)])


def derive(*, out: Path, progress: Callable[[str], None]) -> list[Path]:
    from .records import border_features, territory_features  # they build on this geometry
    from .state_records import STATES_FILE, state_features
    from .states import pieces_of, simplified

    atlas = sources.world_atlas()
    progress(f"read {sources.WORLD_ATLAS}: {len(atlas.arcs):,} arcs")
    lines = modern_lines(atlas)
    for name, line in lines.items():
        km = sources.length_km(line)
        progress(f"{name}: {len(line.coords):,} points, {km:,.0f} km")
    borders = border_features(lines)
    # The cessions and the states are cut from the same land and simplified together.
    pieces = pieces_of(atlas, lines, territories)
    simple = simplified(pieces, AREA_TOLERANCE)
    names = ("aigun", "uda", "ussuri")
    parts = {k: pieces.land[k] for k in names}
    for name, geom in parts.items():
        progress(f"{name}: {sources.area_km2(geom):,} km²")
    states = state_features(pieces, simple)
    for f in states:
        progress(f"{f['id']}: {f['properties']['area_km2']:,} km²")
    drawn = {k: on_the_coast(simple.land[k], simple.bands.get(k)) for k in names}
    return [
        sources.write_collection(out / BORDERS_FILE, borders),
        sources.write_collection(out / TERRITORIES_FILE, territory_features(parts, drawn)),
        sources.write_collection(out / STATES_FILE, states),
    ]
