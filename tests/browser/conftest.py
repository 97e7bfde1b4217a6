"""Real Chromium through Playwright, against a live server with the real atlas loaded.

The browser is the system's Chromium (`apt-get install chromium`); there is no browser download.
A missing browser fails the tests: it is never a reason to skip them.
"""

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from atlas.exports.browser import BrowserUnavailable, chromium, chromium_path, live_server
from tests.conftest import load

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test's
# own fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def wait_for(page, expression: str, timeout: float = 30) -> None:
    """Wait until a JavaScript expression is true in the page, asking from here. (Playwright's
    wait_for_function polls with eval() inside the page, which the atlas' Content-Security-
    Policy forbids; the map is drawn in slices after the page's load, so tests do wait.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser():
    try:
        executable = chromium_path()
    except BrowserUnavailable as exc:
        pytest.fail(f"{exc} `make test` installs it.")
    with chromium(executable) as launched:
        yield launched


@pytest.fixture
def atlas_server(transactional_db):
    """The atlas, committed and served from this process (``.url`` is its base URL)."""
    load(Path(settings.ATLAS_GEODATA_DIR))
    with live_server() as url:
        yield SimpleNamespace(url=url)


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
