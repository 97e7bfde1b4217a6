"""Rendered pages in Django's cache, keyed on what changes them and on the atlas' data version.

A view opts in with ``@cached_page("feature")``, naming the query parameters that change its
page. The key is the view, its URL arguments (year, slug), those parameters, the language
(the django_language cookie, else Accept-Language — as LocaleMiddleware decides it) and the
*data version*, a random token kept under ``atlas:data-version``: a load that changed
something or an admin edit calls ``data_changed()``, which draws a new token, so every page
rendered from the old data is never asked for again (and expires).

``atlas.middleware.PageCacheMiddleware`` looks pages up before the session, language, CSRF
and auth middleware run, and keeps what a view marked cacheable. The cache holds the finished
body, gzip-compressed once as well, the headers the inner middleware added and the hashes of
its inline scripts and styles for the Content-Security-Policy: a cached page is served without
rendering, compressing or parsing anything.

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
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language_from_request

DATA_VERSION_KEY = "atlas:data-version"
PAGE_KEY_PREFIX = "atlas:page:"
SLUGS_KEY_PREFIX = "atlas:feature-slugs:"
# Headers the inner middleware set that a cached copy must repeat.
KEPT_HEADERS = ("Content-Language", "X-Frame-Options")
# What Django's GZipMiddleware accepts as "the client takes gzip".
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


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


def cached_page(*query: str) -> Callable:
    """Mark a view's pages as cacheable; ``query`` names the parameters that change them.

    A 200 page is kept unless the view said otherwise (``dont_cache(response)``, e.g. for a
    query value that is not worth a cache entry of its own).
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


def dont_cache(response: HttpResponse) -> HttpResponse:
    """Serve this response but keep no copy of it."""
    response.atlas_cacheable = False
    return response


def page_key(request: HttpRequest) -> str | None:
    """The cache key of the page a GET request asks for, or None if it is not cacheable."""
    if request.method != "GET":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    query = getattr(match.func, "atlas_cache_query", None)
    if query is None:
        return None
    parts = (
        match.view_name,
        sorted(match.kwargs.items()),
        [request.GET.get(name) or None for name in query],
        get_language_from_request(request),
        data_version(),
    )
    return PAGE_KEY_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


def cache_entry(response: HttpResponse, *, csp_hashes: tuple) -> dict | None:
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
        "csp_hashes": csp_hashes,
    }


def store(key: str, entry: dict) -> None:
    cache.set(key, entry, settings.ATLAS_PAGE_CACHE_SECONDS)


def lookup(key: str) -> dict | None:
    return cache.get(key)


def entry_response(request: HttpRequest, entry: dict) -> HttpResponse:
    """The response for a cached page: gzip if the client takes it; 304 if it has it."""
    use_gzip = bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
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
    response = get_conditional_response(request, etag=entry["etag"], response=response)
    # A 304 updates the headers a browser or proxy stored: the same policy and framing.
    for name, value in entry["headers"].items():
        response[name] = value
    response.csp_hashes = entry["csp_hashes"]
    response.xframe_options_exempt = entry["framable"]
    return response
