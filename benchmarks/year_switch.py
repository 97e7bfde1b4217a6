"""Switching years in headless Chromium, in the production set-up (benchmarks/_server.py).

Usage: .venv/bin/python benchmarks/year_switch.py [--switches 60] [--runs 3]

Loads /map/1860/ on a 1280×720 window, then calls ``atlas.setYear`` for another year
``--switches`` times (every year in turn), each after the page has painted and gone idle.

The script cost of a switch is the main thread's work for it up to its layout:
  the synchronous call of setYear (with any layout it forces),
  + the work it left for the next frame: from that frame's start (the requestAnimationFrame
    time stamp) to the end of a style and layout forced after every callback of that frame
    (labels placed in an animation frame count; the wait for the frame does not).
Paint and compositing are not counted. Budget: p95 ≤ 16 ms (one frame at 60 Hz) over the
switches; with --runs N, the page is loaded N times in fresh browsers and the median of the
runs' p95 is the figure. Also printed: the time from the call to the next frame painted.

Those are times on the clock: on a machine busy with other work they grow with the time the
renderer waits for a core. So each switch is also measured as the CPU time of the renderer's
main thread (the DevTools Protocol's Performance.getMetrics ThreadTime, read before and after
the measured call), less the median CPU time of the same call for the year already shown (a
call that changes nothing: the measuring itself, the frames it waits for). That figure includes
the frame's paint, and is printed beside the first as "CPU".
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import production_server, wait_for  # noqa: E402

from atlas.exports.browser import chromium  # noqa: E402

P95_BUDGET_MS = 16

SWITCH = """async (year) => {
  // Start on an idle main thread, just after a frame.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const t0 = performance.now();
  window.atlas.setYear(year);
  const sync = performance.now() - t0;
  const frame = await new Promise((resolve) => requestAnimationFrame((frameStart) => {
    // Queued after setYear's own frame callbacks: they have run; force style and layout.
    document.body.getBoundingClientRect();
    void document.body.offsetHeight;
    resolve(performance.now() - Math.max(frameStart, t0 + sync));
  }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return {script: sync + frame, sync: sync, painted: performance.now() - t0};
}"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def one_run(browser, url: str, switches: int) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def thread_ms() -> float:
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "ThreadTime") * 1000

    def measured(year: int) -> dict:
        before = thread_ms()
        result = page.evaluate(SWITCH, year)
        result["cpu"] = thread_ms() - before
        return result

    page.goto(url + "/map/1860/")
    wait_for(page, "window.atlas && window.atlas.drawnAt")
    page.wait_for_timeout(500)
    years = [1857 + (i % 6) for i in range(1, switches + 1)]
    page.evaluate(SWITCH, 1861)  # warm-up
    results = [measured(y) for y in years]
    idle = statistics.median(measured(years[-1])["cpu"] for _ in range(max(10, switches // 3)))
    page.close()
    script = [r["script"] for r in results]
    cpu = [r["cpu"] - idle for r in results]
    return {
        "cpu_median": statistics.median(cpu),
        "cpu_p95": p95(cpu),
        "median": statistics.median(script),
        "p95": p95(script),
        "max": max(script),
        "sync_p95": p95([r["sync"] for r in results]),
        "painted_median": statistics.median(r["painted"] for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with production_server() as server:
        runs = []
        for n in range(args.runs):
            with chromium() as browser:
                r = one_run(browser, server.url, args.switches)
            runs.append(r)
            print(
                f"run {n + 1}: {args.switches} switches, script cost median {r['median']:.1f} ms, "
                f"p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms (setYear itself p95 "
                f"{r['sync_p95']:.1f} ms); to the next frame painted, median "
                f"{r['painted_median']:.1f} ms; CPU median {r['cpu_median']:.1f} ms, "
                f"p95 {r['cpu_p95']:.1f} ms"
            )
    for name, key in (("on the clock", "p95"), ("CPU", "cpu_p95")):
        figure = statistics.median(r[key] for r in runs)
        verdict = "OK" if figure <= P95_BUDGET_MS else "NO"
        print(
            f"year switch script cost p95, {name} (median of {args.runs} runs): {figure:.1f} ms "
            f"(budget ≤ {P95_BUDGET_MS} ms) {verdict}"
        )


if __name__ == "__main__":
    main()
