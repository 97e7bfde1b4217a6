"""The production set-up with two gunicorn workers, as the README runs it: every worker gives
a page the same bytes and ETag, refuses a foreign Host before its cache, answers HEAD; with Redis
(DJANGO_CACHE_URL, as `make test`'s second cache run sets it) an edit reaches both at once.

Each worker is told apart by its process id in gunicorn's access log.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_production import manage, production_env

ROOT = Path(settings.BASE_DIR)
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "").strip()
REDIS = CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
PAGES = ["/map/1858/", "/map/1860/?feature=vladivostok", "/present/?step=3", "/places/shanghai/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn, two sync workers, debug off, the atlas loaded; yields (base URL, env, log)."""
    tmp = tmp_path_factory.mktemp("workers")
    env = production_env(tmp, DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0")
    if CACHE_URL:
        env["DJANGO_CACHE_URL"] = CACHE_URL
    for args in (["migrate", "-v0"], ["load_atlas"], ["collectstatic", "--noinput", "-v0"]):
        result = manage(*args, env=env)
        assert result.returncode == 0, result.stderr
    if REDIS:  # what another run left there is not this database's
        manage("shell", "-v0", "-c", "from django.core.cache import cache; cache.clear()", env=env)
    port = free_port()
    log = tmp / "access.log"
    process = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "atlas.wsgi", "-w", "2",
         "-b", f"127.0.0.1:{port}", "--access-logfile", str(log),
         "--access-logformat", "%(p)s %(m)s %(U)s?%(q)s %(s)s"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/treaties.json", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield base, env, log
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None):
    """(status, headers, body) of one request; errors are answers too."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def from_both_workers(base: str, log: Path, path: str, **kwargs) -> list[tuple]:
    """Answers to ``path`` until each of the two workers has given some (concurrent requests
    land on both)."""
    answers: list[tuple] = []
    for _ in range(20):
        with ThreadPoolExecutor(8) as pool:
            answers += pool.map(lambda _: fetch(base + path, **kwargs), range(16))
        time.sleep(0.2)  # the access log is written after the response
        entries = re.findall(
            rf"^<(\d+)> \S+ {re.escape(path.split('?')[0])}\?", log.read_text(), re.M
        )
        if len(set(entries)) >= 2:
            return answers
    pytest.fail(f"one worker answered every request for {path}")


@pytest.mark.parametrize("path", PAGES)
def test_both_workers_give_a_page_the_same_etag(server, path):
    base, _, log = server
    answers = from_both_workers(base, log, path)
    assert {status for status, _, _ in answers} == {200}
    etags = {headers["ETag"] for _, headers, _ in answers}
    assert len(etags) == 1, etags
    assert len({body for _, _, body in answers}) == 1  # the same bytes from either worker
    etag = etags.pop()
    policy = {headers["Content-Security-Policy"] for _, headers, _ in answers}
    assert len(policy) == 1 and "script-src 'self';" in policy.pop()
    # Either worker confirms the copy a browser got from the other, with the same policy.
    revalidated = from_both_workers(base, log, path, headers={"If-None-Match": etag})
    assert {status for status, _, _ in revalidated} == {304}
    policies = {headers["Content-Security-Policy"] for _, headers, _ in revalidated}
    assert policies == {answers[0][1]["Content-Security-Policy"]}


def test_both_workers_refuse_a_foreign_host_for_a_cached_page(server):
    base, _, log = server
    from_both_workers(base, log, "/map/1861/")  # now in each worker's cache
    answers = from_both_workers(base, log, "/map/1861/", headers={"Host": "evil.example"})
    assert {status for status, _, _ in answers} == {400}


def test_both_workers_answer_head(server):
    base, _, log = server
    answers = from_both_workers(base, log, "/embed/1859/", method="HEAD")
    assert {status for status, _, _ in answers} == {200}
    assert {body for _, _, body in answers} == {b""}
    assert len({headers["ETag"] for _, headers, _ in answers}) == 1


def test_the_cache_in_use_is_the_one_configured(server):
    _, env, _ = server
    code = (
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('atlas:ping', 'pong'); print(type(cache).__name__, cache.get('atlas:ping'))"
    )
    result = manage("shell", "-v0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr  # Redis expected but not answering: fails
    backend = "RedisCache" if REDIS else "LocMemCache"
    assert result.stdout.split() == [backend, "pong"]


def test_an_edit_reaches_both_workers_at_once_with_redis_and_on_expiry_without(server):
    base, env, log = server
    before = from_both_workers(base, log, "/places/kyakhta/")
    assert all(b"Kyakhta (edited)" not in body for _, _, body in before)
    edit = (
        "from atlas.models import Feature; from atlas.cache import data_changed; "
        "Feature.objects.filter(slug='kyakhta')"
        ".update(name={'en': 'Kyakhta (edited)', 'ru': 'Кяхта', 'zh-hans': '恰克图'}); "
        "data_changed()"
    )
    result = manage("shell", "-v0", "-c", edit, env=env)
    assert result.returncode == 0, result.stderr
    after = from_both_workers(base, log, "/places/kyakhta/")
    if REDIS:  # one shared cache: the new data version reaches both workers at once
        assert all(b"Kyakhta (edited)" in body for _, _, body in after)
    else:  # each worker's own memory: its copies stand until they expire (README)
        assert all(b"Kyakhta (edited)" not in body for _, _, body in after)
