"""The offline bundle: every page of the atlas rendered by Django, its links made relative.

The bundle opens from ``file://`` with no server and no network (a USB stick in a classroom):

    index.html                      the atlas at the default year
    map/<year>/index.html           a page per year
    present/index.html              the presentation
    places/<slug>/index.html        a page per place (every feature)
    treaties/<slug>/index.html      a page per treaty
    api/features-<year>.geojson     the API's FeatureCollection for each year
    api/treaties.json               the API's treaties
    static/…                        every static file those pages use (and what their CSS uses)

Pages are rendered by the app's own views (no HTTP), then every absolute address the site
knows is rewritten to a relative path ending in ``index.html``; an address it does not know
is reported and left alone.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from . import selectors
from .models import Feature, Treaty

# What the bundle owns at its top level; `--force` replaces these and nothing else.
BUNDLE_ENTRIES = ("index.html", "map", "present", "places", "treaties", "api", "static")

# Files Leaflet's script asks for by name beside the CSS's marker icon (retina, shadow).
LEAFLET_IMAGE_EXTRAS = ("marker-icon-2x.png", "marker-shadow.png")

# An absolute address inside an attribute, a JSON string (popups: href=\"/places/…/\") or a
# CSS url(): a quote or "(", then "/" and the rest up to the closing quote, backslash or ")".
# (A void tag's "/>" is not an address: nothing closes it.)
ADDRESS = re.compile(r"""(?<=["'(])/(?!/)[^"'\\\s()<>]*(?=["'\\)])""")
HTML_TAG = re.compile(r"<html\b[^>]*", re.IGNORECASE)
# What needs the server cannot work from a file and is left out: forms that post, and the
# language switch (a bundle is made in one language, see --language).
SERVER_ONLY = re.compile(
    r"""<form\b[^>]*\bmethod=["']?post\b[^>]*>.*?</form>\s*"""
    r"""|<nav class="language-switch"[^>]*>.*?</nav>\s*""",
    re.IGNORECASE | re.DOTALL,
)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")

# A link to a year's map with ?feature=slug opens that feature's popup on the server; in the
# bundle this small script does it in the browser (the page holds every feature).
OPEN_FEATURE_SCRIPT = (
    "<script>(function () {\n"
    '  var slug = new URLSearchParams(window.location.search).get("feature");\n'
    "  if (slug && window.atlas && window.atlas.openFeature) window.atlas.openFeature(slug);\n"
    "})();</script>\n"
)


class ExportError(Exception):
    """The bundle cannot be written (a page failed to render, a static file is missing)."""


@dataclass
class Bundle:
    """What an export wrote."""

    root: Path
    files: list[Path] = field(default_factory=list)
    unresolved: dict[str, set[str]] = field(default_factory=dict)  # address -> pages

    @property
    def size(self) -> int:
        return sum(p.stat().st_size for p in self.files)


def page_path(route: str) -> str:
    """The bundle file for a site path ("/map/1858/" -> "map/1858/index.html")."""
    return (route.strip("/") + "/index.html").lstrip("/")


