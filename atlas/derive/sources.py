"""Reading the public sources of the derived layers, and writing GeoJSON deterministically.

Natural Earth 1:10m comes from the npm package ``world-atlas`` (ISC; the data is public domain)
as TopoJSON: arcs are delta-encoded and quantised, and two countries share the very same arc
where their boundary runs, so a boundary is exactly the arcs both countries use.

Measurements and buffers are made with geopandas in a metric CRS (``to_crs``, ``area``,
``length``, ``buffer``); geopandas stays inside atlas.derive, which the web app never imports.
"""

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import LineString, MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import linemerge

WORLD_ATLAS = "world-atlas/countries-10m.json"
# Natural Earth's names of the countries whose shared arcs are the atlas' borders.
RUSSIA, CHINA, MONGOLIA, NORTH_KOREA = "Russia", "China", "Mongolia", "North Korea"
SOUTH_KOREA, JAPAN, TAIWAN = "South Korea", "Japan", "Taiwan"
# Coordinates are written to 0.001° (about 100 m), below what zoom 8 can show.
GRID = 0.001
WGS84 = "EPSG:4326"
# Metric projections. Areas: Albers equal-area conic for Northeast Asia. Distances and buffers:
# Lambert conformal conic with standard parallels 44° and 54° N, which bracket the border from
# the Tumen (42.4° N) to the top of the Amur (53.6° N): its scale error there is under 1%.
EQUAL_AREA = "+proj=aea +lat_1=44 +lat_2=54 +lat_0=40 +lon_0=125 +datum=WGS84 +units=m +no_defs"
CONFORMAL = "+proj=lcc +lat_1=44 +lat_2=54 +lat_0=40 +lon_0=125 +datum=WGS84 +units=m +no_defs"


def node_modules() -> Path:
    return Path(settings.BASE_DIR) / "node_modules"


class TopoJSON:
    """Just enough of a TopoJSON reader for Natural Earth's countries."""

    def __init__(self, path: Path):
        if not path.is_file():
            raise FileNotFoundError(f"{path} (run `npm ci` in the project directory)")
        doc = json.loads(path.read_text(encoding="utf-8"))
        (sx, sy), (tx, ty) = doc["transform"]["scale"], doc["transform"]["translate"]
        self.arcs = []
        for arc in doc["arcs"]:
            xy = np.cumsum(np.asarray(arc, dtype=float), axis=0)
            self.arcs.append(np.column_stack([xy[:, 0] * sx + tx, xy[:, 1] * sy + ty]))
        self.countries = {
            g["properties"]["name"]: g for g in doc["objects"]["countries"]["geometries"]
        }

    def arc(self, index: int) -> np.ndarray:
        return self.arcs[index] if index >= 0 else self.arcs[~index][::-1]

    def arc_ids(self, country: str) -> set[int]:
        found: set[int] = set()

        def walk(node: Any) -> None:
            if isinstance(node, int):
                found.add(node if node >= 0 else ~node)
            else:
                for child in node:
                    walk(child)

        walk(self.countries[country]["arcs"])
        return found

    def shared_boundary(self, a: str, b: str) -> list[LineString]:
        """The arcs two countries share, merged into lines (each as stored, unprojected)."""
        ids = sorted(self.arc_ids(a) & self.arc_ids(b))
        merged = linemerge([LineString(self.arcs[i]) for i in ids])
        return list(getattr(merged, "geoms", [merged]))

    def owners(self) -> dict[int, set[str]]:
        """Each arc's countries: one for a coast, two for a land boundary."""
        found: dict[int, set[str]] = {}
        for name in sorted(self.countries):
            for i in self.arc_ids(name):
                found.setdefault(i, set()).add(name)
        return found

    def country(self, name: str, arc: Callable[[int], np.ndarray] | None = None) -> BaseGeometry:
        """A country as a valid (Multi)Polygon, longitudes unwrapped east of the antimeridian.

        ``arc`` gives an arc's points by index (reversed for a negative one), e.g. simplified:
        countries built from the same arcs still share their boundaries exactly.
        """
        arc = arc or self.arc
        geom = self.countries[name]
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        parts = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                xy = np.concatenate([arc(i)[(0 if k == 0 else 1) :] for k, i in enumerate(ring)])
                xy = xy.copy()
                xy[xy[:, 0] < 0, 0] += 360.0  # Chukotka: -180..-169 becomes 180..191
                rings.append(xy)
            # A simplified islet or lake can shrink to a line: it is left out.
            if len(rings[0]) >= 4:
                parts.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
        # Quantised coordinates leave some rings self-touching; "structure" keeps the areas
        # (the default method returns a collection whose boundary is empty).
        fixed = shapely.make_valid(MultiPolygon(parts), method="structure", keep_collapsed=False)
        return shapely.union_all([g for g in getattr(fixed, "geoms", [fixed]) if g.area > 0])


@cache
def world_atlas() -> TopoJSON:
    return TopoJSON(node_modules() / WORLD_ATLAS)


def in_crs(geom: BaseGeometry, crs: str) -> geopandas.GeoSeries:
    """A lon/lat geometry as a one-row GeoSeries projected to ``crs`` (in metres)."""
    return geopandas.GeoSeries([geom], crs=WGS84).to_crs(crs)


def area_km2(geom: BaseGeometry) -> int:
    """Area on the Albers equal-area projection, rounded to 1,000 km²."""
    return round(in_crs(geom, EQUAL_AREA).area.iloc[0] / 1e6 / 1000) * 1000


def length_km(geom: BaseGeometry) -> float:
    """Length on the Lambert conformal conic projection, in km."""
    return float(in_crs(geom, CONFORMAL).length.iloc[0]) / 1000


def to_grid(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the 0.001° grid, keeping polygons valid; outer rings counter-clockwise."""
    snapped = shapely.set_precision(geom, GRID)
    if isinstance(snapped, Polygon):
        return orient(snapped, 1.0)
    if isinstance(snapped, MultiPolygon):
        return MultiPolygon([orient(p, 1.0) for p in snapped.geoms])
    return snapped


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with coordinates as plain rounded floats (stable text)."""

    def clean(node: Any) -> Any:
        if isinstance(node, (tuple, list)):
            if node and isinstance(node[0], float | int):
                return [round(float(v), 3) for v in node]
            return [clean(n) for n in node]
        return node

    data = mapping(geom)
    return {"type": data["type"], "coordinates": clean(data["coordinates"])}


def write_collection(path: Path, features: list[dict[str, Any]]) -> Path:
    """One Feature per line, keys in a fixed order, so that diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    return path


def feature(geom: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": properties["slug"],
        "geometry": geometry_json(to_grid(geom)),
        "properties": properties,
    }
