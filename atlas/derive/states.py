"""The land the treaties divided, in pieces: the cessions and the states of each year.

The Russian Empire and the Qing empire as they stood de jure at the end of each year 1857–1862,
with Korea (Joseon) and Japan for orientation, are unions of land pieces cut from Natural Earth
(npm ``world-atlas``): the cessions of borders.py (the Aigun cession, the Uda region, the Ussuri
region), Uriankhai (Tuva), the rest of Russia, China with Taiwan and Mongolia, Korea and Japan.
Every piece is simplified as one coverage (``shapely.coverage_simplify``), the territories'
with them, so a state and a cession share their edges exactly.

A state is drawn under the sea (atlas.js draws the sea over it from the base map's coast), so
its coast need not follow the land: each piece is widened by a band of sea — narrow around the
treaty region (``FOCUS``), wider elsewhere — whose outer edge is generalised. The piece's own
coast is then inside the state and drops out of it: a state's file holds its land borders and a
smooth line offshore. A band never covers land that is not its piece's.

What Natural Earth's modern countries do not give is cut by hand from the treaty record:
Uriankhai (Tuva) goes to the Qing along the Kyakhta line of 1727 (borders.py); Sakhalin to no
one (the Treaty of Shimoda, 1855, art. 2, left it undivided between Russia and Japan); Iturup
and the islands south of it to Japan (the same article); the Ryukyu kingdom (annexed by Japan
in 1879) and the islands south-east of Japan (Bonin, Volcano, Marcus: Japanese from 1876 and
later) out of Japan; Hong Kong (British from 1842, Kowloon from 1860) and Macau (held by
Portugal) out of the Qing empire.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from ..geo import REGION_BOUNDS
from . import sources
from .sources import CHINA, JAPAN, MONGOLIA, NORTH_KOREA, RUSSIA, SOUTH_KOREA, TAIWAN

# The countries whose land the atlas divides between its states.
ATLAS_COUNTRIES = (RUSSIA, CHINA, MONGOLIA, TAIWAN, NORTH_KOREA, SOUTH_KOREA, JAPAN)
OTHER_TOLERANCE = 0.1  # degrees: boundaries with countries the atlas does not draw
SHARED_TOLERANCE = 0.04  # boundaries between two of them with no cession beside (see _shared)
# The states are drawn inside the atlas' region (atlas.geo.REGION_BOUNDS): east of 60° E (about
# the Urals), west of the antimeridian, south of 78° N.
CLIP = box(*REGION_BOUNDS)
# The treaty region, where the band of sea is narrow: the coasts from Hainan to the Sea of
# Okhotsk, Korea and Japan. The base map's coast (GSHHG, simplified to 0.05°) lies within a few
# kilometres of Natural Earth's, well inside either band.
FOCUS = box(105.0, 18.0, 146.0, 57.0)
BAND_NEAR = (0.2, 0.1)  # width, then simplification of its outer edge (degrees)
BAND_FAR = (0.6, 0.3)

# --- Cut by hand (lon, lat) ----------------------------------------------------------------------
# Uriankhai (Tuva): Russia's polygon south of the Kyakhta line of 1727, which ran along the Sayan
# north of it (borders.SAYAN_NORTH_OF_TUVA). West of 89.6° E the Altai was settled only in 1864;
# there the modern line is kept. The ring closes through Mongolia, south of 49° N.
TUVA_SOUTH = 49.0
# Whole islands, by where they lie: Sakhalin with Moneron off its south-west cape.
SAKHALIN = shapely.union_all([box(141.6, 45.8, 145.2, 54.5), box(140.9, 46.0, 141.5, 46.5)])
SOUTHERN_KURILS = box(145.3, 43.0, 149.0, 45.65)  # Iturup and south
RYUKYU = box(122.0, 20.0, 131.5, 26.95)  # Okinawa and south (Amami, to 27° N, was Satsuma's)
SOUTH_SEAS = box(135.0, 15.0, 160.0, 30.0)  # the Bonin and Volcano islands, Marcus, Okinotori
LEFT_OUT = ("Hong Kong", "Macao")
# Russia's polygon is cut into the cessions along lines partly drawn by hand; any bit of it left
# between them and the sea (islets, a cape by the Amur's mouth) goes to the nearest cession,
# but the Shantar islands, off the Uda gulf, go with the Uda region.
AMUR_LANDS = box(130.0, 42.0, 142.0, 56.8)
SHANTAR = box(136.5, 54.4, 139.0, 55.5)


@dataclass(frozen=True)
class Pieces:
    """The land pieces, keyed by name (one coverage), and the band of sea around each."""

    land: dict[str, BaseGeometry]
    bands: dict[str, BaseGeometry]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (an overlay can leave lines and points beside them)."""
    parts = [
        p
        for g in getattr(geom, "geoms", [geom])
        for p in getattr(g, "geoms", [g])
        if p.geom_type == "Polygon" and p.area > 0
    ]
    return shapely.union_all(parts) if parts else Polygon()


