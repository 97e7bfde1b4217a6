"""One PNG per year of the map, drawn by headless Chromium from the chrome-less /embed/<year>/.

The atlas is served from this process for the time it takes (browser.live_server): no server
needs to be running, and the pictures show exactly what this process's database holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .. import selectors
from ..models import Feature
from . import browser

DEFAULT_SIZE = (1280, 720)
MIN_SIZE, MAX_SIZE = (200, 200), (7680, 4320)
# A picture has nothing to press: the zoom buttons are left out of it.
PICTURE_CSS = ".leaflet-control-zoom { display: none !important; }"
# How long a year's map may take to open and draw, in milliseconds.
TIMEOUT_MS = 60_000

ERR_SIZE_FORMAT = "--size {text!r}: give WIDTHxHEIGHT in pixels, e.g. {default}."
ERR_SIZE_RANGE = "--size {text!r}: width and height must be 200–7680 × 200–4320."
ERR_YEAR = "--years: {part!r} is not a year of the atlas ({first}–{last})."
ERR_EMPTY = "The database holds no atlas: run manage.py load_atlas first."
ERR_NOT_A_FOLDER = "{directory} is a file, not a folder."
ERR_DRAWING = "Chromium could not draw the maps: {error}"


class ImageExportError(Exception):
    """The pictures cannot be drawn (bad options, no atlas, no browser, a page that failed)."""


def image_name(year: int) -> str:
    return f"treaty-atlas-{year}.png"


def parse_size(text: str) -> tuple[int, int]:
    """WIDTHxHEIGHT ("1280x720", "1280×720") as (1280, 720), within MIN_SIZE–MAX_SIZE."""
    match = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", text)
    if not match:
        default = "{}x{}".format(*DEFAULT_SIZE)
        raise ImageExportError(ERR_SIZE_FORMAT.format(text=text, default=default))
    width, height = int(match.group(1)), int(match.group(2))
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise ImageExportError(ERR_SIZE_RANGE.format(text=text))
    return width, height


def parse_years(values: list[str] | None) -> list[int]:
    """The years asked for ("1858", "1860,1862" …) in that order; every year if none."""
    shown = list(selectors.year_range())
    if not values:
        return shown
    years: list[int] = []
    for value in values:
        for part in filter(None, re.split(r"[,\s]+", value)):
            if not part.isdigit() or int(part) not in shown:
                raise ImageExportError(ERR_YEAR.format(part=part, first=shown[0], last=shown[-1]))
            if int(part) not in years:
                years.append(int(part))
    return years


def export_images(
    directory: Path,
    *,
    years: list[int],
    size: tuple[int, int] = DEFAULT_SIZE,
    chromium: str | None = None,
    language: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Draw each of ``years`` at ``size`` (width, height) into ``directory`` as
    treaty-atlas-<year>.png; return the files written.

    ``chromium`` is the browser to use (default: browser.chromium_path()); ``language`` the
    language of the maps' words (default: settings.LANGUAGE_CODE). Nothing is written
    unless the browser, the atlas and the folder are all there.
    """
    try:
        executable = browser.chromium_path(chromium)
    except browser.BrowserUnavailable as exc:
        raise ImageExportError(str(exc)) from exc
    if not Feature.objects.exists():
        raise ImageExportError(ERR_EMPTY)
    if directory.exists() and not directory.is_dir():
        raise ImageExportError(ERR_NOT_A_FOLDER.format(directory=directory))
    directory.mkdir(parents=True, exist_ok=True)
    pages = {year: reverse("embed", args=[year]) for year in years}
    progress(f"Drawing {len(years)} maps at {size[0]}×{size[1]} into {directory} …")
    with browser.live_server() as base_url:
        # The server's threads use the database; Chromium runs in a thread of its own.
        return browser.in_own_thread(
            _draw,
            base_url=base_url,
            pages=pages,
            size=size,
            directory=directory,
            executable=executable,
            language=language or settings.LANGUAGE_CODE,
            progress=progress,
        )


def _draw(
    *,
    base_url: str,
    pages: dict[int, str],
    size: tuple[int, int],
    directory: Path,
    executable: str,
    language: str,
    progress: Callable[[str], None],
) -> list[Path]:
    from playwright.sync_api import Error as PlaywrightError

    written: list[Path] = []
    width, height = size
    try:
        with browser.chromium(executable) as chromium:
            # The picture's own stylesheet is injected inline; the site's CSP would refuse it.
            # The browser asks for the language as a reader's browser does (Accept-Language).
            context = chromium.new_context(
                viewport={"width": width, "height": height},
                bypass_csp=True,
                extra_http_headers={"Accept-Language": language},
            )
            page = context.new_page()
            for year, path in pages.items():
                page.goto(base_url + path, timeout=TIMEOUT_MS)
                page.wait_for_function("window.atlas && window.atlas.drawnAt", timeout=TIMEOUT_MS)
                page.add_style_tag(content=PICTURE_CSS)
                target = directory / image_name(year)
                page.screenshot(path=str(target), timeout=TIMEOUT_MS)
                written.append(target)
                progress(f"  {target.name} ({target.stat().st_size / 1024:.0f} kB)")
    except PlaywrightError as exc:
        raise ImageExportError(ERR_DRAWING.format(error=exc)) from exc
    return written
