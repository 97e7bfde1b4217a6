"""The atlas in the production set-up, on a free loopback port, for the benchmarks.

gunicorn (two sync workers) with whitenoise serving collectstatic's hashed files and their gzip
copies, debug off, the page cache warmed as each worker starts (ATLAS_WARM_PAGES) — the
README's "Production" — with a throw-away SQLite database and STATIC_ROOT in a temporary
directory. Plain HTTP on loopback: no redirect to HTTPS (a TLS proxy does that in production).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
WORKERS = 2


def wait_until_up(url: str, *, tries: int = 100, pause: float = 0.1) -> None:
    """Wait until the atlas at ``url`` answers (its treaties API)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url + "/api/treaties.json", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(pause)
    raise RuntimeError(f"the atlas at {url} did not start")


def wait_for(page, expression: str, timeout: float = 60) -> None:
    """Wait until a JavaScript expression is true in a Playwright page, asking from here: the
    site's Content-Security-Policy forbids the eval() with which Playwright's wait_for_function
    polls inside the page."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def production_env(tmp: Path) -> dict[str, str]:
    """The environment of a production server whose database and static files are in tmp."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40 + "Zq93LmW",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_SETTINGS_MODULE="atlas.settings",
    )
    return env


def prepare(tmp: Path, env: dict[str, str]) -> None:
    """migrate, load_atlas and collectstatic into tmp."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "-v0"], ["load_atlas"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + step, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


@dataclass
class Server:
    url: str
    pid: int  # gunicorn's master
    tmp: Path
    env: dict[str, str]

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [int(c) for c in children]


@contextlib.contextmanager
def production_server(*, workers: int = WORKERS, before_start=None) -> Iterator[Server]:
    """Prepare a throw-away atlas, start gunicorn on a free port, wait until every worker has
    warmed its page cache, and yield the Server. ``before_start(tmp, env)`` may add files."""
    from atlas.exports.browser import free_port

    tmp = Path(tempfile.mkdtemp())
    env = production_env(tmp)
    server = None
    try:
        prepare(tmp, env)
        if before_start:
            before_start(tmp, env)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "atlas.wsgi", "-w", str(workers), "-b",
             f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, tries=600, pause=0.2)
        # Every worker answers (and has warmed its cache) before anything is measured.
        for _ in range(8 * workers):
            urllib.request.urlopen(url + "/map/1858/", timeout=60).read()  # noqa: S310
        yield Server(url=url, pid=server.pid, tmp=tmp, env=env)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def atlas_server() -> Iterator[str]:
    """The production set-up (production_server); yields its base URL."""
    with production_server() as server:
        yield server.url
