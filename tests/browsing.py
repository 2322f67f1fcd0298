"""Shared by the browser tests: Debian's Chromium through Playwright, a local HTTP server for a
build's folder, and pages whose every request off the local host is recorded and answered locally."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# A 1x1 transparent PNG served for every tile request: the test never reaches the internet.
BLANK_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class serve:
    """``with serve(folder) as url``: the folder over HTTP on 127.0.0.1, on a free port."""

    def __init__(self, folder: Path):
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def open_page(browser, url, wait_for_map=True, viewport=None):
    """A page with every non-local request recorded and answered locally (tiles get a blank PNG)."""
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 800}, accept_downloads=True)
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # a dialog (alert, confirm, prompt) is a payload that ran: recorded as an error from the start
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def route(request_route):
        request_url = request_route.request.url
        if request_url.startswith("http://127.0.0.1"):
            request_route.continue_()
        else:
            outside.append(request_url)
            request_route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route("**/*", route)
    page.goto(url if url.endswith(".html") or "#" in url else f"{url}/index.html")
    if wait_for_map:
        page.wait_for_function("() => window.geomap !== undefined")
        page.wait_for_timeout(500)
    return page, errors, outside


# a screen wide enough for the layer panel to be open at first (it is a button under 1400 px)
WIDE = {"width": 1600, "height": 900}


def expected_visible(events, start: str, end: str) -> list[str]:
    """The ids of the placed events (a DataFrame of events.csv read as text) whose window overlaps
    [start, end]: what the map shows with every layer on and that date range."""
    ids = []
    for row in events.itertuples():
        if row.lat == "" or row.kind != "event":
            continue
        first, last = row.date_start, row.date_end  # the window
        if first and last >= start and first <= end:
            ids.append(row.event_id)
    return sorted(ids)
