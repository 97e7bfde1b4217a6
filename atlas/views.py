"""Thin views: parse the request, ask the selectors, render.

The pages carry no CSRF token and nothing of the reader but the language, so they are cached
whole (``@cached_page``, atlas.cache) per year or slug, language and the query that changes
them; the functions here vet that query (``?feature=``, ``?step=``) before anything is
rendered or looked up. HEAD is answered wherever GET is.
"""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from . import datafiles, selectors
from .cache import accepts_gzip, cached_page, feature_slugs, served_early, story_step_count
from .calendars import format_dual
from .i18n import current_language
from .links import link
from .maps.builders import (
    OPEN_AREA_ZOOM,
    bounds_view,
    build_atlas_map,
    build_place_map,
    first_view,
)
from .maps.render import MapComponents, map_components
from .timerule import clamp_year

ERR_YEAR_REQUIRED = "Give the year as ?year=YYYY."
ERR_YEAR_NOT_NUMBER = "The year must be a whole number, e.g. ?year=1858."
ERR_YEAR_RANGE = "The atlas shows the years {first}–{last}."


def _year_not_found(request: HttpRequest, year: int | str) -> HttpResponse:
    return render(
        request,
        "atlas/year_not_found.html",
        {"year": year, "years": list(selectors.year_range())},
        status=404,
    )


def _atlas_map(
    timeline: selectors.Timeline,
    *,
    year: int,
    mode: str = "atlas",
    open_feature: str = "",
    view: dict[str, Any] | None = None,
) -> MapComponents:
    """The atlas map of every year, showing ``year``, ready for a template (atlas, present,
    embed); ``open_feature`` opens that feature's popup, and the map starts where it is
    (unless ``view`` says where)."""
    geometry = selectors.feature_geometry(open_feature) if open_feature and not view else None
    if geometry:
        view = first_view(geometry, max_zoom=OPEN_AREA_ZOOM)
    fmap = build_atlas_map(
        features=timeline.features,
        year=year,
        years=selectors.year_range(),
        data=datafiles.page_links(),
        open_feature=open_feature or None,
        mode=mode,
        view=view,
    )
    return map_components(fmap)


def _map_page(request: HttpRequest, year: int) -> HttpResponse:
    timeline = selectors.atlas_timeline()
    years = selectors.year_range()
    context = {
        "year": year,
        "years": list(years),
        "previous_year": year - 1 if year - 1 in years else None,
        "next_year": year + 1 if year + 1 in years else None,
        "map": _atlas_map(timeline, year=year, open_feature=request.GET.get("feature", "")),
        "panels": timeline.panels(),
    }
    return render(request, "atlas/map.html", context)


def _known_feature(slug: str) -> str | None:
    """?feature= opens that feature's popup; any other text is as if it were not there."""
    return slug if slug in feature_slugs() else None


def _step_number(raw: str | None, count: int) -> int:
    """The story step asked for in ?step=N (1-based); anything unusable means the first."""
    try:
        n = int(raw or 1)
    except ValueError:
        return 1
    return min(max(n, 1), max(count, 1))


def _story_step(raw: str) -> str | None:
    """?step=N as the step shown: the nearest there is; the first is the page without it."""
    number = _step_number(raw, story_step_count())
    return str(number) if number > 1 else None


@cached_page(step=_story_step)
@require_safe
def present(request: HttpRequest) -> HttpResponse:
    """Classroom presentation: the story, one step at a time, on a full-window map."""
    steps = selectors.story_steps()
    number = _step_number(request.GET.get("step"), len(steps))
    step = steps[number - 1] if steps else None
    year = step["year"] if step else settings.ATLAS_DEFAULT_YEAR
    view = bounds_view(step["bounds"]) if step else None
    fmap = _atlas_map(selectors.atlas_timeline(), year=year, mode="present", view=view)
    return render(request, "atlas/present.html", {"map": fmap, "steps": steps, "step": step})


@cached_page(feature=_known_feature)
@xframe_options_exempt
@require_safe
def embed(request: HttpRequest, year: int) -> HttpResponse:
    """One year's map with no page around it, for an iframe (framing allowed here only)."""
    if not selectors.year_is_shown(year):
        return _year_not_found(request, year)
    fmap = _atlas_map(
        selectors.atlas_timeline(),
        year=year,
        mode="embed",
        open_feature=request.GET.get("feature", ""),
    )
    return render(request, "atlas/embed.html", {"map": fmap, "year": year})


