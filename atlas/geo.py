"""Geometry: parse and validate GeoJSON with shapely. No ORM here.

Everything the atlas stores is RFC 7946 GeoJSON: WGS84 longitude/latitude, closed rings.
Measurements (lengths, areas, buffers) are never made in degrees; the commands that build the
derived layers project to a metric CRS first (see ``atlas.derive``).
"""

import math
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)
# The part of the world the atlas covers, generously: a coordinate outside it is a typing
# slip or a lat/lon swap rather than a place of the 1858–1862 treaties.
# It reaches as far as the states of the time are drawn: to the antimeridian and to 78° N.
REGION_BOUNDS = (60.0, 10.0, 180.0, 78.0)  # lon_min, lat_min, lon_max, lat_max

ERR_NOT_OBJECT = "geometry must be a GeoJSON geometry object"
ERR_TYPE = "geometry type {type!r} is not one of " + ", ".join(GEOMETRY_TYPES)
ERR_COORDINATES = "geometry has malformed coordinates ({detail})"
ERR_NOT_FINITE = "coordinate {position} is not a finite number"
ERR_LON_RANGE = "longitude {lon} is outside -180..180 (are longitude and latitude swapped?)"
ERR_LAT_RANGE = "latitude {lat} is outside -90..90 (are longitude and latitude swapped?)"
ERR_OUTSIDE_REGION = (
    "coordinate [{lon}, {lat}] lies outside the atlas region "
    "(lon {0}..{2}, lat {1}..{3}); GeoJSON order is [longitude, latitude]"
)
ERR_RING_NOT_CLOSED = "a polygon ring is not closed (its first and last positions differ)"
ERR_RING_TOO_SHORT = "a polygon ring has fewer than 4 positions"
ERR_LINE_TOO_SHORT = "a line has fewer than 2 positions"
ERR_EMPTY = "geometry is empty"
ERR_INVALID = "geometry is not valid: {reason}"

_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


class GeometryError(ValueError):
    """A geometry that the atlas cannot store; the message says what is wrong."""


def _positions(coords: Any, depth: int) -> list[list[Any]]:
    """Flatten nested coordinates of the given depth into positions, checking the nesting."""
    if depth == 0:
        if not isinstance(coords, list) or len(coords) not in (2, 3):
            raise GeometryError(ERR_COORDINATES.format(detail="a position needs 2 numbers"))
        return [coords]
    if not isinstance(coords, list) or not coords:
        raise GeometryError(ERR_COORDINATES.format(detail="expected a non-empty list"))
    out: list[list[Any]] = []
    for part in coords:
        out.extend(_positions(part, depth - 1))
    return out


def _check_position(position: list[Any]) -> None:
    for value in position:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise GeometryError(ERR_NOT_FINITE.format(position=position))
    lon, lat = position[0], position[1]
    if not -180 <= lon <= 180:
        raise GeometryError(ERR_LON_RANGE.format(lon=lon))
    if not -90 <= lat <= 90:
        raise GeometryError(ERR_LAT_RANGE.format(lat=lat))
    lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        raise GeometryError(ERR_OUTSIDE_REGION.format(*REGION_BOUNDS, lon=lon, lat=lat))


def _check_parts(kind: str, coords: list[Any]) -> None:
    if kind in ("LineString", "MultiLineString"):
        lines = [coords] if kind == "LineString" else coords
        if any(len(line) < 2 for line in lines):
            raise GeometryError(ERR_LINE_TOO_SHORT)
    if kind in ("Polygon", "MultiPolygon"):
        polygons = [coords] if kind == "Polygon" else coords
        for ring in (r for polygon in polygons for r in polygon):
            if len(ring) < 4:
                raise GeometryError(ERR_RING_TOO_SHORT)
            if ring[0] != ring[-1]:
                raise GeometryError(ERR_RING_NOT_CLOSED)


def parse_geometry(obj: Any) -> BaseGeometry:
    """Check a GeoJSON geometry object and return it as a valid shapely geometry.

    Raises GeometryError with a reader-facing message for anything RFC 7946 or shapely would
    reject, and for coordinates outside the atlas region (most often a lat/lon swap).
    """
    if not isinstance(obj, dict):
        raise GeometryError(ERR_NOT_OBJECT)
    kind = obj.get("type")
    if kind not in GEOMETRY_TYPES:
        raise GeometryError(ERR_TYPE.format(type=kind))
    coords = obj.get("coordinates")
    if coords == [] or coords is None:
        raise GeometryError(ERR_EMPTY)
    for position in _positions(coords, _DEPTH[kind]):
        _check_position(position)
    _check_parts(kind, coords)
    try:
        geom = shape(obj)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as exc:
        raise GeometryError(ERR_COORDINATES.format(detail=exc)) from exc
    if geom.is_empty:
        raise GeometryError(ERR_EMPTY)
    if not geom.is_valid:
        raise GeometryError(ERR_INVALID.format(reason=explain_validity(geom)))
    return geom
