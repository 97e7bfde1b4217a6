"""The production set-up under load: gunicorn (2 workers) + whitenoise, debug off.

In one run, against one server:
1. throughput of the cached map page /map/1858/ and of a static file of the same bytes served
   by whitenoise from the collected STATIC_ROOT, with 32 concurrent connections, measured in
   alternating rounds (target: the page ≥ 70% of the static file), uncompressed and gzip;
2. a 30-second load over every page of the site (every year, step, embed, place, treaty and
   the APIs), with queries a page does not know mixed in (a feature that does not exist, a
   fresh one on every 10th request; parameters of other sites), reporting failed requests
   (target: none) and the 99th percentile of latency (target: ≤ 500 ms);
3. each worker's resident memory (RSS) after that load, i.e. after serving every page
   (budget: ≤ 120 MB each).

Usage: .venv/bin/python benchmarks/load_test.py [--round 10] [--rounds 2] [--load 30]
Needs wrk (`apt-get install wrk`, Debian's HTTP load generator). Builds a throw-away SQLite
database and STATIC_ROOT in a temporary directory.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import production_env, wait_until_up  # noqa: E402

from atlas.exports.browser import free_port  # noqa: E402

BIN = Path(sys.executable).parent
CONNECTIONS = 32
WORKERS = 2

# Every page of the site, printed as JSON by the app itself (no server needed).
LIST_PAGES = """
import json
from atlas.cache import site_pages
print(json.dumps(site_pages()))
"""
# Addresses with queries the pages do not know: each costs what the page's cached copy costs.
ODD_QUERIES = [
    "/map/1858/?feature=atlantis",
    "/embed/1860/?feature=nowhere&utm_source=newsletter",
    "/?fbclid=IwAR0xyz",
    "/present/?step=99",
    "/places/shanghai/?ref=lesson-plan",
    "/api/features.geojson?year=%201861%20",
]
TARGET_P99_MS = 500
TARGET_RSS_MB = 120

# wrk: walk the list of paths round-robin, and every 10th request ask a year's map for a
# feature no one has asked for before; count every response that is not a 200.
WRK_MIX = """
paths = {%s}
i = 0
n = 0
failed = 0
request = function()
  n = n + 1
  if n %% 10 == 0 then
    return wrk.format("GET", "/map/" .. (1857 + n %% 6) .. "/?feature=f" .. n)
  end
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
response = function(status, headers, body)
  if status ~= 200 then failed = failed + 1 end
end
"""
WRK_HEADERS = """
local accept = "%s"
request = function()
  if accept ~= "" then wrk.headers["Accept-Encoding"] = accept end
  return wrk.format("GET")
end
"""


def wrk(url: str, seconds: int, script: str) -> dict:
    """Run wrk with 32 connections; requests/s, MB/s, non-200 responses and socket errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", f.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(f.name)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        # Read errors on a closed keep-alive socket are wrk's reconnects, not failed requests;
        # every request wrk sent either got a status (counted above) or a timeout.
        "timeouts": int(errors.group(4)) if errors else 0,
        "connect_errors": int(errors.group(1)) if errors else 0,
    }


def ms(latency: str) -> float:
    """wrk's latency ('812.00us', '28.12ms', '1.34s') in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", latency).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(c) for c in children]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, default=10, help="seconds per throughput round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each kind")
    parser.add_argument("--load", type=int, default=30, help="seconds of the mixed load")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp())
    port = free_port()
    env = production_env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "-v0"], ["load_atlas"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + step, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    paths = json.loads(
        subprocess.run(
            manage + ["shell", "-v0", "-c", LIST_PAGES],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout  # fmt: skip
    )
    page = subprocess.run(
        manage + ["shell", "-v0", "-c", "from django.test import Client; import sys; "
                  "sys.stdout.buffer.write(Client(HTTP_HOST='127.0.0.1').get('/map/1858/').content)"],
        env=env, check=True, capture_output=True, cwd=ROOT,
    ).stdout  # fmt: skip
    # The same bytes as a static file (and its gzip sibling, as collectstatic makes them);
    # whitenoise indexes STATIC_ROOT when the workers start.
    (tmp / "static" / "bench").mkdir()
    (tmp / "static" / "bench" / "page-copy.html").write_bytes(page)
    (tmp / "static" / "bench" / "page-copy.html.gz").write_bytes(gzip.compress(page, 6))

    started = time.perf_counter()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "atlas.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, tries=600, pause=0.2)
        up = time.perf_counter() - started
        # Warm both workers' caches for the measured page.
        for _ in range(20):
            body = urllib.request.urlopen(base + "/map/1858/", timeout=10).read()  # noqa: S310
        assert len(body) == len(page), (len(body), len(page))
        print(f"gunicorn: {WORKERS} sync workers, whitenoise, debug off, SQLite, locmem cache")
        print(f"answering after {up:.1f} s (each worker renders every page as it starts)")
        print(f"page /map/1858/: {len(page) / 1024:.1f} KiB; static copy: same bytes")
        print(f"\nthroughput, {CONNECTIONS} connections, {args.rounds}×{args.round} s each:")
        print(f"{'encoding':<10}{'what':<22}{'req/s':>9}{'p50':>9}{'p99':>9}{'non-200':>9}")
        for label, accept in (("identity", ""), ("gzip", "gzip")):
            totals = {"page": [], "static": []}
            for _ in range(args.rounds):
                for what, path in (("static", "/static/bench/page-copy.html"),
                                   ("page", "/map/1858/")):  # fmt: skip
                    r = wrk(base + path, args.round, WRK_HEADERS % accept)
                    totals[what].append(r["rps"])
                    name = "cached /map/1858/" if what == "page" else "static file, same size"
                    print(f"{label:<10}{name:<22}{r['rps']:>9.0f}{r['p50']:>9}{r['p99']:>9}"
                          f"{r['non2xx']:>9}")  # fmt: skip
            page_rps = sum(totals["page"]) / len(totals["page"])
            static_rps = sum(totals["static"]) / len(totals["static"])
            print(f"{label:<10}page / static = {page_rps:.0f} / {static_rps:.0f} = "
                  f"{page_rps / static_rps:.0%} (target ≥ 70%)")  # fmt: skip

        lua_paths = ", ".join(json.dumps(p) for p in paths + ODD_QUERIES)
        print(
            f"\n{args.load}-second load over all {len(paths)} pages, {len(ODD_QUERIES)} odd "
            f"queries, a new ?feature= every 10th request; {CONNECTIONS} connections:"
        )
        r = wrk(base + "/", args.load, WRK_MIX % lua_paths)
        failed = r["non2xx"] + r["timeouts"] + r["connect_errors"]
        print(f"{r['requests']} requests, {r['rps']:.0f} req/s, p50 {r['p50']}, p99 {r['p99']}; "
              f"failed: {failed} (non-200 {r['non2xx']}, timeouts {r['timeouts']}, "
              f"connect errors {r['connect_errors']})")  # fmt: skip
        verdict = {True: "met", False: "MISSED"}
        print(f"targets: no failures — {verdict[failed == 0]}; p99 ≤ {TARGET_P99_MS} ms — "
              f"{verdict[ms(r['p99']) <= TARGET_P99_MS]}")  # fmt: skip

        workers = workers_of(server.pid)
        sizes = [rss_mb(pid) for pid in workers]
        verdict = "OK" if max(sizes) <= TARGET_RSS_MB else "NO"
        print(f"\nworker RSS after serving every page: "
              f"{', '.join(f'{s:.0f} MB' for s in sizes)} (budget ≤ {TARGET_RSS_MB} MB each) "
              f"{verdict}")  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