@require_safe
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switcher: remember the reader's choice in a cookie and go back.

    A plain link rather than Django's POST form, so that pages carry no CSRF token and stay
    cacheable; choosing a language changes nothing but the reader's own preference.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@cached_page(feature=_known_feature)
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The atlas at its default year."""
    return _map_page(request, settings.ATLAS_DEFAULT_YEAR)


@cached_page(feature=_known_feature)
@require_safe
def year_map(request: HttpRequest, year: int) -> HttpResponse:
    """The atlas at the end of ``year``; a friendly 404 for years it does not show."""
    if not selectors.year_is_shown(year):
        return _year_not_found(request, year)
    return _map_page(request, year)


@cached_page()
@require_safe
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    feature = selectors.feature_detail(slug=slug)
    if feature is None:
        raise Http404("No such place.")
    fmap = build_place_map(feature=feature, data=datafiles.page_links())
    return render(
        request,
        "atlas/place.html",
        {
            "feature": feature,
            "map": map_components(fmap),
            "timeline": selectors.feature_timeline(feature),
            "map_year": clamp_year(feature.valid_from.year),
        },
    )


@cached_page()
@require_safe
def treaty_detail(request: HttpRequest, slug: str) -> HttpResponse:
    treaty = selectors.treaty_detail(slug=slug)
    if treaty is None:
        raise Http404("No such treaty.")
    signed = format_dual(
        treaty.signed_gregorian, julian=treaty.signed_julian, lang=current_language()
    )
    return render(request, "atlas/treaty.html", {"treaty": treaty, "signed": signed})


@cached_page()
@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A negotiator or signatory: names, role, the treaties they signed, their events."""
    person = selectors.person_detail(slug=slug)
    if person is None:
        raise Http404("No such person.")
    return render(request, "atlas/person.html", {"person": person})


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _api_year(raw: str) -> str | None:
    """?year= as one spelling per year the map shows (" 1858 " is 1858); anything else is
    left for the view to explain (an error, never kept)."""
    try:
        year = int(raw)
    except ValueError:
        return raw
    return str(year) if selectors.year_is_shown(year) else raw


@cached_page(year=_api_year)
@require_safe
def api_features(request: HttpRequest) -> HttpResponse:
    """GET /api/features.geojson?year=Y — what the map shows at the end of Y."""
    raw = request.GET.get("year")
    if raw is None:
        return _json_error(ERR_YEAR_REQUIRED, 400)
    try:
        year = int(raw)
    except ValueError:
        return _json_error(ERR_YEAR_NOT_NUMBER, 400)
    if not selectors.year_is_shown(year):
        years = selectors.year_range()
        return _json_error(ERR_YEAR_RANGE.format(first=years[0], last=years[-1]), 404)
    response = JsonResponse(
        selectors.feature_collection_at(year=year), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/geo+json; charset=utf-8"
    return response


# A data file's name changes with its content: a browser may keep it as long as it likes.
DATA_FILE_CACHE = "public, max-age=31536000, immutable"


@served_early
@require_safe
def data_file(request: HttpRequest, name: str) -> HttpResponse:
    """GET /data/<name> — one of the data files the map pages share (atlas.datafiles), gzip
    to who takes it; an outdated name is redirected to the current file."""
    found = datafiles.lookup(name)
    if found is None:
        raise Http404("No such data file.")
    file, exact = found
    if not exact:
        response = HttpResponseRedirect(link("data-file", file.name))
        response["Cache-Control"] = "no-cache"
        return response
    use_gzip = accepts_gzip(request)
    response = HttpResponse(
        file.gzip if use_gzip else file.body, content_type=datafiles.CONTENT_TYPE
    )
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    response["ETag"] = file.etag
    response["Cache-Control"] = DATA_FILE_CACHE
    patch_vary_headers(response, ("Accept-Encoding",))
    return get_conditional_response(request, etag=file.etag, response=response)


@cached_page()
@require_safe
def api_treaties(request: HttpRequest) -> JsonResponse:
    """GET /api/treaties.json — the treaties with their clauses."""
    return JsonResponse(
        {"treaties": selectors.treaty_list()}, json_dumps_params={"ensure_ascii": False}
    )
