"""Start the atlas on a free loopback port with a throw-away database, for the benchmarks."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    """Migrate and load a temporary SQLite database, run the server, yield its base URL."""
    tmp = tempfile.mkdtemp()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "-v0"], ["load_atlas"]):
        subprocess.run(manage + args, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