def _shared(xy: np.ndarray) -> np.ndarray:
    """A boundary between two atlas countries, generalised to ``SHARED_TOLERANCE`` where no
    cession lies beside it — the Argun, the Kyakhta line, the Yalu and the Tumen: a state's edge
    there lies under the border line drawn over it. Russia and China's boundary keeps every
    point below the Argun (the Amur, the Ussuri line): the cessions' edges follow it."""
    from .borders import ARGUN_SHILKA_CONFLUENCE

    line = LineString(xy)
    confluence = Point(ARGUN_SHILKA_CONFLUENCE)
    if line.distance(confluence) > 0.05:
        return np.asarray(line.simplify(SHARED_TOLERANCE).coords)
    steps = np.r_[0, np.cumsum(np.hypot(*np.diff(xy, axis=0).T))]
    k = int(np.searchsorted(steps, line.project(confluence)))
    head = np.asarray(LineString(xy[: k + 1]).simplify(SHARED_TOLERANCE).coords)
    return np.concatenate([head, xy[k + 1 :]])


def _arc_function(atlas: sources.TopoJSON) -> Callable[[int], np.ndarray]:
    """The arcs as the pieces use them: coasts keep every point (a cession's coast is drawn);
    boundaries are generalised as ``_shared`` says or, with other countries, to
    ``OTHER_TOLERANCE``. Each arc is simplified once, so neighbours still share it."""
    owners = atlas.owners()
    done: dict[int, np.ndarray] = {}

    def arc(index: int) -> np.ndarray:
        i = index if index >= 0 else ~index
        if i not in done:
            names, xy = owners.get(i, set()), atlas.arcs[i]
            if len(names) > 1 and len(xy) > 2:
                if names <= set(ATLAS_COUNTRIES):
                    xy = _shared(xy)
                else:
                    xy = np.asarray(LineString(xy).simplify(OTHER_TOLERANCE).coords)
            done[i] = xy
        return done[i] if index >= 0 else done[i][::-1]

    return arc


def _country(atlas: sources.TopoJSON, name: str, arc) -> BaseGeometry:
    return _polygonal(atlas.country(name, arc).intersection(CLIP))


def _islands(geom: BaseGeometry, area: BaseGeometry) -> BaseGeometry:
    """The parts of ``geom`` that lie in ``area`` (by a point inside each)."""
    parts = [p for p in getattr(geom, "geoms", [geom]) if area.contains(p.representative_point())]
    return shapely.union_all(parts) if parts else Polygon()


def _other_land(atlas: sources.TopoJSON, arc) -> BaseGeometry:
    """The land of every other country in the region: no band may cover it."""
    west, south, _, north = REGION_BOUNDS
    found = []
    for name, geom in sorted(atlas.countries.items()):
        if name in ATLAS_COUNTRIES or geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        xy = np.concatenate([atlas.arcs[i] for i in sorted(atlas.arc_ids(name))])
        # Eastern-hemisphere countries only: country() unwraps negative longitudes (for
        # Chukotka), which would stretch a country on the prime meridian round the globe.
        lon, lat = xy[:, 0], xy[:, 1]
        if lon.min() < 0 or lon.max() < west or lat.max() < south or lat.min() > north:
            continue
        found.append(_country(atlas, name, arc))
    return shapely.union_all(found)


def _give_leftovers(core: BaseGeometry, cessions: dict[str, BaseGeometry]) -> BaseGeometry:
    """Move the bits of Russia's polygon left beside the cessions into the nearest one."""
    kept = []
    for part in sorted(getattr(core, "geoms", [core]), key=lambda p: -p.area):
        point = part.representative_point()
        if kept and AMUR_LANDS.contains(point):
            name = min(cessions, key=lambda n: (cessions[n].distance(part), n))
            name = "uda" if SHANTAR.contains(point) else name
            cessions[name] = shapely.union_all([cessions[name], part])
        else:
            kept.append(part)
    return shapely.union_all(kept)


