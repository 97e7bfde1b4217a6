"""Audit every kind of page with outside tools: Lighthouse's accessibility score (a phone and a
desktop, English and Russian) and the Nu HTML checker's errors and warnings.

Usage: .venv/bin/python benchmarks/audit_pages.py [--form-factors mobile,desktop]
                                                  [--languages en,ru] [--no-lighthouse]
Both tools come from npm (package.json: lighthouse, vnu-jar; the checker needs Java). The atlas
is served from a throw-away database; Lighthouse drives the system's Chromium. A page's score is
out of 100; each audit it fails is listed under it.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _server import ROOT, atlas_server

PAGES = [
    "/",
    "/map/1857/",
    "/map/1860/",
    "/map/1862/?feature=shanghai",
    "/present/",
    "/present/?step=2",
    "/present/?step=10",
    "/present/?step=11",
    "/embed/1860/",
    "/places/shanghai/",
    "/places/ussuri-cession/",
    "/treaties/tianjin-1858/",
    "/treaties/peking-1860/",
]
LIGHTHOUSE = ROOT / "node_modules/lighthouse/cli/index.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def lighthouse(url: str, *, form_factor: str, language: str, chromium: str) -> dict:
    """Lighthouse's accessibility category for one page: its score and the audits it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            "node",
            str(LIGHTHOUSE),
            url,
            "--only-categories=accessibility",
            "--chrome-flags=--headless=new --no-sandbox",
            f"--extra-headers={json.dumps({'Accept-Language': language})}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium})  # noqa: S603
        result = json.loads(report.read_text())
    category = result["categories"]["accessibility"]
    failed = [
        audit_id
        for audit_id, audit in result["audits"].items()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    return {"score": round(category["score"] * 100), "failed": failed}


def nu_checker(base: str, languages: list[str]) -> dict[str, list[str]]:
    """The Nu HTML checker's errors and warnings for every page, in every language."""
    with tempfile.TemporaryDirectory() as tmp:
        pages: dict[str, str] = {}  # file name -> page and language
        for language in languages:
            for path in PAGES:
                request = urllib.request.Request(base + path, headers={"Accept-Language": language})
                with urllib.request.urlopen(request) as response:  # noqa: S310 (our own server)
                    name = f"page{len(pages)}.html"
                    (Path(tmp) / name).write_bytes(response.read())
                    pages[name] = f"{path} [{language}]"
        run = subprocess.run(  # noqa: S603
            ["java", "-jar", str(VNU), "--format", "json", "--stdout"]  # noqa: S607
            + [str(Path(tmp) / name) for name in pages],
            capture_output=True,
            text=True,
        )
    messages: dict[str, list[str]] = {page: [] for page in pages.values()}
    for message in json.loads(run.stdout or "{}").get("messages", []):
        page = pages.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "?"))
        kind = message.get("subType") or message["type"]  # error, warning, or info
        messages.setdefault(page, []).append(f"{kind}: {message['message']}")
    return messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--form-factors", default="mobile,desktop")
    parser.add_argument("--languages", default="en,ru")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    languages = args.languages.split(",")
    with atlas_server() as base:
        from atlas.exports.browser import chromium_path

        print("Nu HTML checker (errors, warnings, notes):", flush=True)
        for page, messages in nu_checker(base, languages).items():
            count = [sum(m.startswith(k) for m in messages) for k in ("error", "warning", "info")]
            print(f"  {page:40} {count[0]} {count[1]} {count[2]}")
            for message in messages:
                print(f"      {message}")
        if args.no_lighthouse:
            return
        print("Lighthouse accessibility (of 100):", flush=True)
        chromium = chromium_path()
        for language in languages:
            for form_factor in args.form_factors.split(","):
                for path in PAGES:
                    result = lighthouse(
                        base + path, form_factor=form_factor, language=language, chromium=chromium
                    )
                    failed = ", ".join(result["failed"]) or "—"
                    print(f"  {path:30} {language} {form_factor:7} {result['score']:4}  {failed}")
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
