"""The coarse level's sea: the world less the land, cut into pieces that the map draws one by one.

The map's ground is land (its container's background); the sea is drawn over the states, so
that their coast is the base map's. As one shape (the world with every ring of the land cut
out) it is a single path of thousands of points, which a phone draws in one long task. Here it
is cut into a grid of ``CELL`` degrees instead:

- a cell that holds land gives one piece, the cell less the land (a Polygon or MultiPolygon),
  its ``bbox`` the cell: the map draws the piece's coast from its rings, less the stretches
  that run along the cell's edges (static/atlas/basemap.js ``coastOf``);
- the cells with no land are dissolved into one piece, the open sea, with no coast
  (``"coast": false``): every edge of it is a cell's edge.

The collection's ``bbox`` is the world the sea covers (``WORLD``), which the detailed level's
sea covers too. Made with geopandas (``overlay``, ``dissolve``) in longitude and latitude: the
cuts are straight lines on the grid, so no projection is needed. Coordinates are snapped to
0.01°, coarser than the land's 0.001°: a cut where the coast crosses a cell's edge is snapped
to the same point in both cells' pieces, so they still meet exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.polygon import orient

from .basemap import _geometry, _polygons, _valid

WGS84 = "EPSG:4326"
# The world the sea covers: west, south, east, north (degrees; east of 180° unwrapped, to 200°
# as the land: the map may be moved to 190°, atlas/maps/builders.py MAX_BOUNDS).
WORLD = (20.0, -20.0, 200.0, 85.0)
CELL = 10  # degrees; cells are aligned on multiples of it
# Coordinates are rounded to 0.01° (about 1 km): the coarse level is drawn to zoom 5, where a
# pixel is about 0.04°, and the file is the largest the map pages share.
DIGITS = 2


def grid(world: tuple[float, float, float, float] = WORLD, size: int = CELL) -> list[tuple]:
    """The cells (west, south, east, north) over the world, south to north, west to east; the
    last row and column are cut at the world's edge."""
    west, south, east, north = world
    cells = []
    y = south
    while y < north:
        x = west
        while x < east:
            cells.append((x, y, min(x + size, east), min(y + size, north)))
            x += size
        y += size
    return cells


def _tidy(geom) -> list[Polygon]:
    snapped = _valid(shapely.set_precision(_valid(geom), 10**-DIGITS))
    return [orient(p, 1.0) for p in _polygons(snapped) if p.area > 0]


def _geometry_of(polygons: list[Polygon]) -> dict:
    polygons = sorted(polygons, key=lambda p: (-round(p.area, 6), *p.bounds))
    if len(polygons) == 1:
        return _geometry(polygons[0], DIGITS)
    parts = [_geometry(p, DIGITS)["coordinates"] for p in polygons]
    return {"type": "MultiPolygon", "coordinates": parts}


def sea_collection(land: Iterable[Polygon], world=WORLD, size: int = CELL) -> dict:
    """The sea as a FeatureCollection of pieces: one per cell that holds land, then the open
    sea. Coordinates on the grid of ``DIGITS``, outer rings counter-clockwise."""
    cells = geopandas.GeoDataFrame(
        {"cell": range(len(grid(world, size)))},
        geometry=[box(*c) for c in grid(world, size)],
        crs=WGS84,
    )
    land = geopandas.GeoDataFrame(geometry=list(land), crs=WGS84)
    wet = geopandas.overlay(cells, land, how="difference", keep_geom_type=True)
    touched = set(geopandas.sjoin(cells, land, predicate="intersects")["cell"])
    features = []
    for row in wet.itertuples():
        if row.cell not in touched:
            continue
        polygons = _tidy(row.geometry)
        if polygons:
            bounds = list(cells.geometry[row.cell].bounds)
            features.append(_feature(polygons, bbox=bounds))
    open_sea = cells[~cells["cell"].isin(touched)].dissolve()
    if not open_sea.empty:
        features.append(_feature(_tidy(open_sea.geometry.iloc[0]), coast=False))
    return {"type": "FeatureCollection", "bbox": list(world), "features": features}


def _feature(polygons: list[Polygon], bbox: list | None = None, coast: bool = True) -> dict:
    properties: dict = {"layer": "sea"}
    if not coast:
        properties["coast"] = False
    feature: dict = {"type": "Feature", "properties": properties}
    if bbox:
        feature["bbox"] = [round(v, DIGITS) for v in bbox]
    feature["geometry"] = _geometry_of(polygons)
    return feature
