"""The offline bundle: every page of the atlas rendered by Django for a folder of files.

The bundle opens from ``file://`` with no server and no network (a USB stick in a classroom):

    index.html                      the atlas at the default year
    map/<year>/index.html           a page per year
    present/index.html              the presentation
    places/<slug>/index.html        a page per place (every feature)
    treaties/<slug>/index.html      a page per treaty
    people/<slug>/index.html        a page per person
    api/features-<year>.geojson     the API's FeatureCollection for each year
    api/treaties.json               the API's treaties
    data/….js                       the data files the maps share (atlas.datafiles): scripts,
                                    which a page loads from file:// where a fetch() is refused
    static/…                        every static file those pages use (and what their CSS uses)

Pages are rendered by the app's own views (no HTTP) in bundle mode (``atlas.links``): every
link comes out relative to the page's file, ending in ``index.html``, and the templates leave
out what needs the server (the language switch: a bundle is made in one language). A link to
a page the bundle does not hold is reported and left absolute.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from .. import datafiles, links, selectors
from ..models import Feature, Person, Treaty
from .staging import StagingError, move_in, staged

# What the bundle owns at its top level; `--force` replaces these and nothing else.
BUNDLE_ENTRIES = (
    "index.html", "map", "present", "places", "treaties", "people", "api", "data", "static"
)  # fmt: skip
KIND = "bundle"  # the manifest's name for an offline bundle

# Files Leaflet's script asks for by name beside the CSS's marker icon (retina, shadow).
LEAFLET_IMAGE_EXTRAS = ("marker-icon-2x.png", "marker-shadow.png")

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


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
    routes = [reverse("index")]
    routes += [reverse("year-map", args=[year]) for year in selectors.year_range()]
    routes.append(reverse("present"))
    routes += [
        reverse("place", args=[slug])
        for slug in Feature.objects.order_by("slug").values_list("slug", flat=True)
    ]
    routes += [
        reverse("treaty", args=[slug])
        for slug in Treaty.objects.order_by("slug").values_list("slug", flat=True)
    ]
    routes += [
        reverse("person", args=[slug])
        for slug in Person.objects.order_by("slug").values_list("slug", flat=True)
    ]
    return [(route, links.page_file(route)) for route in routes]


def data_files() -> list[tuple[str, str]]:
    """(API route, bundle file) for the API's files."""
    routes = [links.link("api-features", year=year) for year in selectors.year_range()]
    routes.append(links.link("api-treaties"))
    return [(route, links.bundle_file(route)[0]) for route in routes]


def map_data_files() -> list[tuple[str, str]]:
    """(route, bundle file) for the data files of the bundle's maps (its own, with links
    relative to their folder), in the active language."""
    with links.bundle_page(datafiles.BUNDLE_FOLDER + "/"):
        names = [f.name for f in datafiles.current_files()]
    # The base map's detailed level, every tile: a page from file:// loads those in view.
    names += [f.name for f in datafiles.tile_data_files()]
    return [
        (reverse("data-file", args=[name]), f"{datafiles.BUNDLE_FOLDER}/{name}") for name in names
    ]


def is_empty(directory: Path) -> bool:
    return not directory.exists() or not any(directory.iterdir())


def export_static(
    directory: Path,
    *,
    language: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Bundle:
    """Write the offline bundle to ``directory`` (empty, or holding an earlier bundle).

    The pages are in ``language`` (default: settings.LANGUAGE_CODE). The bundle is written
    whole into a scratch folder beside ``directory`` and moved in only when complete
    (atlas.exports.staging): a failed render or a full disk leaves ``directory`` as it was, an
    earlier bundle's entries are replaced, and anything else there is left alone; entries of
    the bundle's names that no export wrote are refused.
    """
    try:
        with translation.override(language or settings.LANGUAGE_CODE), staged(directory) as scratch:
            bundle = _export(scratch, progress)
            move_in(scratch, directory, kind=KIND)
    except StagingError as exc:
        raise ExportError(str(exc)) from exc
    bundle.root = directory
    bundle.files = [directory / p.relative_to(scratch) for p in bundle.files]
    return bundle


def _export(directory: Path, progress: Callable[[str], None]) -> Bundle:
    bundle = Bundle(root=directory)
    statics: set[str] = set()

    def write(name: str, content: bytes) -> None:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        bundle.files.append(path)
        progress(f"  {name} ({len(content) / 1024:.0f} kB)")

    for route, name in pages():
        with links.bundle_page(name) as page:
            content = render(route).content
        statics |= page.statics
        for address in page.unresolved:
            bundle.unresolved.setdefault(address, set()).add(name)
        write(name, content)

    for route, name in data_files():
        write(name, render(route).content)

    for route, name in map_data_files():
        with links.bundle_page(name) as page:
            content = render(route).content
        for address in page.unresolved:
            bundle.unresolved.setdefault(address, set()).add(name)
        write(name, content)

    for name, source in sorted(static_closure(statics).items()):
        write("static/" + name, source.read_bytes())
    return bundle
