"""Every address a page writes: ``link()`` for the site's pages and API, ``static_link()`` for
static files. In templates: ``{% load atlas_links %}``, ``{% link 'place' slug %}``,
``{% static_link 'atlas/atlas.css' %}``.

On the server they give the site's absolute URLs (``/places/aigun/``, ``/static/atlas/…``).
While the offline bundle renders one of its files (``with bundle_page("map/1858/index.html")``)
they give the path to the target's bundle file relative to that file
(``../../places/aigun/index.html``, ``../../static/atlas/atlas.js``), and templates see
``bundle`` true (the ``bundle`` context processor) to leave out what needs the server.

The bundle's layout is ``bundle_file()``: a page's file is its path + ``index.html``, the
features API is one file per year, the data files keep their names under ``data/``, static
files theirs under ``static/``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse

# The pages the bundle holds a file for (view names); a link to any other page stays absolute.
BUNDLE_PAGES = frozenset({"index", "year-map", "present", "place", "treaty", "person"})


@dataclass
class BundlePage:
    """The bundle file being rendered, and what its links asked for."""

    file: str  # e.g. "map/1858/index.html"
    statics: set[str] = field(default_factory=set)  # static files it uses
    unresolved: set[str] = field(default_factory=set)  # site URLs with no file in the bundle

    def relative(self, target: str) -> str:
        """``target`` (a bundle path) as seen from this file."""
        return posixpath.relpath(target, posixpath.dirname(self.file) or ".")


_bundle_page: ContextVar[BundlePage | None] = ContextVar("atlas_bundle_page", default=None)


@contextmanager
def bundle_page(file: str) -> Iterator[BundlePage]:
    """Render for the offline bundle's ``file``: links relative to it, server-only parts out.

    Inside another bundle file's rendering, what this one asks for is the outer one's too."""
    outer = _bundle_page.get()
    page = BundlePage(file=file)
    token = _bundle_page.set(page)
    try:
        yield page
    finally:
        _bundle_page.reset(token)
        if outer is not None:  # a file rendered for another (a data file for a page)
            outer.statics |= page.statics
            outer.unresolved |= page.unresolved


def in_bundle() -> bool:
    """Whether what is being rendered now is a page of the offline bundle."""
    return _bundle_page.get() is not None


def bundle(request: HttpRequest) -> dict[str, bool]:
    """Context processor: ``bundle`` is true while the offline bundle renders a page."""
    return {"bundle": in_bundle()}


def page_file(path: str) -> str:
    """The bundle file of a site page's path ("/map/1858/" -> "map/1858/index.html")."""
    return (path.strip("/") + "/index.html").lstrip("/")


def bundle_file(url: str) -> tuple[str, str] | None:
    """(bundle path, the query and fragment it keeps) for a site URL; None if not in the bundle.

    ``/map/1858/?feature=a`` -> ``map/1858/index.html``, ``?feature=a`` (the page opens the
    popup itself); ``/api/features.geojson?year=1858`` -> ``api/features-1858.geojson``;
    ``/data/features.<hash>.js`` -> ``data/features.<hash>.js``.
    """
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    name = match.view_name
    if name in BUNDLE_PAGES:
        suffix = ("?" + parts.query if parts.query else "") + (
            "#" + parts.fragment if parts.fragment else ""
        )
        return page_file(parts.path), suffix
    if name == "data-file":
        return f"data/{match.kwargs['name']}", ""
    if name == "api-features":
        years = parse_qs(parts.query).get("year", [])
        if len(years) == 1 and years[0].isdigit():
            return f"api/features-{years[0]}.geojson", ""
    elif name == "api-treaties":
        return "api/treaties.json", ""
    return None


def link(viewname: str, *args: Any, **query: Any) -> str:
    """The address of a page or API file: the URL named ``viewname`` with ``args``, and
    ``query`` as its query string (``link("year-map", 1858, feature="aigun")``).

    Absolute on the server; relative to the file being rendered in the bundle. A page the
    bundle does not hold keeps its absolute URL and is noted in ``BundlePage.unresolved``.
    """
    url = reverse(viewname, args=args)
    if query:
        url += "?" + urlencode(query)
    page = _bundle_page.get()
    if page is None:
        return url
    target = bundle_file(url)
    if target is None:
        page.unresolved.add(url)
        return url
    path, suffix = target
    return page.relative(path) + suffix


def static_link(name: str) -> str:
    """The address of the static file ``name`` (e.g. "atlas/atlas.css"); in the bundle, its
    copy under ``static/``, which the bundle then writes."""
    page = _bundle_page.get()
    if page is None:
        return static(name)
    page.statics.add(name)
    return page.relative("static/" + name)
