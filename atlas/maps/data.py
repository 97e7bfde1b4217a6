"""The data every map of the atlas shares: what goes into its data files (atlas.datafiles).

    base       the base map the app draws: sea, lakes and rivers (GeoJSON by layer name)
    features   every feature of every year in its public shape with the years it is on the
               map (atlas.shapes.page_feature), and each kind's style: no words of a language
    words      one language's words: each feature's popup and name, the legend, the interface,
               the map's own names (regions, seas, lakes, rivers)

A page carries only its own words and which year, mode and features it shows (the widgets'
JSON); these three are files that every page (map, presentation, embed, place) reuses.
No database queries here: the features come with their treaty basis prefetched.
"""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext

from .. import kinds, shapes
from ..calendars import format_dual
from ..i18n import current_language, translate
from ..mapnames import map_names
from ..models import Feature


@dataclass(frozen=True)
class DataLinks:
    """The addresses of the data files a map page loads (``None``: no base map), and of the
    index of the base map's detailed level, which the page loads when it zooms in (``None``:
    the coarse level alone)."""

    base: str | None
    features: str
    words: str
    tiles: str | None = None


def popup_html(feature: Feature) -> str:
    """The popup of one feature: what it is, its treaty basis, dates and sources (escaped).

    It does not depend on the year shown; the page marks "new this year" itself.
    """
    basis = [
        {
            "role": link.get_role_display(),
            "clause": link.clause,
            "treaty": link.clause.treaty,
            "signed": format_dual(
                link.clause.treaty.signed_gregorian,
                julian=link.clause.treaty.signed_julian,
                lang=current_language(),
            ),
        }
        for link in feature.basis.all()
    ]
    return render_to_string(
        "atlas/_popup.html",
        {
            "feature": feature,
            "basis": basis,
            "kind": kinds.get(feature.kind).name,
            "valid_from": format_dual(
                feature.valid_from, feature.valid_from_precision, lang=current_language()
            ),
            "valid_to": (
                format_dual(feature.valid_to, feature.valid_to_precision, lang=current_language())
                if feature.valid_to
                else ""
            ),
        },
    ).strip()


def ui_texts() -> dict[str, str]:
    """The words the page's script shows, in the active language."""
    return {
        "legend": gettext("Legend"),
        "approximate": gettext("Dashed: approximate"),
        "play": gettext("Play"),
        "pause": gettext("Pause"),
        "not_found": gettext("No place called “{name}” on the map."),
        "context": gettext("The other powers (context)"),
        "switches": gettext("Legend: show or hide each kind of feature"),
        "found": gettext("{name}: on the map of {year}."),
        "km": gettext("km"),
        "m": gettext("m"),
    }


# The base map's layers the map draws at its coarse level. The land is the map's ground (its
# container's background), so land.geojson stays on the server (the admin's previews).
DRAWN_BASE_LAYERS = ("sea", "lakes", "rivers")


def base_data(layers: dict[str, Any]) -> dict[str, Any]:
    """The base map's layers that the map draws (GeoJSON FeatureCollections by name: sea, in
    pieces, lakes, rivers)."""
    return {name: layers[name] for name in DRAWN_BASE_LAYERS if name in layers}


def features_data(features: list[Feature]) -> dict[str, Any]:
    """Every feature, with the years it is on the map, and the kinds' styles."""
    return {
        "features": shapes.collection(shapes.page_feature(f) for f in features),
        "styles": kinds.styles(),
    }


def words_data(features: list[Feature]) -> dict[str, Any]:
    """The active language's words: popups and names by slug, legend entries by kind, the
    interface's words, and the map's own names (atlas.mapnames)."""
    return {
        "lang": current_language(),
        "popups": {f.slug: popup_html(f) for f in features},
        "names": {f.slug: translate(f.name) for f in features},
        "legend": kinds.legend_labels(),
        "kinds": kinds.names(),
        "text": ui_texts(),
        "mapnames": map_names(),
    }
