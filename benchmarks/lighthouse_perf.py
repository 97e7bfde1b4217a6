"""Lighthouse's mobile performance score of every kind of page, in the production set-up
(benchmarks/_server.py: gunicorn, whitenoise, gzip, debug off).

Usage: .venv/bin/python benchmarks/lighthouse_perf.py [--runs 3] [--pages /map/1860/,/]
                                                      [--lighthouse PATH] [--verbose]

Lighthouse (npm, package.json; or the cli/index.js that --lighthouse names) drives the
system's Chromium headless with its default mobile preset: a phone's screen, its simulated slow
4G network and 4× slower CPU. Each page is audited --runs times; the median score is the
figure, printed with the median first contentful paint, largest contentful paint, total
blocking time, cumulative layout shift and speed index. Budget: ≥ 90 on every page.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, production_server  # noqa: E402

from atlas.exports.browser import chromium_path  # noqa: E402

BUDGET = 90
PAGES = [
    "/",
    *[f"/map/{year}/" for year in range(1857, 1863)],
    "/map/1862/?feature=shanghai",
    "/present/",
    "/present/?step=5",
    "/embed/1860/",
    "/places/shanghai/",
    "/treaties/aigun-1858/",
    "/people/muravyov/",
]
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


LIGHTHOUSE = ROOT / "node_modules/lighthouse/cli/index.js"


def audit(url: str, chromium: str, lighthouse: Path, *, tries: int = 3) -> dict:
    """One Lighthouse run of the performance category (mobile): score and metrics. A run
    Lighthouse itself gives up on (its trace lost on a busy machine) is run again."""
    for attempt in range(tries):
        try:
            return _audit(url, chromium, lighthouse)
        except subprocess.CalledProcessError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _audit(url: str, chromium: str, lighthouse: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(  # noqa: S603
            [
                "node", str(lighthouse), url, "--only-categories=performance",
                "--chrome-flags=--headless=new --no-sandbox", "--output=json",
                f"--output-path={report}", "--quiet",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": chromium},
        )  # fmt: skip
        result = json.loads(report.read_text())
    figures = {name: result["audits"][key]["numericValue"] for key, name in METRICS.items()}
    figures["score"] = round(result["categories"]["performance"]["score"] * 100)
    items = result["audits"].get("largest-contentful-paint-element", {}).get("details") or {}
    items = items.get("items") or [{}]
    node = ((items[0].get("items") or [{}])[0].get("node") or {}) if items else {}
    figures["lcp_element"] = node.get("selector", "?")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", help="comma-separated paths (default: every kind of page)")
    parser.add_argument("--verbose", action="store_true", help="name each page's LCP element")
    parser.add_argument("--lighthouse", type=Path, default=LIGHTHOUSE, help="its cli/index.js")
    args = parser.parse_args()
    if not args.lighthouse.is_file():
        sys.exit(f"Lighthouse is not at {args.lighthouse}: npm ci (package.json lists it)")
    pages = args.pages.split(",") if args.pages else PAGES
    chromium = chromium_path()
    held = True
    with production_server() as server:
        print(f"Lighthouse mobile performance, {args.runs} runs per page (medians)")
        print(f"{'page':<30}{'score':>6}{'min':>5}{'FCP':>7}{'LCP':>7}{'TBT':>6}{'CLS':>7}"
              f"{'SI':>7}  ≥ {BUDGET}")  # fmt: skip
        for path in pages:
            runs = [audit(server.url + path, chromium, args.lighthouse) for _ in range(args.runs)]
            score = statistics.median(r["score"] for r in runs)
            verdict = "OK" if score >= BUDGET else "NO"
            held &= verdict == "OK"
            m = {k: statistics.median(r[k] for r in runs) for k in METRICS.values()}
            print(
                f"{path:<30}{score:>6.0f}{min(r['score'] for r in runs):>5}"
                f"{m['FCP']:>7.0f}{m['LCP']:>7.0f}{m['TBT']:>6.0f}{m['CLS']:>7.3f}{m['SI']:>7.0f}"
                f"  {verdict}",
                flush=True,
            )
            if args.verbose:
                print(f"    largest contentful paint: {runs[0]['lcp_element']}")
    print(f"Lighthouse mobile performance ≥ {BUDGET} on every page: {'OK' if held else 'NO'}")


if __name__ == "__main__":
    main()
