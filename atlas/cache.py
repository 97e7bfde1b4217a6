"""Rendered pages in Django's cache, keyed on what changes them and on the atlas' data version.

A view opts in with ``@cached_page(feature=known_feature)``, naming the query parameters that
change its page, each with the function that vets a value. A request is made canonical before
anything else: its query keeps only those parameters, with the values their functions return
(a feature that does not exist, a step out of range, an unknown parameter: the page without
them), and the page is rendered from that query. So no query string costs more than a cached
page, and a cached page carries no reader's own query string (in its language links, say).
The key is the view, its URL arguments (year, slug), the canonical query, the language
(the django_language cookie, else Accept-Language — as LocaleMiddleware decides it) and the
*data version*, a random token kept under ``atlas:data-version``: a load that changed
something or an admin edit calls ``data_changed()``, which draws a new token, so every page
rendered from the old data is never asked for again (and expires).

``atlas.middleware.PageCacheMiddleware`` looks pages up before the session, language, CSRF
and auth middleware run, and keeps what a view marked cacheable. The cache holds the finished
body, gzip-compressed once as well, and the headers the inner middleware added: a cached page
is served without rendering, compressing or parsing anything. A page is the same bytes
whichever worker renders it (no random ids), so its ETag — a hash of the body — is too.

With the default local-memory cache each process has its own pages and its own version: an
edit made through one worker invalidates that worker at once and the others within
``ATLAS_PAGE_CACHE_SECONDS``; with Redis (``DJANGO_CACHE_URL``) every worker sees it at once.
"""

import functools
import gzip
import hashlib
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language_from_request

DATA_VERSION_KEY = "atlas:data-version"
PAGE_KEY_PREFIX = "atlas:page:"
SLUGS_KEY_PREFIX = "atlas:feature-slugs:"
STEPS_KEY_PREFIX = "atlas:story-steps:"
# Headers the inner middleware set that a cached copy must repeat.
KEPT_HEADERS = ("Content-Language", "X-Frame-Options")
# What Django's GZipMiddleware accepts as "the client takes gzip".
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# The methods that may be answered from the cache.
_READS = ("GET", "HEAD")


def data_version() -> str:
    """The current data version; a new one if the cache has none (empty, restarted, culled)."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # add(), not set(): when several workers share a cache, the first token wins.
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(DATA_VERSION_KEY) or "unversioned"
    return version


def data_changed() -> None:
    """Invalidate every cached page: the atlas' data changed (a load or an admin edit).

    Called inside the writing transaction: the new version takes effect at once, and again
    when the transaction commits, so that a page another request rendered from the old rows
    in between (under the interim version) is dropped as well.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def feature_slugs() -> frozenset[str]:
    """The slugs of every feature, cached with the data version (to vet ``?feature=``)."""
    from .models import Feature

    key = SLUGS_KEY_PREFIX + data_version()
    slugs = cache.get(key)
    if slugs is None:
        slugs = frozenset(Feature.objects.values_list("slug", flat=True))
        cache.set(key, slugs, settings.ATLAS_PAGE_CACHE_SECONDS)
    return slugs


def story_step_count() -> int:
    """How many steps the story has, cached with the data version (to vet ``?step=``)."""
    from .models import StoryStep

    key = STEPS_KEY_PREFIX + data_version()
    count = cache.get(key)
    if count is None:
        count = StoryStep.objects.count()
        cache.set(key, count, settings.ATLAS_PAGE_CACHE_SECONDS)
    return count


def site_pages() -> list[str]:
    """Every cacheable page of the site, by its canonical address: the atlas at each year, its
    embed, each story step, each place and treaty, the API's files and the map's data files."""
    from . import datafiles, selectors
    from .models import Treaty

    years = selectors.year_range()
    paths = ["/", "/present/", "/api/treaties.json"]
    paths += [f"/present/?step={n}" for n in range(2, story_step_count() + 1)]
    for year in years:
        paths += [f"/map/{year}/", f"/embed/{year}/", f"/api/features.geojson?year={year}"]
    paths += [f"/places/{slug}/" for slug in sorted(feature_slugs())]
    paths += [f"/treaties/{slug}/" for slug in Treaty.objects.values_list("slug", flat=True)]
    paths += datafiles.site_files()
    return paths


