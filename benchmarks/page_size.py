"""Print what a reader downloads for each year's map page: HTML, static assets, gzip sizes.

"geojson KB" is the GeoJSON the page embeds: the base map and the features of every year (the
year control switches layers without a request); the target is at most 400 KB.

Usage: .venv/bin/python benchmarks/page_size.py
Builds a throw-away SQLite database, loads geodata/, renders every year through Django's test
client and measures the bytes of the page and of each asset it references.
"""

import gzip
import io
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "benchmark-only-not-secret-" + "Jx4Nq8Vd2Lr6Tw0Kz3Hm7Pb5Fc9Sg1Ya"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "atlas.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_atlas", stdout=io.StringIO())
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    print(
        f"{'page':<16}{'html KB':>9}{'gz KB':>8}{'geojson KB':>12}{'assets KB':>11}"
        f"{'total KB':>10}{'render ms':>11}"
    )
    for year in range(settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR + 1):
        path = f"/map/{year}/"
        client.get(path)  # warm imports and template caches
        cache.clear()  # time a render, not a hit of the page cache
        start = time.perf_counter()
        html = client.get(path).content
        ms = (time.perf_counter() - start) * 1000
        assets = 0
        for url in set(re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)):
            found = finders.find(url.decode()[len(settings.STATIC_URL) :])
            assets += Path(found).stat().st_size
        print(
            f"{path:<16}{len(html) / 1024:>9.1f}{len(gzip.compress(html)) / 1024:>8.1f}"
            f"{embedded_geojson(html) / 1024:>12.1f}{assets / 1024:>11.1f}"
            f"{(len(html) + assets) / 1024:>10.1f}{ms:>11.1f}"
        )


def embedded_geojson(html: bytes) -> int:
    """Bytes of the GeoJSON collections passed to atlas.addBaseMap and atlas.addFeatures."""
    text = html.decode()
    total = 0
    for call in ("atlas.addBaseMap(", "atlas.addFeatures("):
        start = text.index(", ", text.index(call)) + 2
        data, _ = json.JSONDecoder().raw_decode(text[start:])
        collections = data.values() if call == "atlas.addBaseMap(" else [data["features"]]
        total += sum(
            len(json.dumps(c, ensure_ascii=False, separators=(",", ":"))) for c in collections
        )
    return total


if __name__ == "__main__":
    main()
