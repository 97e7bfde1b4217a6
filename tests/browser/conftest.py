"""Real Chromium through Playwright, against the live test server with the real atlas loaded.

The browser is the system's Chromium (`apt-get install chromium`); there is no browser download.
A missing browser fails the tests: it is never a reason to skip them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import load

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test's
# own fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ATLAS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. `make test` installs it (apt-get install "
            "chromium); set ATLAS_CHROMIUM to use another build."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def atlas_server(live_server, transactional_db):
    load(Path(settings.ATLAS_GEODATA_DIR))
    return live_server


class PageWatch:
    """What a page did that a reader should never see: errors, and requests off the origin."""

    def __init__(self, origin: str):
        self.origin = origin
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []

    def on_request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.origin) or url.startswith("data:")):
            self.foreign_requests.append(url)

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def page(browser, atlas_server):
    # Playwright's polling waits (wait_for_function) and injected tools (axe-core) run code the
    # site's Content-Security-Policy forbids to any script but its own; these tests check what
    # a reader sees. tests/browser/test_csp_browser.py drives every page with the policy on.
    context = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True)
    page = context.new_page()
    watch = PageWatch(atlas_server.url)
    page.on("request", watch.on_request)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.watch = watch
    page.base_url = atlas_server.url
    yield page
    context.close()