def cached_page(**query: Callable[[str], str | None]) -> Callable:
    """Mark a view's pages as cacheable; ``query`` names the parameters that change them.

    Each parameter comes with the function that vets a (non-empty) value: it returns the
    canonical value, or None when the page is the one without the parameter. A 200 page is
    kept unless the view set ``response.atlas_cacheable = False``.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if not hasattr(response, "atlas_cacheable"):
                response.atlas_cacheable = response.status_code == 200
            return response

        wrapper.atlas_cache_query = query
        return wrapper

    return decorate


def served_early(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that answers from Django's cache on its own (the data files): the page
    cache's middleware calls it for GET and HEAD before the session, language, CSRF and auth
    middleware, which it does not need (and whose Vary: Accept-Language it must not carry)."""
    view.atlas_served_early = True
    return view


def early_view(request: HttpRequest) -> Callable[[], HttpResponse] | None:
    """The view marked ``served_early`` that a request ``canonicalize`` has read asks for."""
    match = getattr(request, "atlas_match", None)
    if match is None or not getattr(match.func, "atlas_served_early", False):
        return None
    return lambda: match.func(request, *match.args, **match.kwargs)


def canonicalize(request: HttpRequest) -> bool:
    """Make a request for a cacheable page canonical; False if the page is not cacheable.

    Its query string is replaced by the page's own parameters with their vetted values, in
    the order the view names them; everything else in it is dropped.
    """
    if request.method not in _READS:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    request.atlas_match = match
    query = getattr(match.func, "atlas_cache_query", None)
    if query is None:
        return False
    canonical = QueryDict(mutable=True)
    for name, vet in query.items():
        value = request.GET.get(name)
        value = vet(value) if value else None
        if value:
            canonical[name] = value
    canonical_string = canonical.urlencode()
    if request.META.get("QUERY_STRING", "") != canonical_string:
        request.META["QUERY_STRING"] = canonical_string
        request.GET = QueryDict(canonical_string)
        request.atlas_query_rewritten = True
    request.atlas_cache_match = match
    return True


def page_key(request: HttpRequest) -> str:
    """The cache key of the page a canonical request (``canonicalize``) asks for."""
    match = request.atlas_cache_match
    parts = (
        match.view_name,
        sorted(match.kwargs.items()),
        request.META["QUERY_STRING"],
        get_language_from_request(request),
        data_version(),
    )
    return PAGE_KEY_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


def cache_entry(response: HttpResponse) -> dict | None:
    """What to keep of a rendered page; None if it must not be kept."""
    if (
        not getattr(response, "atlas_cacheable", False)
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Content-Encoding")
    ):
        return None
    body = response.content
    return {
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "content_type": response["Content-Type"],
        "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
        "framable": getattr(response, "xframe_options_exempt", False),
        "etag": 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"',
    }


def store(key: str, entry: dict) -> None:
    cache.set(key, entry, settings.ATLAS_PAGE_CACHE_SECONDS)


def lookup(key: str) -> dict | None:
    return cache.get(key)


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def entry_response(request: HttpRequest, entry: dict) -> HttpResponse:
    """The response for a cached page: gzip if the client takes it; 304 if it has it."""
    use_gzip = accepts_gzip(request)
    response = HttpResponse(
        entry["gzip"] if use_gzip else entry["body"], content_type=entry["content_type"]
    )
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    for name, value in entry["headers"].items():
        response[name] = value
    response["ETag"] = entry["etag"]
    # Shared caches may keep the page but must ask again (an edit changes it at any time);
    # the language comes from the cookie or Accept-Language, the body's encoding from
    # Accept-Encoding.
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ("Accept-Language", "Cookie", "Accept-Encoding"))
    if getattr(request, "atlas_query_rewritten", False):
        # The page of a shorter address: say which, for search engines and shared links.
        response["Link"] = f'<{request.get_full_path()}>; rel="canonical"'
    response = get_conditional_response(request, etag=entry["etag"], response=response)
    if response.status_code == 304:
        # A 304 updates the headers a browser or proxy stored: the same language and framing
        # (the policy, the same for every page, is added by its middleware).
        for name, value in entry["headers"].items():
            response[name] = value
    response.xframe_options_exempt = entry["framable"]
    return response
