"""The atlas' own folium widgets. Their JavaScript lives in static/atlas/atlas.js.

Each widget is a MacroElement whose template hands its data to ``window.atlas``; assets are our
own static files, set per instance (never by mutating folium's class-level lists).
"""

import json
import re
from typing import Any

import folium
import jinja2
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from ..links import static_link


def js_literal(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element and inside folium's Jinja templates.

    No '</script>' or HTML comment can close the element, and no '{{', '{%' or '{#' can reach
    branca, which renders the map's script as a Jinja template: data must never be run as
    template code. In JSON such a brace can only be inside a string, where \\u007b means '{'.
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
    """A folium map that loads Leaflet from our own origin and nothing else.

    folium's header is left out of the page: it would add a second viewport tag, the one
    browsers obey, that forbids zooming (``maximum-scale=1.0, user-scalable=no``), and inline
    styles that atlas.css holds. Its map element and script are folium's own.
    """

    # Only folium's own output passes through it, unchanged (escaping it would break it).
    _template = jinja2.Environment().from_string(  # noqa: S701
        """
        {% macro html(this, kwargs) %}{{ folium.html(this, kwargs) }}{% endmacro %}
        {% macro script(this, kwargs) %}{{ folium.script(this, kwargs) }}{% endmacro %}
        """,
        globals={"folium": folium.Map._template.module},
    )

    def render(self, **kwargs: Any) -> None:
        super().render(**kwargs)
        # The figure's http-equiv content type would repeat the page's own <meta charset>.
        self.get_root().header._children.pop("meta_http", None)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.default_js = [("leaflet", static_link("vendor/leaflet/leaflet.js"))]
        self.default_css = [
            ("leaflet_css", static_link("vendor/leaflet/leaflet.css")),
            ("atlas_css", static_link("atlas/atlas.css")),
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
        self.default_js = [("atlas_js", static_link("atlas/atlas.js"))]


class BaseMap(_AtlasElement):
    """The app's own land, lakes and rivers, drawn under everything; not interactive."""

    _call = "addBaseMap"


class FeatureLayer(_AtlasElement):
    """The year's features, styled by kind, each with its popup (treaty basis) and label."""

    _call = "addFeatures"


class Legend(_AtlasElement):
    """A legend of the kinds on the map, with the line styles for approximate geometry."""

    _call = "addLegend"
