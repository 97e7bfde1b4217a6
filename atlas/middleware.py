"""The page cache's middleware, and the Content-Security-Policy: nothing from another origin,
inline code only by its hash.

Folium's map is one inline ``<script>`` per page (the page's data and map set-up) and its
header has inline ``<style>`` and ``<script>`` blocks. They are allowed by their SHA-256
hashes rather than by a per-request nonce: a cached page (``atlas.cache``) is then the same
bytes for every reader, so it is compressed once and served without being rewritten, and the
hashes are computed once, when the page is rendered. No 'unsafe-inline' for scripts or style
elements; inline ``style=""`` attributes (set by Leaflet and Django's admin) are allowed.

Only ``/embed/<year>/`` (marked ``xframe_options_exempt``) may be framed by other sites.
"""

import base64
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from . import cache as page_cache

logger = logging.getLogger(__name__)

CSP_HEADER = "Content-Security-Policy"
# Raw-text elements: their content is hashed exactly as written (no entities are decoded).
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Script types a browser runs; data blocks such as json_script's application/json are not run.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def inline_hashes(html: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """CSP hash sources ('sha256-…') of the inline scripts and of the style elements in html."""
    scripts: list[str] = []
    styles: list[str] = []
    for match in _INLINE.finditer(html):
        tag, attrs, text = match.group(1).lower(), match.group(2), match.group(3)
        if tag == "script":
            if _SRC.search(attrs):
                continue
            kind = _TYPE.search(attrs)
            if kind and kind.group(1).lower() not in _SCRIPT_TYPES:
                continue
        target = scripts if tag == "script" else styles
        source = _hash_source(text)
        if source not in target:
            target.append(source)
    return tuple(scripts), tuple(styles)


def _hash_source(text: str) -> str:
    # The HTML parser turns CR LF and lone CR into LF before the browser hashes the text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(
    *, scripts: Iterable[str] = (), styles: Iterable[str] = (), framable: bool = False
) -> str:
    """The policy of one response: the site's own origin, plus the page's inline hashes."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        "style-src " + " ".join(["'self'", *styles]),
        "style-src-attr 'unsafe-inline'",
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
    """Add the Content-Security-Policy to every response the site makes.

    It sits below GZipMiddleware so that it reads the page before compression. A cached page
    brings its hashes with it (``response.csp_hashes``); any other HTML page is read here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER in response or getattr(response, "atlas_no_policy", False):
            return response
        hashes = getattr(response, "csp_hashes", None)
        if hashes is None:
            hashes = ((), ())
            is_html = response.get("Content-Type", "").startswith("text/html")
            if is_html and not response.streaming and not response.has_header("Content-Encoding"):
                hashes = inline_hashes(response.content.decode(response.charset or "utf-8"))
        response[CSP_HEADER] = content_security_policy(
            scripts=hashes[0],
            styles=hashes[1],
            framable=getattr(response, "xframe_options_exempt", False),
        )
        return response


class PageCacheMiddleware:
    """Serve cached pages before the rest of the stack; keep what views mark cacheable.

    It sits below the CSP middleware (which reads the cached hashes) and above the session,
    language, CSRF and auth middleware, which a cached page does not need: it carries no
    token and nothing of the reader but the language, which is part of the key. The Host
    header is checked first (ALLOWED_HOSTS), as it would be for a page not in the cache.

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
            return self.get_response(request)
        key = page_cache.page_key(request)
        entry = page_cache.lookup(key)
        if entry is None:
            response = self.get_response(request)
            entry = None
            if getattr(response, "atlas_cacheable", False):
                hashes = ((), ())
                if response.get("Content-Type", "").startswith("text/html"):
                    hashes = inline_hashes(response.content.decode(response.charset or "utf-8"))
                entry = page_cache.cache_entry(response, csp_hashes=hashes)
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
