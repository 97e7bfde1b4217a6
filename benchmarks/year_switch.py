"""Browsing speed in headless Chromium: first load of /map/1860/ and switching years.

Usage: .venv/bin/python benchmarks/year_switch.py [--switches 30]
Prints: time until every layer of the first year is drawn, bytes transferred for that load (and
whether any request left the origin), then the median and p95 of `atlas.setYear` measured
from the call to the next painted frame. Targets: switch median <= 50 ms, p95 <= 100 ms; first
load <= 1 s; <= 400 KB transferred, all from the app's own origin.
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import atlas_server  # noqa: E402

from atlas.exports.browser import chromium  # noqa: E402

TRANSFERRED = """() => performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .reduce((n, e) => [n[0] + e.transferSize, n[1] + e.decodedBodySize], [0, 0])"""

SWITCH = """async (year) => {
  const t0 = performance.now();
  window.atlas.setYear(year);
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - t0;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--switches", type=int, default=30)
    parser.add_argument(
        "--chromium", help="the Chromium to use (default: $ATLAS_CHROMIUM, else the PATH's)"
    )
    args = parser.parse_args()
    with atlas_server() as url, chromium(args.chromium) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(url + "/map/1860/")
        page.wait_for_function("window.atlas && window.atlas.drawnAt")
        drawn = page.evaluate("window.atlas.drawnAt")
        transfer, decoded = page.evaluate(TRANSFERRED)
        foreign = [u for u in requested if not u.startswith((url, "data:"))]
        print(f"first load of /map/1860/ until drawn: {drawn:.0f} ms")
        print(
            f"transferred: {transfer / 1024:.1f} KB over {len(requested)} requests "
            f"(decoded {decoded / 1024:.1f} KB); outside the origin: {len(foreign)}"
        )
        for u in foreign:
            print("  outside:", u)
        years = [1857 + (i % 6) for i in range(1, args.switches + 1)]
        page.evaluate(SWITCH, 1861)  # warm-up
        times = sorted(page.evaluate(SWITCH, y) for y in years)
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"year switches: n={len(times)} median {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
