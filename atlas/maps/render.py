"""folium.Map ➜ the parts a Django template embeds (no iframe), none of them executable.

``header``: the stylesheets, then the scripts, every one a file of our origin loaded with
``defer`` (so nothing but the CSS holds up the page). ``html``: the map's ``<div>`` and, after
it, the map as JSON in a ``<script type="application/json">`` block, which a browser never runs:
atlas.js reads it and draws the map. The page needs no inline script, and the
Content-Security-Policy can be ``script-src 'self'``.

The map's element has a fixed id, so a page rendered twice (in two workers) is the same bytes.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import folium
from branca.element import Element
from django.utils.html import escape

from .elements import AtlasMap, js_literal

MAP_ID = "atlas-map"
CONFIG_ID = "atlas-map-config"


@dataclass(frozen=True)
class MapComponents:
    header: str  # <link rel="stylesheet"> and <script src defer> for the page's <head>
    html: str  # the map's <div> and its JSON block


def _elements(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _elements(child)


def map_spec(fmap: AtlasMap) -> dict:
    """The map as atlas.js reads it: Leaflet's options, then each widget's function and data
    in the order they were added."""
    layers = []
    for element in _elements(fmap):
        if element is fmap:
            continue
        if not hasattr(element, "spec"):  # it would only draw with its own inline script
            raise TypeError(f"{type(element).__name__} is not one of the atlas' map elements")
        layers.append(element.spec())
    return {"map": fmap.spec(), "layers": layers}


def assets(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """The stylesheets and the scripts of a map and its widgets, each once: the data files
    first, then the code (deferred scripts run in the page's order; atlas.js finds the data
    there when it runs)."""
    css: list[str] = []
    data: list[str] = []
    code: list[str] = []
    for element in _elements(fmap):
        for kind, found in (("default_css", css), ("data_js", data), ("default_js", code)):
            for _, url in getattr(element, kind, []):
                if url not in found:
                    found.append(url)
    return css, data + code


def map_components(fmap: AtlasMap) -> MapComponents:
    """The header and body parts of a map, rendered once."""
    css, js = assets(fmap)
    header = [f'<link rel="stylesheet" href="{escape(url)}">' for url in css]
    header += [f'<script src="{escape(url)}" defer></script>' for url in js]
    html = (
        f'<div class="folium-map atlas-map" id="{MAP_ID}"></div>\n'
        f'<script type="application/json" id="{CONFIG_ID}">{js_literal(map_spec(fmap))}</script>'
    )
    return MapComponents(header="\n".join(header), html=html)
