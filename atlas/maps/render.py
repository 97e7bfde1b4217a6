"""folium.Map ➜ the header, body and script parts a Django template embeds (no iframe)."""

from dataclasses import dataclass

import folium


@dataclass(frozen=True)
class MapComponents:
    header: str  # <link>/<script src>/<style> for the page's <head>
    html: str  # the map's <div>
    script: str  # JavaScript, to be wrapped in one <script> after the div

    @property
    def size(self) -> int:
        return len(self.header) + len(self.html) + len(self.script)


def map_components(fmap: folium.Map) -> MapComponents:
    """Render a map once and split it into the parts of folium's "components" approach."""
    root = fmap.get_root()
    root.render()
    return MapComponents(
        header=root.header.render(),
        html=root.html.render(),
        script=root.script.render(),
    )
