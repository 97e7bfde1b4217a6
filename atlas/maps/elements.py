"""The atlas' own folium widgets. Their JavaScript lives in static/atlas/atlas.js.

folium builds the map, but nothing it would write inline reaches the page: the map and each
widget describe themselves as JSON (``spec()``), which atlas.maps.render puts in a
``<script type="application/json">`` block that atlas.js reads and draws. A widget names the
atlas.js function that draws it; its assets are our own static files (and the atlas' shared
data files), set per instance — never by mutating folium's class-level lists.
"""

import json
import re
from typing import Any

import folium
from branca.element import MacroElement
from folium.utilities import camelize

from ..links import static_link


def js_literal(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element, data block or not.

    No '</script>' or HTML comment can close the element, and no '{{', '{%' or '{#' reaches
    a template engine that might read it: data must never be run as code or template code.
    In JSON such a character can only be inside a string, where its \\u escape means the same.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


class AtlasMap(folium.Map):
    """A folium map that loads Leaflet from our own origin and nothing else."""

    def __init__(self, *, view: dict[str, Any] | None = None, **kwargs: Any):
        if isinstance(kwargs.get("zoom_control"), str):
            raise ValueError("the atlas' map keeps Leaflet's zoom control where it is")
        super().__init__(**kwargs)
        # The first view, when it is not the default: {"center": [lat, lon], "zoom": z} or
        # {"bounds": [[south, west], [north, east]], "max_zoom": z} (builders.first_view).
        self.view = view
        self.default_js = [("leaflet", static_link("vendor/leaflet/leaflet.js"))]
        self.default_css = [
            ("leaflet_css", static_link("vendor/leaflet/leaflet.css")),
            ("atlas_css", static_link("atlas/atlas.css")),
        ]

    def spec(self) -> dict[str, Any]:
        """What folium's template would pass to ``L.map()``, as JSON for atlas.js."""
        return {
            "center": list(self.location),
            "crs": self.crs,
            "options": {camelize(key): value for key, value in self.options.items()},
            "scale": bool(self.control_scale),
            **({"view": self.view} if self.view else {}),
        }


class _AtlasElement(MacroElement):
    """Base for widgets drawn by one atlas.js function (``_call``) with JSON ``options``, from
    the data files ``data`` (their addresses: scripts loaded before atlas.js). A widget drawn
    by a script of its own names it and its stylesheet (``_script``, ``_stylesheet``, static
    paths); ``_before`` puts its script before atlas.js rather than after it."""

    _call = ""
    _script = ""
    _stylesheet = ""
    _before = False

    def __init__(self, options: dict[str, Any], *, data: list[str] = ()):
        super().__init__()
        self._name = type(self).__name__
        self.options = options
        self.data_js = [(f"atlas_data_{i}", url) for i, url in enumerate(data)]
        self.default_js = [("atlas_js", static_link("atlas/atlas.js"))]
        self.default_css: list[tuple[str, str]] = []
        if self._script:
            own = (f"atlas_{self._call}_js", static_link(self._script))
            self.default_js = [own, *self.default_js] if self._before else [*self.default_js, own]
        if self._stylesheet:
            self.default_css = [(f"atlas_{self._call}_css", static_link(self._stylesheet))]

    def spec(self) -> list[Any]:
        return [self._call, self.options]


class BaseMap(_AtlasElement):
    """The app's own sea, lakes and rivers (the base data file) over a ground of land; not
    interactive. With ``options["tiles"]`` (the index of the detailed level), the land
    and the sea at zoom 6 and closer come from tiles (static/atlas/basemap.js)."""

    _call = "addBaseMap"
    _script = "atlas/basemap.js"
    _before = True


class FeatureLayer(_AtlasElement):
    """The year's features, styled by kind, each with its popup (treaty basis) and label,
    from the features and words data files."""

    _call = "addFeatures"


class Legend(_AtlasElement):
    """A legend of the kinds on the map, with the line styles for approximate geometry."""

    _call = "addLegend"


class MapLabels(_AtlasElement):
    """The names on the map: the features' and the map's own (regions, seas, lakes, rivers),
    placed so that none overlaps another (static/atlas/labels.js)."""

    _call = "addLabels"
    _script = "atlas/labels.js"
    _stylesheet = "atlas/labels.css"


class LayerSwitches(_AtlasElement):
    """The legend's switches: a checkbox that shows or hides each kind, kept in the address;
    the legend folds behind its title (static/atlas/layers.js)."""

    _call = "addLayerSwitches"
    _script = "atlas/layers.js"
    _stylesheet = "atlas/layers.css"
