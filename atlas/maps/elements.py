"""The atlas' own folium widgets. Their JavaScript lives in static/atlas/atlas.js.

Each widget is a MacroElement whose template hands its data to ``window.atlas``; assets are our
own static files, set per instance (never by mutating folium's class-level lists).
"""

import json
from typing import Any

import folium
from branca.element import MacroElement
from django.templatetags.static import static
from folium.elements import JSCSSMixin
from jinja2 import Template

# Okabe & Ito's colour-blind-safe palette; one colour per kind of feature.
KIND_STYLES: dict[str, dict[str, Any]] = {
    "treaty_port": {"color": "#0072B2", "radius": 8, "label_en": "Treaty port (1858)"},
    "city": {"color": "#222222", "radius": 6, "label_en": "City"},
    "mission": {"color": "#CC79A7", "radius": 7, "label_en": "Ecclesiastical Mission"},
    "settlement": {"color": "#D55E00", "radius": 7, "label_en": "Russian post or town"},
    "fort": {"color": "#6B6B6B", "radius": 6, "label_en": "Fort"},
    "border": {"color": "#000000", "weight": 3, "label_en": "Border"},
    "cession": {"color": "#E69F00", "weight": 1, "label_en": "Ceded to Russia"},
    "common_territory": {"color": "#56B4E9", "weight": 1, "label_en": "Held in common"},
    "undelimited": {"color": "#999999", "weight": 1, "label_en": "Left undelimited (1689)"},
    "trade_zone": {"color": "#009E73", "weight": 1, "label_en": "100-li duty-free zone"},
    "route": {"color": "#882255", "weight": 3, "label_en": "Trade route"},
}


def js_literal(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element (no '</script>', no HTML comments)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class AtlasMap(folium.Map):
    """A folium map that loads Leaflet from our own origin and nothing else."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
        self.default_css = [
            ("leaflet_css", static("vendor/leaflet/leaflet.css")),
            ("atlas_css", static("atlas/atlas.css")),
        ]


class _AtlasElement(JSCSSMixin, MacroElement):
    """Base for widgets whose script is a single call into atlas.js with JSON data."""

    _call = ""
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            window.atlas.{{ this._call }}({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]):
        super().__init__()
        self._name = type(self).__name__
        self.data = js_literal(data)
        self.default_js = [("atlas_js", static("atlas/atlas.js"))]


class BaseMap(_AtlasElement):
    """The app's own land, lakes and rivers, drawn under everything; not interactive."""

    _call = "addBaseMap"


class FeatureLayer(_AtlasElement):
    """The year's features, styled by kind, each with its popup (treaty basis) and label."""

    _call = "addFeatures"


class Legend(_AtlasElement):
    """A legend of the kinds on the map, with the line styles for approximate geometry."""

    _call = "addLegend"
