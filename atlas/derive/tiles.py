"""The detailed level of the base map: its land cut into a grid of small GeoJSON files.

At zoom 6 and closer the map draws the land of ``basemap.detailed_land`` (GSHHG intermediate,
hardly simplified) instead of the coarse level's, and only for the cells it shows. Each cell is
``TILE_SIZE`` degrees square, aligned on multiples of it; a cell with no land has no file (the
map draws it as sea). ``index.json`` lists the cells and their bounds::

    {"size": 4, "tiles": {"e132n40": [132, 40, 136, 44], ...}}

A cell's name is its south-west corner: ``e`` and the longitude (east of 180° unwrapped, up to
200°), then ``n`` or ``s`` and the latitude. Its file is a FeatureCollection with one feature,
the cell's land (a Polygon or MultiPolygon whose edges lie on the cell's where the land goes on
into the next cell), the collection's ``bbox`` the cell's bounds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from .basemap import DIGITS, TILE_SIZE, TILES_INDEX, _geometry, _polygons, _valid


def cell_name(west: int, south: int) -> str:
    return f"e{west}{'n' if south >= 0 else 's'}{abs(south)}"


def cells(bounds: tuple[float, float, float, float], size: int = TILE_SIZE):
    """The cells (west, south, east, north) that cover ``bounds``, west to east, south to north."""
    west, south, east, north = bounds
    x0, y0 = math.floor(west / size) * size, math.floor(south / size) * size
    for y in range(y0, math.ceil(north / size) * size, size):
        for x in range(x0, math.ceil(east / size) * size, size):
            yield x, y, x + size, y + size


def cut(land: BaseGeometry, cell: tuple[int, int, int, int]) -> list:
    """The land in one cell, snapped to the 0.001° grid: valid polygons, outer rings CCW."""
    part = land.intersection(box(*cell))
    snapped = _valid(shapely.set_precision(_valid(part), 10**-DIGITS))
    return [orient(p, 1.0) for p in _polygons(snapped) if p.area > 0]


def write_tiles(target: Path, land: BaseGeometry, progress: Callable[[str], None]) -> list[Path]:
    """Write one file per cell that holds land and the index; remove the files of cells that
    no longer hold any. Returns the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    shapely.prepare(land)
    index: dict[str, list[int]] = {}
    written = []
    total = 0
    for cell in cells(land.bounds):
        if not land.intersects(box(*cell)):
            continue
        polygons = cut(land, cell)
        if not polygons:
            continue
        name = cell_name(cell[0], cell[1])
        polygons.sort(key=lambda p: (-round(p.area, 6), *(round(v, DIGITS) for v in p.bounds)))
        if len(polygons) == 1:
            geometry = _geometry(polygons[0])
        else:
            rings = [_geometry(p)["coordinates"] for p in polygons]
            geometry = {"type": "MultiPolygon", "coordinates": rings}
        feature = {"type": "Feature", "properties": {"layer": "land"}, "geometry": geometry}
        path = target / f"{name}.geojson"
        collection = {"type": "FeatureCollection", "bbox": list(cell), "features": [feature]}
        text = json.dumps(collection, separators=(",", ":")) + "\n"
        path.write_text(text, encoding="utf-8")
        total += len(text)
        index[name] = list(cell)
        written.append(path)
    for old in sorted(target.glob("*.geojson")):
        if old.stem not in index:
            old.unlink()
    path = target / TILES_INDEX
    doc = {"size": TILE_SIZE, "tiles": index}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    written.append(path)
    progress(f"tiles: {len(index)} cells of {TILE_SIZE}°, {total / 1024:.1f} KB")
    return written
