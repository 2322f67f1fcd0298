#!/usr/bin/env python3
"""How long the map's frames take while it is zoomed and pointed at, in software-rendered Chromium.

    python bench/map_frames.py                     # the map in maps/ (build it first: geomap build)
    python bench/map_frames.py --maps OTHER/ --out bench/results/map_frames.json

A benchmark, not a test: it checks nothing and never runs in the suite. Headless Chromium (Debian's
/usr/bin/chromium, no GPU: every pixel is drawn in software) opens the map at 1280x800; at each
zoom from 5 to 16, centred on each event place of the focus region the map shows (Phnom Penh,
Sihanoukville...), the view is set and the mouse is moved over the map's middle for a second while
requestAnimationFrame records every frame, from just before the view is set. A frame is the time between two callbacks; the report
gives, per zoom, the longest frame and the 95th percentile, and the longest overall. The events
issue's map asks for no frame over 100 ms with the seed data.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
CENTRES = {"Phnom Penh": (11.5564, 104.9282), "Sihanoukville": (10.6093, 103.5296)}

_RECORD = """() => { window.__frames = []; const tick = t => { window.__frames.push(t);
  window.__frameId = requestAnimationFrame(tick); }; window.__frameId = requestAnimationFrame(tick); }"""


def measure(maps: Path) -> dict:
    from browsing import open_page, serve
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(maps) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page, errors, _ = open_page(browser, url)
        for name, (lat, lon) in CENTRES.items():
            for zoom in range(5, 17):
                page.evaluate(_RECORD)
                page.wait_for_timeout(50)
                # the frame that draws the new view is counted too
                page.evaluate(f"void window.geomap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
                for step in range(20):  # the mouse crosses the middle of the map: hover circles come and go
                    page.mouse.move(440 + step * 20, 300 + step * 10)
                    page.wait_for_timeout(50)
                frames = page.evaluate("(() => { cancelAnimationFrame(window.__frameId); return window.__frames; })()")
                gaps = [b - a for a, b in zip(frames, frames[1:])]
                rows.append({"centre": name, "zoom": zoom, "frames": len(gaps),
                             "longest_ms": round(max(gaps), 1) if gaps else None,
                             "p95_ms": round(statistics.quantiles(gaps, n=20)[-1], 1) if len(gaps) > 20 else None})
        browser.close()
    longest = max(r["longest_ms"] for r in rows if r["longest_ms"] is not None)
    return {"viewport": "1280x800", "renderer": "software (--disable-gpu)", "rows": rows,
            "longest_frame_ms": longest, "page_errors": errors}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", type=Path, default=ROOT / "maps", help="the folder a build wrote (default: maps/)")
    parser.add_argument("--out", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    result = measure(args.maps)
    for row in result["rows"]:
        print(f"{row['centre']:<14} zoom {row['zoom']:>2}: {row['frames']:>3} frames, longest {row['longest_ms']} ms, "
              f"95th percentile {row['p95_ms']} ms")
    print(f"longest frame: {result['longest_frame_ms']} ms")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
