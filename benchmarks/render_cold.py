"""Cold render of each year's map page: the view with an empty page cache, in milliseconds.

"Cold" means nothing of the page is cached: the queries, the folium map, the template and the
gzip copy are all made again (the process itself is warm, as a web worker is after its first
request). The data files the page names are shared by every page and built once per data
version, language and worker (atlas.datafiles): they are built after emptying the cache and
before the clock starts, and their build time is printed apart. Budget: at most 100 ms
per year (the median of --repeat renders; the slowest year's median is the figure).

Usage: .venv/bin/python benchmarks/render_cold.py [--repeat 7]
In the production settings (benchmarks/_server.py: debug off, collectstatic's hashed files, a
throw-away SQLite database with geodata/ loaded, no warming), rendered in this process through
Django's test client: the time of the view and its middleware, not of the network.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from _server import production_env  # noqa: E402

TARGET_MS = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="renders per year (median)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    try:
        run(tmp, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: str, repeat: int) -> None:
    os.environ.clear()
    os.environ.update(production_env(Path(tmp)))
    os.environ["ATLAS_WARM_PAGES"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_atlas", stdout=io.StringIO())
    call_command("collectstatic", "--noinput", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    start = time.perf_counter()
    client.get("/map/1858/")
    first = (time.perf_counter() - start) * 1000
    print(f"first request of the process (imports, base map read): {first:.0f} ms")
    print(
        f"{'page':<14}{'median ms':>10}{'min ms':>8}{'max ms':>8}{'cached ms':>11}  ≤ {TARGET_MS}"
    )
    from atlas import datafiles

    builds = []
    for _ in range(3):
        cache.clear()
        start = time.perf_counter()
        datafiles.current_files()
        builds.append((time.perf_counter() - start) * 1000)
    print(
        f"data files (base, features, words) built in {statistics.median(builds):.0f} ms "
        "(median of 3; once per data version, language and worker)"
    )
    worst = 0.0
    for year in range(settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR + 1):
        path = f"/map/{year}/"
        times = []
        for _ in range(repeat):
            cache.clear()
            datafiles.current_files()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        start = time.perf_counter()
        client.get(path)
        cached = (time.perf_counter() - start) * 1000
        median = statistics.median(times)
        worst = max(worst, median)
        ok = "OK" if median <= TARGET_MS else "NO"
        print(f"{path:<14}{median:>10.1f}{min(times):>8.1f}{max(times):>8.1f}{cached:>11.2f}  {ok}")
    verdict = "OK" if worst <= TARGET_MS else "NO"
    print(
        f"cold render, slowest year (median of {repeat}): {worst:.1f} ms "
        f"(budget ≤ {TARGET_MS} ms) {verdict}"
    )


if __name__ == "__main__":
    main()
