"""The atlas served on a free loopback port, and headless Chromium driven by Playwright.

One place for both, used by ``manage.py export_images``, the browser tests
(tests/browser/conftest.py) and the benchmarks. The browser is the system's Chromium
(``apt-get install chromium``): ``$ATLAS_CHROMIUM``, else ``chromium`` on the PATH, else
/usr/bin/chromium; Playwright downloads no browser of its own.

Importing this module needs no Django settings (the load-test benchmark only wants a port).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test.utils import override_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOST = "127.0.0.1"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# No sandbox (containers and CI run as root), no GPU, and nothing the browser would fetch or
# set up for itself: a run must not depend on, or reach, the network.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ERR_NO_CHROMIUM = (
    "Chromium was not found at {path}. Install it (apt-get install chromium) or give the path "
    "of another build with $ATLAS_CHROMIUM (export_images: --chromium)."
)
ERR_NO_PLAYWRIGHT = "Playwright is needed to drive Chromium: pip install -r requirements-dev.txt."

T = TypeVar("T")


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is not installed."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def chromium_path(path: str | None = None) -> str:
    """The Chromium to drive: ``path`` if given, else $ATLAS_CHROMIUM, else the PATH's.

    Raises BrowserUnavailable, with what to install, if it or Playwright is missing.
    """
    path = (
        path
        or os.environ.get("ATLAS_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or DEFAULT_CHROMIUM
    )
    if not Path(path).is_file():
        raise BrowserUnavailable(ERR_NO_CHROMIUM.format(path=path))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise BrowserUnavailable(ERR_NO_PLAYWRIGHT) from exc
    return path


@contextmanager
def chromium(path: str | None = None) -> Iterator[Browser]:
    """Headless Chromium (see chromium_path), closed on leaving.

    Each launch has a fresh, temporary profile (Playwright makes one and removes it), so no
    history, cache or service worker carries over from one run to the next. Playwright's
    sync API runs an event loop in this thread: where one already runs, use in_own_thread().
    """
    executable = chromium_path(path)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def in_own_thread(function: Callable[..., T], /, **kwargs: Any) -> T:
    """Run ``function`` in a thread of its own and return what it returns (or raise what it
    raised): Playwright's sync API refuses a thread where an event loop is running."""
    result: dict[str, Any] = {}

    def run() -> None:
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


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class _Server(ThreadedWSGIServer):
    """Each request in a thread of its own, which closes its database connections at the end."""

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            connections.close_all()


@contextmanager
def live_server() -> Iterator[str]:
    """Serve the atlas and its static files from this process (its settings and database) on
    a free loopback port, in a thread, and yield the base URL (``http://127.0.0.1:PORT``)."""
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, HOST]):
        server = _Server((HOST, 0), _QuietHandler, allow_reuse_address=False)
        server.set_app(StaticFilesHandler(get_wsgi_application()))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{HOST}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
