"""The kinds of feature, as one registry: name, legend entry, style, drawing order, export file.

The order of ``KINDS`` is the drawing order, bottom to top: areas, then lines, then points. A new
kind of feature is an entry here, its words in the catalogs (locale/) and its features in
geodata/; the models take their choices from here (a callable, so no migration), the map its
styles, order and legend, ``export_atlas`` the file its features go to.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class KindSpec:
    slug: str
    name: Promise  # in a sentence: "On the map from this date (treaty port)"
    legend: Promise  # the legend's entry
    geometry: Literal["point", "line", "area"]
    color: str  # Okabe & Ito's colour-blind-safe palette
    export_file: str  # the file of geodata/ that holds this kind's features
    style: dict[str, Any] = field(default_factory=dict)  # radius of a point, weight of a line
    # The other powers' gains, shown as the context of Russia's: drawn as rings (a point) or
    # dashed (a line), grouped apart in the legend.
    context: bool = False
    # How much its features' names matter on the map (0–100): where two would overlap, the
    # less important gives way. A feature's own ``label.importance`` comes first.
    importance: int = 50
    # The map's ground (the states of each year): drawn under the sea, each feature in its own
    # tint (``fill``), with no marks for "new" or "ended this year" and not listed as such.
    backdrop: bool = False


KINDS: tuple[KindSpec, ...] = (
    KindSpec("state", _("state"), _("States at the end of the year"), "area",
             "#8A7F70", "states.geojson", {"weight": 0.8}, importance=95, backdrop=True),
    KindSpec("trade_zone", _("duty-free trade zone"), _("100-li duty-free zone"), "area",
             "#009E73", "trade_zone.geojson", {"weight": 1}),
    KindSpec("undelimited", _("undelimited land"), _("Left undelimited (1689)"), "area",
             "#999999", "territories.geojson", {"weight": 1}),
    KindSpec("cession", _("cession"), _("Ceded to Russia"), "area",
             "#E69F00", "territories.geojson", {"weight": 1}),
    KindSpec("common_territory", _("territory held in common"), _("Held in common"), "area",
             "#56B4E9", "territories.geojson", {"weight": 1}),
    KindSpec("border", _("border"), _("Border"), "line",
             "#000000", "borders.geojson", {"weight": 3}),
    KindSpec("route", _("trade route"), _("Trade route"), "line",
             "#882255", "routes.geojson", {"weight": 3}),
    KindSpec("journey", _("voyage or march"), _("Voyage or march"), "line",
             "#44AA99", "routes.geojson", {"weight": 2.5}),
    # Rings, drawn under the Russian marks: a port open to Russian ships sits inside its ring.
    KindSpec("open_port", _("port open to foreign trade"), _("Open to foreign trade (1842–1860)"),
             "point", "#6E6E6E", "places.geojson", {"radius": 11}, context=True, importance=35),
    KindSpec("british_cession", _("ceded to Britain"), _("Ceded to Britain"), "point",
             "#E69F00", "places.geojson", {"radius": 9}, context=True, importance=55),
    KindSpec("site", _("site of an event"), _("Site of an event"), "point",
             "#332288", "places.geojson", {"radius": 6}, importance=50),
    KindSpec("city", _("city"), _("City"), "point",
             "#222222", "places.geojson", {"radius": 6}, importance=70),
    KindSpec("fort", _("fort"), _("Fort"), "point",
             "#6B6B6B", "places.geojson", {"radius": 6}, importance=45),
    KindSpec("mission", _("mission"), _("Ecclesiastical Mission"), "point",
             "#CC79A7", "places.geojson", {"radius": 7}, importance=60),
    KindSpec("settlement", _("settlement"), _("Russian post or town"), "point",
             "#D55E00", "places.geojson", {"radius": 7}, importance=75),
    KindSpec("treaty_port", _("port open to Russian ships"), _("Open to Russian ships from 1858"),
             "point",
             "#0072B2", "places.geojson", {"radius": 8}, importance=80),
)  # fmt: skip

BY_SLUG: dict[str, KindSpec] = {k.slug: k for k in KINDS}


def choices() -> list[tuple[str, Promise]]:
    """The model field's choices (a callable: a new kind needs no migration)."""
    return [(k.slug, k.name) for k in KINDS]


def get(slug: str) -> KindSpec:
    return BY_SLUG[slug]


def styles() -> dict[str, dict[str, Any]]:
    """Every kind's style for the page's script, in drawing order (no words: the same in
    every language)."""
    return {
        k.slug: {
            "color": k.color,
            "geometry": k.geometry,
            "order": i,
            "context": k.context,
            "importance": k.importance,
            "backdrop": k.backdrop,
            **k.style,
        }
        for i, k in enumerate(KINDS)
    }


def legend_labels() -> dict[str, str]:
    """Every kind's legend entry in the active language."""
    return {k.slug: str(k.legend) for k in KINDS}


def names() -> dict[str, str]:
    """Every kind's name in the active language, as a feature is named to a screen reader
    ("Shanghai, port open to Russian ships")."""
    return {k.slug: str(k.name) for k in KINDS}
