"""Map builders: the state of the atlas at a year ➜ folium.Map. No database queries here.

A map names the data files it draws from (atlas.maps.data, served by atlas.datafiles) and
carries only what is its own: the year, the mode, which features it shows, its legend.
"""

from typing import Any

from .. import geo, kinds
from ..models import Feature
from ..timerule import clamp_year
from .data import DataLinks
from .elements import AtlasMap, BaseMap, FeatureLayer, LayerSwitches, Legend, MapLabels

# The atlas' region: from Lake Baikal to Hainan, Kashgar's longitude to Sakhalin.
DEFAULT_CENTER = (41.0, 118.0)
DEFAULT_ZOOM = 4
MIN_ZOOM, MAX_ZOOM = 3, 8
MODES = ("atlas", "present", "embed")
# The base map's land reaches lon 30–200, lat -12–80; the view stays inside this box.
MAX_BOUNDS = ((-5.0, 40.0), (75.0, 190.0))


# A point feature opened or shown alone is seen at this zoom (or closer); an area is framed,
# up to OPEN_AREA_ZOOM when opened and PLACE_ZOOM on its own page, where it is shown with
# its surroundings (half its size again on every side).
POINT_ZOOM = 5
OPEN_AREA_ZOOM = 6
PLACE_ZOOM = 5
PLACE_MARGIN = 0.5


def first_view(geometry: dict[str, Any], *, max_zoom: int, margin: float = 0.0) -> dict[str, Any]:
    """The first view of a map that shows one feature: a point at its centre, at POINT_ZOOM;
    anything else framed by its bounds (widened by ``margin`` of its size on each side), no
    closer than ``max_zoom``. atlas.js sets it before drawing anything, as Leaflet's setView
    and fitBounds would, and does not move the view again when it opens the feature."""
    shape = geo.parse_geometry(geometry)
    if shape.geom_type == "Point":
        return {"center": [shape.y, shape.x], "zoom": max(DEFAULT_ZOOM, POINT_ZOOM)}
    west, south, east, north = shape.bounds
    dy, dx = (north - south) * margin, (east - west) * margin
    return {"bounds": [[south - dy, west - dx], [north + dy, east + dx]], "max_zoom": max_zoom}


def bounds_view(bounds: list[list[float]]) -> dict[str, Any]:
    """The first view of a presentation step: its bounds, [[lon, lat], [lon, lat]]."""
    (west, south), (east, north) = bounds
    return {"bounds": [[south, west], [north, east]]}


def _atlas_map(**kwargs: Any) -> AtlasMap:
    return AtlasMap(
        location=DEFAULT_CENTER,
        zoom_start=DEFAULT_ZOOM,
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        max_bounds=True,
        min_lat=MAX_BOUNDS[0][0],
        min_lon=MAX_BOUNDS[0][1],
        max_lat=MAX_BOUNDS[1][0],
        max_lon=MAX_BOUNDS[1][1],
        **kwargs,
    )


def _base_options(data: DataLinks) -> dict[str, Any]:
    """The base map's options: the index of its detailed level, if there is one."""
    return {"tiles": data.tiles} if data.tiles else {}


def build_atlas_map(
    *,
    features: list[Feature],
    year: int,
    years: range,
    data: DataLinks,
    open_feature: str | None = None,
    mode: str = "atlas",
    view: dict[str, Any] | None = None,
) -> AtlasMap:
    """The atlas map, showing the state at the end of ``year``.

    ``features`` are all the atlas' features (their kinds and certainty make the legend); the
    page draws them from the data files ``data`` names, shows those of the chosen year and can
    move to any year in ``years`` without a request. The base map is the app's own land, lakes
    and rivers (``data.base``; none if None): there is no tile layer, so no network.
    ``open_feature`` opens that feature's popup on load. ``mode`` is "atlas" (the page's year
    control drives the map), "present" (the story drives it; thicker lines and larger marks
    for a projector) or "embed" (one year, no controls). ``view`` is the first view, when it
    is not the whole region (``first_view``, ``bounds_view``).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    fmap = _atlas_map(control_scale=mode == "atlas", view=view)
    if data.base:
        BaseMap(_base_options(data), data=[data.base]).add_to(fmap)
    FeatureLayer(
        {
            "year": year,
            "years": [years[0], years[-1]],
            "open": open_feature,
            "controls": mode == "atlas",
            "mode": mode,
            "words": data.words,
        },
        data=[data.features, data.words],
    ).add_to(fmap)
    shown = {f.kind for f in features}
    # The legend reads top to bottom as the map stacks: points first, areas last.
    Legend(
        {
            "kinds": [k.slug for k in reversed(kinds.KINDS) if k.slug in shown],
            "approximate": any(f.certainty != "exact" for f in features),
        }
    ).add_to(fmap)
    # A projector and an iframe show the map first: the legend opens from its title.
    LayerSwitches({"folded": mode != "atlas"}).add_to(fmap)
    # The names on the map: the features', and the map's own from the words file.
    MapLabels({"mode": mode}).add_to(fmap)
    return fmap


def build_place_map(*, feature: Feature, data: DataLinks) -> AtlasMap:
    """A small map of one feature for its page: the feature alone, framed with its
    surroundings (``first_view``), on the base map.

    It draws from the same data files as the atlas' maps (a reader who comes from the map has
    them already). A feature older than the atlas' years is drawn as it was in their first
    (``clamp_year``).
    """
    view = first_view(feature.geometry, max_zoom=PLACE_ZOOM, margin=PLACE_MARGIN)
    fmap = _atlas_map(view=view)
    if data.base:
        BaseMap(_base_options(data), data=[data.base]).add_to(fmap)
    year = clamp_year(feature.valid_from.year)
    FeatureLayer(
        {
            "year": year,
            "years": [year, year],
            "only": [feature.slug],
            "controls": False,
            "words": data.words,
        },
        data=[data.features, data.words],
    ).add_to(fmap)
    MapLabels({"mode": "place"}).add_to(fmap)
    return fmap
