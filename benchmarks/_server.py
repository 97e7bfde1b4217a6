"""The atlas on a free loopback port with a throw-away database, for the benchmarks.

The server is atlas/exports/browser.py's, the one export_images and the browser tests use.
"""

import contextlib
import io
import os
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def wait_until_up(url: str, *, tries: int = 100, pause: float = 0.1) -> None:
    """Wait until the atlas at ``url`` answers (its treaties API)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url + "/api/treaties.json", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(pause)
    raise RuntimeError(f"the atlas at {url} did not start")


@contextlib.contextmanager
def atlas_server() -> Iterator[str]:
    """Migrate and load a temporary SQLite database, serve the atlas from this process in a
    thread, and yield its base URL. Call it before starting Playwright in this thread."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DJANGO_DEBUG"] = "1"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atlas.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from atlas.exports.browser import live_server

        call_command("migrate", verbosity=0)
        call_command("load_atlas", stdout=io.StringIO())
        connections.close_all()
        with live_server() as url:
            yield url
