"""manage.py export_images DIR — one PNG per year of the map, drawn by headless Chromium."""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test.utils import override_settings

from atlas import selectors
from atlas.models import Feature

HOST = "127.0.0.1"
DEFAULT_SIZE = "1280x720"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
# A picture has nothing to press: the zoom buttons are left out of it.
PICTURE_CSS = ".leaflet-control-zoom { display: none !important; }"
# How long a year's map may take to open and draw, in milliseconds.
TIMEOUT_MS = 60_000


def default_chromium() -> str:
    return (
        os.environ.get("ATLAS_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or "/usr/bin/chromium"
    )


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", text)
    if not match:
        raise CommandError(f"--size {text!r}: give WIDTHxHEIGHT in pixels, e.g. {DEFAULT_SIZE}.")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= 7680 and 200 <= height <= 4320):
        raise CommandError(f"--size {text!r}: width and height must be 200–7680 × 200–4320.")
    return width, height


def parse_years(values: list[str] | None) -> list[int]:
    shown = list(selectors.year_range())
    if not values:
        return shown
    years: list[int] = []
    for value in values:
        for part in filter(None, re.split(r"[,\s]+", value)):
            if not part.isdigit() or int(part) not in shown:
                raise CommandError(
                    f"--years: {part!r} is not a year of the atlas ({shown[0]}–{shown[-1]})."
                )
            if int(part) not in years:
                years.append(int(part))
    return years


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class Server(ThreadedWSGIServer):
    """The atlas and its static files, served from this process on a free loopback port."""

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            connections.close_all()


@contextmanager
def atlas_server() -> Iterator[str]:
    """Serve the atlas (this process's settings and database) and yield its base URL."""
    hosts = list(settings.ALLOWED_HOSTS)
    with override_settings(ALLOWED_HOSTS=[*hosts, HOST]):
        server = Server((HOST, 0), QuietHandler, allow_reuse_address=False)
        server.set_app(StaticFilesHandler(get_wsgi_application()))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{HOST}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)


def capture(
    *, base_url: str, years: list[int], size: tuple[int, int], directory: Path, chromium: str, say
) -> list[Path]:
    """Open each year's /embed/<year>/ in Chromium and save the drawn map as a PNG."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    width, height = size
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                # The picture's own stylesheet is injected inline; the site's CSP would refuse it.
                context = browser.new_context(
                    viewport={"width": width, "height": height}, bypass_csp=True
                )
                page = context.new_page()
                for year in years:
                    page.goto(f"{base_url}/embed/{year}/", timeout=TIMEOUT_MS)
                    page.wait_for_function(
                        "window.atlas && window.atlas.drawnAt", timeout=TIMEOUT_MS
                    )
                    page.add_style_tag(content=PICTURE_CSS)
                    path = directory / f"treaty-atlas-{year}.png"
                    page.screenshot(path=str(path), timeout=TIMEOUT_MS)
                    written.append(path)
                    say(f"  {path.name} ({path.stat().st_size / 1024:.0f} kB)")
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise CommandError(f"Chromium could not draw the maps: {exc}") from exc
    return written


def in_thread(function, **kwargs):
    """Run ``function`` in a thread of its own (Playwright's sync API wants no running loop)."""
    result: dict = {}

    def run():
        try:
            result["value"] = function(**kwargs)
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


class Command(BaseCommand):
    help = (
        "Write one PNG per year of the map to DIR (treaty-atlas-<year>.png), drawn by headless "
        "Chromium from /embed/<year>/ served by a temporary local server. The database must be "
        "loaded (manage.py load_atlas). See docs/classroom.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Where to write (created if missing).")
        parser.add_argument(
            "--size", default=DEFAULT_SIZE, help=f"WIDTHxHEIGHT in pixels (default {DEFAULT_SIZE})."
        )
        parser.add_argument(
            "--years",
            nargs="+",
            metavar="YEAR",
            help="The years to draw, e.g. --years 1858 1860 (default: every year of the atlas).",
        )
        parser.add_argument(
            "--chromium",
            default=None,
            help="The Chromium to use (default: $ATLAS_CHROMIUM, else chromium on the PATH).",
        )

    def handle(self, *args, directory: Path, size: str, years, chromium, **options):
        width, height = parse_size(size)
        wanted = parse_years(years)
        chromium = chromium or default_chromium()
        if not Path(chromium).is_file():
            raise CommandError(
                f"Chromium was not found at {chromium}. Install it (apt-get install chromium) "
                "or give its path with --chromium or $ATLAS_CHROMIUM."
            )
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            raise CommandError(
                "Playwright is needed to drive Chromium: pip install -r requirements-dev.txt."
            ) from exc
        if not Feature.objects.exists():
            raise CommandError("The database holds no atlas: run manage.py load_atlas first.")
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a folder.")
        directory.mkdir(parents=True, exist_ok=True)

        self.stdout.write(f"Drawing {len(wanted)} maps at {width}×{height} into {directory} …")
        with atlas_server() as base_url:
            written = in_thread(
                capture,
                base_url=base_url,
                years=wanted,
                size=(width, height),
                directory=directory,
                chromium=chromium,
                say=self.stdout.write,
            )
        total = sum(p.stat().st_size for p in written)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(written)} images, {total / 1024:.0f} kB in total.")
        )