def land_pieces(
    atlas: sources.TopoJSON,
    lines: dict[str, LineString],
    cut: Callable[[BaseGeometry, dict[str, LineString]], dict[str, BaseGeometry]],
) -> tuple[dict[str, BaseGeometry], BaseGeometry]:
    """The land pieces, and the land no state holds (other countries, Sakhalin, Hong Kong …).

    ``cut(russia, lines)`` returns the cessions cut from Russia's polygon (borders.territories).
    """
    from .borders import SAYAN_NORTH_OF_TUVA

    arc = _arc_function(atlas)
    russia = _country(atlas, RUSSIA, arc)
    cessions = {k: _polygonal(v) for k, v in cut(russia, lines).items()}
    start = lines["kyakhta_east"].coords[0]
    ring = [start, *SAYAN_NORTH_OF_TUVA, (SAYAN_NORTH_OF_TUVA[-1][0], TUVA_SOUTH)]
    tuva = _polygonal(russia.intersection(Polygon([*ring, (start[0], TUVA_SOUTH)])))
    sakhalin = _islands(russia, SAKHALIN)
    kurils = _islands(russia, SOUTHERN_KURILS)
    taken = shapely.union_all([*cessions.values(), tuva, sakhalin, kurils])
    core = _give_leftovers(_polygonal(russia.difference(taken)), cessions)
    japan = _country(atlas, JAPAN, arc)
    not_japan = shapely.union_all([_islands(japan, RYUKYU), _islands(japan, SOUTH_SEAS)])
    land = {
        "russia": core,
        **cessions,
        "tuva": tuva,
        "qing": shapely.union_all([_country(atlas, n, arc) for n in (CHINA, TAIWAN, MONGOLIA)]),
        "korea": shapely.union_all([_country(atlas, n, arc) for n in (NORTH_KOREA, SOUTH_KOREA)]),
        "japan": shapely.union_all([_polygonal(japan.difference(not_japan)), kurils]),
    }
    left = [_other_land(atlas, arc), sakhalin, not_japan]
    left += [_country(atlas, name, arc) for name in LEFT_OUT]
    return land, shapely.union_all(left)


def _band(piece: BaseGeometry, free: BaseGeometry) -> BaseGeometry:
    """The sea around a piece: narrow in the treaty region, wider elsewhere."""
    base = piece.simplify(0.01)
    (near_width, near_tolerance), (far_width, far_tolerance) = BAND_NEAR, BAND_FAR
    near = base.buffer(near_width, quad_segs=2).simplify(near_tolerance).intersection(FOCUS)
    far = base.buffer(far_width, quad_segs=2).simplify(far_tolerance).difference(FOCUS)
    return _polygonal(shapely.union_all([near, far]).intersection(free))


def sea_bands(land: dict[str, BaseGeometry], left: BaseGeometry) -> dict[str, BaseGeometry]:
    """Each piece's band of sea; where two would meet, the piece listed first keeps the sea."""
    free = CLIP.difference(shapely.union_all([*land.values(), left]))
    bands = {}
    for name, piece in land.items():
        bands[name] = _band(piece, free)
        free = free.difference(bands[name])
    return bands


def simplified(pieces: Pieces, tolerance: float) -> Pieces:
    """The land pieces and bands as one coverage, cleaned (``coverage_clean``: shared edges made
    identical where overlays left them a hair apart) and simplified: shared edges stay shared."""
    keys = [("land", k) for k in pieces.land]
    keys += [("bands", k) for k, band in pieces.bands.items() if not band.is_empty]
    geoms = [getattr(pieces, group)[k] for group, k in keys]
    done = shapely.coverage_simplify(shapely.coverage_clean(geoms), tolerance)
    out: dict[str, dict[str, BaseGeometry]] = {"land": {}, "bands": {}}
    for (group, k), geom in zip(keys, done, strict=True):
        out[group][k] = _polygonal(shapely.make_valid(geom))
    return Pieces(land=out["land"], bands=out["bands"])


def state(pieces: Pieces, names: list[str]) -> BaseGeometry:
    """A state: its land pieces and their bands of sea, dissolved into one (Multi)Polygon."""
    parts = [pieces.land[n] for n in names] + [pieces.bands[n] for n in names if n in pieces.bands]
    return _polygonal(shapely.union_all(parts))


def land_of(pieces: Pieces, names: list[str]) -> BaseGeometry:
    """A state's land alone, to measure it."""
    return shapely.union_all([pieces.land[n] for n in names])


def pieces_of(
    atlas: sources.TopoJSON,
    lines: dict[str, LineString],
    cut: Callable[[BaseGeometry, dict[str, LineString]], dict[str, BaseGeometry]],
) -> Pieces:
    """Every land piece at full detail, with its band of sea."""
    land, left = land_pieces(atlas, lines, cut)
    return Pieces(land=land, bands=sea_bands(land, left))
