"""The page cache's middleware, and the Content-Security-Policy: nothing from another origin,
and no inline code at all.

Pages carry no executable inline script: their data travels in ``<script
type="application/json">`` blocks, which a browser never runs, and in the atlas' data files;
their code is in static files. So the policy is the same for every response —
``script-src 'self'``, no hashes, nonces or 'unsafe-…' — and a script that ever got into a
page's markup would be refused, not approved. Styles are files too (``style-src 'self'``):
no ``<style>`` element or ``style=""`` attribute is needed (Leaflet and Django's admin set
styles from their scripts, which the policy does not restrict). A cached page and its 304
carry the same policy.

Only ``/embed/<year>/`` (marked ``xframe_options_exempt``) may be framed by other sites.
"""

import io
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from . import cache as page_cache

logger = logging.getLogger(__name__)

CSP_HEADER = "Content-Security-Policy"


def content_security_policy(*, framable: bool = False) -> str:
    """The policy of every response: the site's own origin only; framable for the embed."""
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        # An LMS page on any site may show the embed; nothing else may be framed.
        "frame-ancestors *" if framable else "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy to every response the site makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            framable = getattr(response, "xframe_options_exempt", False)
            response[CSP_HEADER] = content_security_policy(framable=framable)
        return response


class PageCacheMiddleware:
    """Serve cached pages (and the data files) before the rest of the stack; keep what views
    mark cacheable.

    It sits below the CSP middleware and above the session, language, CSRF and auth
    middleware, which a cached page does not need: it carries no token and nothing of the
    reader but the language, which is part of the key. The Host header is checked first
    (ALLOWED_HOSTS), as it would be for a page not in the cache.

    When the server starts it renders every page into the cache (``ATLAS_WARM_PAGES``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # Django builds its middleware once, as a server (each gunicorn worker) starts.
        if settings.ATLAS_WARM_PAGES:
            self.warm()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.get_host()  # DisallowedHost: 400
        if not page_cache.canonicalize(request):
            early = page_cache.early_view(request)
            return early() if early else self.get_response(request)
        key = page_cache.page_key(request)
        entry = page_cache.lookup(key)
        if entry is None:
            response = self.get_response(request)
            entry = page_cache.cache_entry(response)
            if entry is None:
                # Not kept here, but a shared cache must still tell readers' languages apart.
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
            page_cache.store(key, entry)
        return page_cache.entry_response(request, entry)

    def warm(self) -> None:
        """Render every page of the site in the default language, unless it is cached.

        A sync worker renders one request at a time: a worker that started with an empty
        cache made every reader wait behind the first render of each page (about 0.1 s each,
        seventy pages, in each worker). It renders them now, before it takes any reader.
        """
        try:
            paths = page_cache.site_pages()
        except DatabaseError as exc:  # not migrated or not loaded yet: pages render on demand
            logger.warning("Pages not rendered at start: %s", exc)
            return
        try:
            for path in paths:
                self(_reader_request(path, settings.LANGUAGE_CODE))
        except Exception:  # e.g. no usable ALLOWED_HOSTS: the server starts all the same
            logger.exception("Pages not rendered at start")
        finally:
            # A server that forks its workers after loading the app (gunicorn --preload) must
            # not hand them this connection; one inside a transaction (a test's) is not ours.
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close()


def _reader_request(address: str, language: str) -> WSGIRequest:
    """A GET for ``address`` as a reader's browser in ``language`` sends it."""
    path, _, query = address.partition("?")
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": host,
            "SERVER_PORT": "443",
            "HTTP_HOST": host,
            "HTTP_ACCEPT_LANGUAGE": language,
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }
    )


def client_ip(request: HttpRequest) -> str:
    """The reader's address, as the admin's sign-in throttle (django-axes) counts it.

    Behind the TLS proxy (``ATLAS_BEHIND_PROXY``) every request comes from the proxy; the
    proxy appends the address it was reached from to X-Forwarded-For, so the last entry is
    the reader's (earlier ones are whatever the client sent, and could be anything).
    """
    if settings.ATLAS_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
