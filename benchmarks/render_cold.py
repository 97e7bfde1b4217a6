"""Cold render of each year's map page: the view with an empty page cache, in milliseconds.

"Cold" means nothing of the page is cached: the queries, the data files it names (built once
per data version), the folium map, the template and the gzip copy are all made again (the
process itself is warm, as a web worker is after its first request). Target: at most 150 ms
per year.

Usage: .venv/bin/python benchmarks/render_cold.py [--repeat 7]
Builds a throw-away SQLite database, loads geodata/ and renders through Django's test client.
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
TARGET_MS = 150


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
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_DEBUG"] = "1"  # finders serve static; the page is the same
    os.environ.pop("DJANGO_CACHE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "atlas.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_atlas", stdout=io.StringIO())
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    start = time.perf_counter()
    client.get("/map/1858/")
    first = (time.perf_counter() - start) * 1000
    print(f"first request of the process (imports, base map read): {first:.0f} ms")
    print(
        f"{'page':<14}{'median ms':>10}{'min ms':>8}{'max ms':>8}{'cached ms':>11}  ≤ {TARGET_MS}"
    )
    worst = 0.0
    for year in range(settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR + 1):
        path = f"/map/{year}/"
        times = []
        for _ in range(repeat):
            cache.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        start = time.perf_counter()
        client.get(path)
        cached = (time.perf_counter() - start) * 1000
        median = statistics.median(times)
        worst = max(worst, median)
        ok = "yes" if median <= TARGET_MS else "NO"
        print(f"{path:<14}{median:>10.1f}{min(times):>8.1f}{max(times):>8.1f}{cached:>11.2f}  {ok}")
    print(f"slowest year (median): {worst:.1f} ms (target ≤ {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
