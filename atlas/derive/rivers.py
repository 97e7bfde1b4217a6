"""The rivers of the offline base map: WDBII lines joined into one network, river-lakes
(both banks of a wide river, from GSHHG) replaced by their centre lines, and each named river of
``basemap.RIVERS`` routed through the network from its source to its mouth. See atlas/derive/
basemap.py for the sources and the step that writes the layers.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.strtree import STRtree

from .basemap import (
    BANK_BUFFER,
    BRANCH_MIN,
    DIGITS,
    GAP,
    LAKE_DETOUR,
    LAKE_MIN_KM2,
    LAKES,
    MAX_BRANCHES,
    RIVER_TOLERANCE,
    RIVERS,
    SKELETON_STEP,
    SNAP,
    Record,
    _lines,
    _named,
    _polygons,
    _river_lakes,
    _valid,
)

# --- the centre line of a river-lake ---------------------------------------------------------


def _dijkstra(adjacency: dict, start, target=None) -> tuple[dict, dict]:
    """Shortest distances from ``start`` (a node, or a set of nodes all at distance 0)."""
    starts = sorted(start) if isinstance(start, set) else [start]
    dist = {s: 0.0 for s in starts}
    prev: dict = {}
    heap = [(0.0, s) for s in starts]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        if node == target:
            break
        for other, w in adjacency[node]:
            nd = d + w
            if nd < dist.get(other, math.inf):
                dist[other] = nd
                prev[other] = node
                heapq.heappush(heap, (nd, other))
    return dist, prev


def _path(prev: dict, start, target) -> list:
    path = [target]
    while path[-1] != start and path[-1] in prev:
        path.append(prev[path[-1]])
    return path[::-1]


def _length(a, b) -> float:
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1])


def _centre_lines(polygon: Polygon) -> list[LineString]:
    """The centre lines of a long thin polygon: the longest path through its Voronoi skeleton,
    then each branch at least ``BRANCH_MIN`` long, longest first. A river-lake can hold two
    rivers where they meet (the Amur and the Sungari's lower course are one polygon in GSHHG):
    each arm keeps its own line."""
    boundary = shapely.segmentize(polygon.boundary, SKELETON_STEP)
    points = MultiPoint(shapely.get_coordinates(boundary))
    edges = np.array(_lines(shapely.voronoi_polygons(points, only_edges=True)), dtype=object)
    shapely.prepare(polygon)
    inside = edges[shapely.contains(polygon, edges)]
    adjacency: dict = {}
    for edge in inside:
        a, b = (tuple(np.round(c, 9)) for c in edge.coords[:2])
        w = _length(a, b)
        adjacency.setdefault(a, []).append((b, w))
        adjacency.setdefault(b, []).append((a, w))
    if not adjacency:
        return None
    first = min(adjacency)
    dist, _ = _dijkstra(adjacency, first)
    end_a = max(sorted(dist), key=dist.__getitem__)
    dist, prev = _dijkstra(adjacency, end_a)
    end_b = max(sorted(dist), key=dist.__getitem__)
    path = _path(prev, end_a, end_b)
    if len(path) < 2:
        return []
    lines = [LineString(path)]
    on_lines = set(path)
    for _ in range(MAX_BRANCHES):
        dist, prev = _dijkstra(adjacency, on_lines)
        far = max(sorted(dist), key=dist.__getitem__)
        if dist[far] < BRANCH_MIN:
            break
        branch = _path(prev, None, far)  # back to the nearest node already on a line
        lines.append(LineString(branch))
        on_lines.update(branch)
    return lines


# --- the river network -----------------------------------------------------------------------


class Network:
    """WDBII lines as a graph of their vertices, with river-lakes replaced by centre lines.

    WDBII tributaries often end on their main river between its vertices or just short of it,
    so every loose end is joined to the nearest line within ``GAP`` and the whole set is noded
    (split where lines meet) before it becomes a graph.
    """

    def __init__(self, lines: list[LineString], river_lakes: list[Polygon], lakes: list[Polygon]):
        banks = [p.buffer(BANK_BUFFER) for p in river_lakes]
        tree = STRtree(banks)
        kept = []
        for line in lines:
            hits = tree.query(line, predicate="intersects")
            inside = sum(line.intersection(banks[i]).length for i in hits)
            if hits.size and inside >= 0.8 * line.length:
                continue
            kept.append(line)
        self.dropped = len(lines) - len(kept)
        self.centre_lines = []
        extra = []
        for polygon in river_lakes:
            lines = _centre_lines(polygon)
            if not lines:
                continue
            self.centre_lines.extend(lines)
            extra.extend(lines)
            centre = shapely.MultiLineString(lines) if len(lines) > 1 else lines[0]
            near = polygon.buffer(SNAP)
            shapely.prepare(near)
            for line in kept:
                for end in (line.coords[0], line.coords[-1]):
                    if near.contains(Point(end)):
                        extra.append(_connector(end, centre))
        extra.extend(_gap_connectors(kept))
        noded = shapely.union_all([*kept, *extra], grid_size=1e-5)  # snap-rounded noding
        self.adjacency: dict = {}
        for part in _lines(noded):
            self._chain(list(part.coords))
        self.hidden: set = set()
        self._bridge(lakes, kept)
        self.nodes = sorted(k for k in self.adjacency if len(k) == 2)
        self.coords = np.array(self.nodes)
        self.component = self._components()

    def _bridge(self, lakes: list[tuple[Polygon, bool]], lines: list[LineString]) -> None:
        """Rivers flowing into a lake or reservoir and out of it are joined through a hub.

        Through a lake that is drawn, the river is not drawn (the route breaks at its shores);
        through one too small to be drawn, it crosses straight from shore to shore.
        """
        ends = {}
        for line in lines:
            for end in (line.coords[0], line.coords[-1]):
                ends[self._key(end)] = Point(end)
        points = sorted(ends)
        tree = STRtree([ends[k] for k in points])
        for polygon, drawn in lakes:
            near = polygon.buffer(SNAP)
            hits = sorted(tree.query(near, predicate="contains"))
            if len(hits) < 2:
                continue
            hub = (*self._key(polygon.representative_point().coords[0]), 0.0)  # 3-tuple: no vertex
            for i in hits:
                key = points[i]
                w = LAKE_DETOUR * _length(key, hub)
                self.adjacency.setdefault(key, []).append((hub, w))
                self.adjacency.setdefault(hub, []).append((key, w))
                if drawn:
                    self.hidden.add(frozenset((key, hub)))

    def _components(self) -> dict:
        component: dict = {}
        for start in sorted(self.adjacency):
            if start in component:
                continue
            component[start] = start
            stack = [start]
            while stack:
                node = stack.pop()
                for other, _ in self.adjacency[node]:
                    if other not in component:
                        component[other] = start
                        stack.append(other)
        return component

    @staticmethod
    def _key(c) -> tuple:
        return (round(c[0], 5), round(c[1], 5))

    def _chain(self, coords: list) -> None:
        keys = [self._key(c) for c in coords]
        for a, b in zip(keys, keys[1:], strict=False):
            if a == b:
                continue
            w = _length(a, b)
            self.adjacency.setdefault(a, []).append((b, w))
            self.adjacency.setdefault(b, []).append((a, w))

    def nearest(self, lon: float, lat: float, component=None) -> tuple:
        k = math.cos(math.radians(lat))
        d = ((self.coords[:, 0] - lon) * k) ** 2 + (self.coords[:, 1] - lat) ** 2
        if component is not None:
            d[[self.component[n] != component for n in self.nodes]] = np.inf
        return self.nodes[int(np.argmin(d))]

    def route(self, waypoints: list[tuple[float, float]]):
        """The river through the waypoints: a list of drawn pieces (lists of coordinates).

        Waypoints are snapped within the network component most of them are nearest to, so
        a stray line near the source or the mouth does not take the route elsewhere.
        """
        votes = [self.component[self.nearest(*w)] for w in waypoints]
        component = max(sorted(set(votes)), key=votes.count)
        keys = [self.nearest(*w, component=component) for w in waypoints]
        path: list = [keys[0]]
        for a, b in zip(keys, keys[1:], strict=False):
            if a != b:
                _, prev = _dijkstra(self.adjacency, a, b)
                for node in _path(prev, a, b)[1:]:
                    # A waypoint that snapped onto a tributary makes an out-and-back: cut it.
                    if len(path) > 1 and path[-2] == node:
                        path.pop()
                    else:
                        path.append(node)
        pieces: list = [[]]
        for a, b in zip(path, path[1:], strict=False):
            if frozenset((a, b)) in self.hidden:
                if pieces[-1]:
                    pieces.append([])
                continue
            if len(b) == 3:  # into a lake that is not drawn: cross it straight to the next shore
                continue
            if not pieces[-1]:
                pieces[-1].append(a)
            pieces[-1].append(b)
        return [p for p in pieces if len(p) > 1]


def _connector(end, line: LineString) -> LineString:
    """From ``end`` to the nearest point of ``line``, a hair beyond it so that noding splits it."""
    q = line.interpolate(line.project(Point(end)))
    dx, dy = q.x - end[0], q.y - end[1]
    d = math.hypot(dx, dy)
    if d == 0:
        return LineString([end, (q.x + 1e-6, q.y + 1e-6)])
    k = 1 + 1e-5 / d
    return LineString([end, (end[0] + dx * k, end[1] + dy * k)])


def _gap_connectors(lines: list[LineString]) -> list[LineString]:
    """Join each line end that is not a vertex of another line to the nearest line nearby."""
    vertices: dict = {}
    for i, line in enumerate(lines):
        for c in line.coords:
            vertices.setdefault(Network._key(c), set()).add(i)
    tree = STRtree(lines)
    out = []
    for i, line in enumerate(lines):
        for end in (line.coords[0], line.coords[-1]):
            if vertices[Network._key(end)] - {i}:
                continue
            point = Point(end)
            near = [j for j in tree.query(point.buffer(GAP)) if j != i]
            if not near:
                continue
            j = min(near, key=lambda j: (lines[j].distance(point), j))
            if lines[j].distance(point) <= GAP:
                out.append(_connector(end, lines[j]))
    return out


def named_rivers(records: list[Record], shores: list[Record], clip: Polygon, progress):
    river_lakes = _river_lakes(shores)
    lakes = []
    for r in shores:
        if r.level == 2 and r.area > 0 and len(r.points) >= 4:
            for p in _polygons(_valid(Polygon(r.points))):
                drawn = r.area >= LAKE_MIN_KM2 or _named(p, LAKES) is not None
                lakes.append((p, drawn))
    lines = [LineString(r.points) for r in records if len(r.points) >= 2]
    network = Network(lines, river_lakes, lakes)
    progress(
        f"river network: {len(lines):,} lines ({network.dropped:,} river-lake banks dropped), "
        f"{len(network.centre_lines)} river-lake centre lines, {len(network.nodes):,} nodes"
    )
    features = []
    for slug, name, waypoints in RIVERS:
        pieces = network.route(waypoints)
        if not pieces:
            progress(f"river {name['en']}: no route through the network, left out")
            continue
        line = shapely.MultiLineString(pieces)
        clipped = line.intersection(clip)
        simple = shapely.set_precision(
            clipped.simplify(RIVER_TOLERANCE, preserve_topology=True), 10**-DIGITS
        )
        parts = [p for p in _lines(shapely.line_merge(simple)) if p.length > 0]
        if not parts:
            continue
        geom = shapely.MultiLineString(parts) if len(parts) > 1 else parts[0]
        features.append((slug, name, geom))
    return features