def relative(target: str, page: str) -> str:
    """``target`` (a bundle path) as seen from the bundle file ``page``."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def bundle_target(address: str) -> tuple[str, str] | None:
    """(bundle path, what follows it) for an absolute site address; None if not in the bundle.

    ``/static/x`` -> ``static/x``; ``/map/1858/?feature=a`` -> ``map/1858/index.html``,
    ``?feature=a``; ``/api/features.geojson?year=1858`` -> ``api/features-1858.geojson``.
    """
    parts = urlsplit(address)
    path, query, fragment = parts.path, parts.query, parts.fragment
    suffix = ("?" + query if query else "") + ("#" + fragment if fragment else "")
    if path.startswith(settings.STATIC_URL) and len(path) > len(settings.STATIC_URL):
        name = path[len(settings.STATIC_URL) :]
        return "static/" + name, ("#" + fragment if fragment else "")
    if path == "/api/features.geojson":
        years = parse_qs(query).get("year", [])
        if len(years) == 1 and years[0].isdigit():
            return f"api/features-{years[0]}.geojson", ""
        return None
    if path == "/api/treaties.json":
        return "api/treaties.json", ""
    if re.fullmatch(r"/(map/\d{4}/|places/[\w-]+/|treaties/[\w-]+/|present/)?", path):
        return page_path(path), suffix
    return None


def rewrite_html(html: str, page: str, on_unknown: Callable[[str], None]) -> tuple[str, set[str]]:
    """Make every site address in ``html`` relative to the bundle file ``page``.

    Returns the new text and the static files it refers to (site paths under STATIC_URL).
    """
    statics: set[str] = set()

    def replace(match: re.Match) -> str:
        address = match.group(0)
        target = bundle_target(address)
        if target is None:
            on_unknown(address)
            return address
        path, suffix = target
        if path.startswith("static/"):
            statics.add(path[len("static/") :])
        return relative(path, page) + suffix

    text = ADDRESS.sub(replace, SERVER_ONLY.sub("", html))
    # The year control's own links: atlas.js fills "0000" with the year.
    year_url = relative("map/0000/index.html", page)
    text = HTML_TAG.sub(lambda m: f'{m.group(0)} data-year-url="{year_url}"', text, count=1)
    return text, statics


def static_source(name: str) -> Path:
    found = finders.find(name)
    if found:
        return Path(found)
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    raise ExportError(f"The static file {name!r} used by the pages was not found.")


def css_references(name: str, source: Path) -> Iterator[str]:
    """Static files a stylesheet refers to by a relative url() (Leaflet's images)."""
    for _, ref in CSS_URL.findall(source.read_text(encoding="utf-8", errors="replace")):
        ref = ref.strip()
        if ref.startswith(("data:", "#", "/")) or "://" in ref:
            continue
        ref = ref.split("?")[0].split("#")[0]
        yield posixpath.normpath(posixpath.join(posixpath.dirname(name), ref))


def static_closure(names: set[str]) -> dict[str, Path]:
    """Every static file the pages use, with the files their stylesheets use in turn."""
    wanted = sorted(names)
    found: dict[str, Path] = {}
    while wanted:
        name = wanted.pop()
        if name in found:
            continue
        source = static_source(name)
        found[name] = source
        if name.endswith(".css"):
            for ref in css_references(name, source):
                wanted.append(ref)
                if posixpath.basename(ref) == "marker-icon.png":
                    folder = posixpath.dirname(ref)
                    for extra in LEAFLET_IMAGE_EXTRAS:
                        candidate = posixpath.join(folder, extra)
                        if finders.find(candidate):
                            wanted.append(candidate)
    return found


def render(route: str) -> HttpResponse:
    """The response the site gives for ``route`` (a path with an optional query)."""
    parts = urlsplit(route)
    request = RequestFactory().get(route)
    match = resolve(parts.path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise ExportError(f"{route} answered {response.status_code}; the bundle needs 200.")
    return response


def pages() -> list[tuple[str, str]]:
    """(site route, bundle file) for every page of the bundle."""
    routes = ["/"]
    routes += [f"/map/{year}/" for year in selectors.year_range()]
    routes.append("/present/")
    routes += [
        f"/places/{slug}/"
        for slug in Feature.objects.order_by("slug").values_list("slug", flat=True)
    ]
    routes += [
        f"/treaties/{slug}/"
        for slug in Treaty.objects.order_by("slug").values_list("slug", flat=True)
    ]
    return [(route, page_path(route)) for route in routes]


def data_files() -> list[tuple[str, str]]:
    """(API route, bundle file) for the API's files."""
    files = [
        (f"/api/features.geojson?year={year}", f"api/features-{year}.geojson")
        for year in selectors.year_range()
    ]
    files.append(("/api/treaties.json", "api/treaties.json"))
    return files


def is_empty(directory: Path) -> bool:
    return not directory.exists() or not any(directory.iterdir())


def clear(directory: Path) -> None:
    """Remove what an earlier export wrote (and only that)."""
    for entry in BUNDLE_ENTRIES:
        path = directory / entry
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def export_static(
    directory: Path,
    *,
    language: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Bundle:
    """Write the offline bundle to ``directory`` (which should be empty or an earlier bundle).

    The pages are in ``language`` (default: settings.LANGUAGE_CODE).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        return _export(directory, progress)


def _export(directory: Path, progress: Callable[[str], None]) -> Bundle:
    directory.mkdir(parents=True, exist_ok=True)
    clear(directory)
    bundle = Bundle(root=directory)
    statics: set[str] = set()

    def write(name: str, content: bytes) -> None:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        bundle.files.append(path)
        progress(f"  {name} ({len(content) / 1024:.0f} kB)")

    for route, name in pages():
        html = render(route).content.decode("utf-8")

        def unknown(address: str, name: str = name) -> None:
            bundle.unresolved.setdefault(address, set()).add(name)

        text, used = rewrite_html(html, name, unknown)
        statics |= used
        if name == "index.html" or name.startswith("map/"):
            text = text.replace("</body>", OPEN_FEATURE_SCRIPT + "</body>", 1)
        write(name, text.encode("utf-8"))

    for route, name in data_files():
        write(name, render(route).content)

    for name, source in sorted(static_closure(statics).items()):
        write("static/" + name, source.read_bytes())
    return bundle
