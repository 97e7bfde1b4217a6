"""Map builders: the state of the atlas at a year ➜ folium.Map. No database queries here."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext

from .. import kinds, shapes
from ..calendars import format_dual
from ..i18n import current_language, translate
from ..models import Feature
from ..timerule import clamp_year
from .elements import AtlasMap, BaseMap, FeatureLayer, Legend

# The atlas' region: from Lake Baikal to Hainan, Kashgar's longitude to Sakhalin.
DEFAULT_CENTER = (41.0, 118.0)
DEFAULT_ZOOM = 4
MIN_ZOOM, MAX_ZOOM = 3, 8
MODES = ("atlas", "present", "embed")
# The base map's land reaches lon 30–200, lat -12–80; the view stays inside this box.
MAX_BOUNDS = ((-5.0, 40.0), (75.0, 190.0))


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
        "found": gettext("{name}: on the map of {year}."),
        "km": gettext("km"),
        "m": gettext("m"),
    }


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


def _feature_layer_data(features: list[Feature], **extra: Any) -> dict[str, Any]:
    return {
        "features": shapes.collection(shapes.page_feature(f) for f in features),
        "popups": {f.slug: popup_html(f) for f in features},
        "names": {f.slug: translate(f.name) for f in features},
        "styles": kinds.styles(),
        "text": ui_texts(),
        "lang": current_language(),
        **extra,
    }


def build_atlas_map(
    *,
    features: list[Feature],
    year: int,
    years: range,
    basemap: dict[str, Any] | None = None,
    open_feature: str | None = None,
    mode: str = "atlas",
) -> AtlasMap:
    """The atlas map, showing the state at the end of ``year``.

    ``features`` are all the atlas' features with their treaty basis (prefetched); the page
    shows those of the chosen year and can move to any year in ``years`` without a request.
    ``basemap`` is the app's own land/lakes/rivers layer (GeoJSON by layer name); the map has
    no tile layer, so it needs no network. ``open_feature`` opens that feature's popup on load.
    ``mode`` is "atlas" (the page's year control drives the map), "present" (the story drives
    it; thicker lines and larger marks for a projector) or "embed" (one year, no controls).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    fmap = _atlas_map()
    if basemap:
        BaseMap(basemap).add_to(fmap)
    FeatureLayer(
        _feature_layer_data(
            features,
            year=year,
            years=[years[0], years[-1]],
            open=open_feature,
            controls=mode == "atlas",
            scale=mode == "atlas",
            mode=mode,
        )
    ).add_to(fmap)
    shown = {f.kind for f in features}
    # The legend reads top to bottom as the map stacks: points first, areas last.
    Legend(
        {
            "items": [
                {"kind": k, **style} for k, style in reversed(kinds.styles().items()) if k in shown
            ],
            "approximate": any(f.certainty != "exact" for f in features),
        }
    ).add_to(fmap)
    return fmap


def build_place_map(*, feature: Feature, basemap: dict[str, Any] | None = None) -> AtlasMap:
    """A small map of one feature for its page: the feature alone, framed, on the base map.

    A feature older than the atlas' years is drawn as it was in their first (``clamp_year``).
    """
    fmap = _atlas_map()
    if basemap:
        BaseMap(basemap).add_to(fmap)
    year = clamp_year(feature.valid_from.year)
    FeatureLayer(
        _feature_layer_data([feature], year=year, years=[year, year], controls=False, fit=True)
    ).add_to(fmap)
    return fmap
